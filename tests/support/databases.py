"""Fresh, migrated databases for a test run, on SQLite or PostgreSQL."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from servicekit.database import make_engine
from servicekit.migrate import upgrade


def postgres_admin_url() -> str:
    return os.environ.get("GAWE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_reachable() -> bool:
    try:
        engine = make_engine(postgres_admin_url())
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


class DatabaseFactory:
    def __init__(self, run_id: str, tmp: Path):
        self.run_id = run_id
        self.tmp = tmp
        self._counter = itertools.count(1)
        self._pg_databases: list[str] = []

    def create(self, service: str, backend: str = "sqlite", migrate: bool = True) -> str:
        n = next(self._counter)
        if backend == "sqlite":
            url = f"sqlite:///{self.tmp / f'{service}_{n}.db'}"
        else:
            name = f"gawe_t{self.run_id}_{service}_{n}"
            self._admin(f'CREATE DATABASE "{name}"')
            self._pg_databases.append(name)
            url = (
                make_url(postgres_admin_url())
                .set(database=name)
                .render_as_string(hide_password=False)
            )
        if migrate:
            upgrade(service, url)
        return url

    def drop_all(self) -> None:
        for name in self._pg_databases:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._pg_databases.clear()

    def _admin(self, sql: str) -> None:
        engine = make_engine(postgres_admin_url()).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(sql))
        engine.dispose()
