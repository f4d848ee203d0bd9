"""Fresh, migrated databases for a test run, on SQLite or PostgreSQL.

Each service's migrations run once per test process and backend, into a template database;
every database a test asks for is then a copy of it (SQLite: the file copied with SQLite's
backup API; PostgreSQL: `CREATE DATABASE ... TEMPLATE`). A platform asks for nine databases per
module and backend: migrating each from scratch cost about 1 s on SQLite and 1.5 s on
PostgreSQL of every module's start. The migrations themselves are still run from an empty
database by each process (the template), and step by step by the tests that ask for
`migrate=False`.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
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
        self._templates: dict[tuple[str, str], str] = {}  # (service, backend): migrated template

    def create(self, service: str, backend: str = "sqlite", migrate: bool = True) -> str:
        """A new database of its own for `service`, at the head of its migrations (or empty)."""
        if not migrate:
            return self._empty(service, backend, next(self._counter))
        template = self._templates.get((service, backend))
        if template is None:
            template = self._empty(service, backend, "template")
            upgrade(service, template)
            self._templates[(service, backend)] = template
        n = next(self._counter)
        if backend == "sqlite":
            url = self._sqlite_url(service, n)
            source = sqlite3.connect(make_url(template).database)
            target = sqlite3.connect(make_url(url).database)
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
            return url
        name = self._pg_name(service, n)
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"')
        self._pg_databases.append(name)
        return self._pg_url(name)

    def _empty(self, service: str, backend: str, n) -> str:
        if backend == "sqlite":
            return self._sqlite_url(service, n)
        name = self._pg_name(service, n)
        self._admin(f'CREATE DATABASE "{name}"')
        self._pg_databases.append(name)
        return self._pg_url(name)

    def _sqlite_url(self, service: str, n) -> str:
        return f"sqlite:///{self.tmp / f'{service}_{n}.db'}"

    def _pg_name(self, service: str, n) -> str:
        return f"gawe_t{self.run_id}_{service}_{n}"

    @staticmethod
    def _pg_url(name: str) -> str:
        return (
            make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
        )

    def drop_all(self) -> None:
        for name in self._pg_databases:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._pg_databases.clear()

    def _admin(self, sql: str) -> None:
        engine = make_engine(postgres_admin_url()).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(sql))
        engine.dispose()
