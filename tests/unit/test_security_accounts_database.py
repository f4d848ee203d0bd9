"""servicekit.database keeps personal data private: SQLite files only their owner reads, and a
refused commit's log line never quotes the values (issue #10)."""

import logging
import os
import stat
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from servicekit.database import Database, make_engine
from servicekit.errors import Conflict
from servicekit.migrate import upgrade
from services.accounts.models import User

EMAIL = "kembar.rahasia@example.id"


@pytest.fixture
def open_umask():
    """The usual umask of a server: files would be world-readable unless made private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_directory_are_private(tmp_path, open_umask):
    database = tmp_path / "var" / "accounts.db"
    url = f"sqlite:///{database}"
    upgrade("accounts", url)  # creates the file, as `make migrate` does
    engine = make_engine(url)
    with engine.begin() as conn:  # WAL mode: the -wal and -shm files exist while connected
        conn.execute(text("UPDATE agencies SET name = name"))
        wal_files = list(tmp_path.glob("var/accounts.db-*"))
        assert wal_files
        assert {p.name: mode(p) for p in wal_files} == {p.name: 0o600 for p in wal_files}
    engine.dispose()
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700


def test_an_existing_world_readable_sqlite_file_is_made_private(tmp_path, open_umask):
    database = tmp_path / "complaints.db"
    database.touch(mode=0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert mode(database) == 0o600


class Worker:  # a stand-in for nameko's worker context (only its identity is used)
    pass


def test_a_refused_commit_logs_the_constraint_never_the_values(databases, backend, caplog):
    url = databases.create("accounts", backend)
    db = Database("accounts")
    db.engine = make_engine(url)
    db.session_factory = sessionmaker(bind=db.engine)
    worker = Worker()
    session = db.get_dependency(worker)

    def twin() -> User:  # flushed only when committed, as a service's changes are
        now = datetime.now(UTC)
        return User(email=EMAIL, email_key=EMAIL, name="Kembar", password_hash="x", created_at=now)

    session.add(twin())
    db.commit(worker)
    session.add(twin())
    with caplog.at_level(logging.DEBUG, logger="servicekit.database"), pytest.raises(Conflict):
        db.commit(worker)
    db.worker_teardown(worker)
    db.stop()
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "commit refused by a constraint" in logged
    assert "email_key" in logged  # which constraint, for the operator
    assert EMAIL not in logged
