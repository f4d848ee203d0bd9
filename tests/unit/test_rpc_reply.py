"""What a worker's database session holds when an RPC's reply leaves (servicekit.entrypoints).

Nameko sends the reply before the dependencies' `worker_result`, so a failed worker used to keep
its transaction, and on SQLite its write lock, until after the caller had its answer: the
caller's next call, served by another green thread of the same process, then waited on a lock
that thread could not release (SQLite's busy wait does not yield) and failed "database is
locked". A failed worker is rolled back before its reply; a successful one is committed."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from nameko.rpc import Rpc as NamekoRpc
from sqlalchemy import text

from servicekit.database import Database
from servicekit.entrypoints import Rpc
from servicekit.errors import NotFound


class Container:
    service_name = "scratch"

    def __init__(self, url: str):
        self.config = {"SCRATCH_DATABASE_URL": url}
        self.dependencies = []


class WorkerContext:
    def __init__(self, container: Container):
        self.container = container


@pytest.fixture
def worker(tmp_path):
    path = tmp_path / "scratch.db"
    container = Container(f"sqlite:///{path}")
    database = Database("scratch")
    database.container = container
    database.setup()
    container.dependencies.append(database)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    ctx = WorkerContext(container)
    session = database.get_dependency(ctx)
    session.execute(text("INSERT INTO t VALUES (1)"))  # the worker's write lock
    entrypoint = Rpc()
    entrypoint.container, entrypoint.method_name = container, "scratch_method"
    yield path, ctx, entrypoint
    database.stop()


def reply_seen(monkeypatch, path) -> dict:
    """What another connection of the database can do at the moment the reply leaves."""
    seen: dict = {}

    def reply(self, message, worker_ctx, result, exc_info):
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once while a writer holds the lock
            seen["rows"] = other.execute("SELECT count(*) FROM t").fetchone()[0]
            other.rollback()
        finally:
            other.close()
        seen["error"] = exc_info[0].__name__ if exc_info else None
        return result, exc_info

    monkeypatch.setattr(NamekoRpc, "handle_result", reply)
    return seen


def test_a_failed_worker_is_rolled_back_before_its_reply_leaves(worker, monkeypatch):
    path, ctx, entrypoint = worker
    seen = reply_seen(monkeypatch, path)
    try:
        raise NotFound("Pesan tidak ditemukan.")
    except NotFound:
        entrypoint.handle_result(None, ctx, None, sys.exc_info())
    assert seen == {"rows": 0, "error": "NotFound"}


def test_a_successful_worker_is_committed_before_its_reply_leaves(worker, monkeypatch):
    path, ctx, entrypoint = worker
    seen = reply_seen(monkeypatch, path)
    entrypoint.handle_result(None, ctx, {"ok": True}, None)
    assert seen == {"rows": 1, "error": None}
