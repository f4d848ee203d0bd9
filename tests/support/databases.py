"""Fresh, migrated databases for a test run, on SQLite or PostgreSQL."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from servicekit.database import make_engine
from servicekit.migrate import upgrade

BACKENDS = ("sqlite", "postgres")


def require_backend(backend: str) -> str:
    """The backend, once it is reachable: PostgreSQL missing is a skip on a laptop and a failure
    on CI (where a skip fails the run anyway, this says why)."""
    if backend == "postgres" and not postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {postgres_admin_url()} on CI")
        pytest.skip("PostgreSQL is not reachable")
    return backend


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
