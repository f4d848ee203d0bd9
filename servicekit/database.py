"""Each service's own database, and a session per worker that commits or rolls back with it.

The RPC entrypoint in `servicekit.entrypoints` commits *before* the reply is sent,
so a caller never sees a success whose data is not yet visible (nameko itself
signals `worker_result` only after replying). Other entrypoints (events, timers)
commit in `worker_result`. Either way, an exception rolls everything back.
"""

from __future__ import annotations

import logging
import os
import weakref
from datetime import UTC, datetime
from pathlib import Path

from nameko.extensions import DependencyProvider
from sqlalchemy import DateTime, create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from servicekit.config import database_url, env_int, setting
from servicekit.errors import Conflict
from servicekit.metrics import DB_DURATION, time_statements

log = logging.getLogger(__name__)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalize_url(url: str) -> URL:
    """`postgresql://` means psycopg2 here (SQLAlchemy 2.1 would pick psycopg 3, which is not green)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def _green_psycopg2() -> None:
    """Under eventlet, let psycopg2 wait on sockets cooperatively instead of blocking the hub."""
    from eventlet import patcher

    if patcher.is_monkey_patched("socket"):
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()


def private_sqlite_file(database: str | None) -> None:
    """Create a SQLite database file readable by its owner only (0600; a directory made for it,
    0700), or make an existing one so. SQLite gives its -wal and -shm files the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))):
        try:
            if file.exists():
                file.chmod(0o600)
        except PermissionError:  # someone else's file: theirs to protect
            log.warning("cannot make a SQLite file private", extra={"path": str(file)})


def make_engine(url: str) -> Engine:
    """An engine configured for the backend: WAL + busy timeout on SQLite (a private file),
    pre-ping on PostgreSQL."""
    url = normalize_url(url)
    if url.get_backend_name() == "sqlite":
        private_sqlite_file(url.database)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=env_int("DATABASE_POOL_SIZE", 10, minimum=1),
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    _green_psycopg2()
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=env_int("DATABASE_POOL_SIZE", 10, minimum=1),
        max_overflow=env_int("DATABASE_MAX_OVERFLOW", 10, minimum=0),
    )


def is_postgres(session_or_engine) -> bool:
    bind = (
        session_or_engine.get_bind()
        if isinstance(session_or_engine, Session)
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"


def database_answers(session: Session) -> bool:
    try:
        session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        log.warning("database did not answer", exc_info=True)
        session.rollback()
        return False


def constraint_of(exc: IntegrityError) -> str | None:
    """The name of the constraint an integrity error broke (PostgreSQL), or its kind (SQLite:
    "UNIQUE constraint failed: users.email_key" names columns, never values)."""
    diag = getattr(exc.orig, "diag", None)
    if diag is not None:
        return diag.constraint_name
    text = str(exc.orig)
    return text if text.endswith("constraint failed") or "constraint failed: " in text else None


class Database(DependencyProvider):
    """Injects a SQLAlchemy `Session` bound to this service's own database.

    The URL comes from the container config key `<SERVICE>_DATABASE_URL` (tests),
    else the environment variable of the same name, else a SQLite file under var/.
    """

    def __init__(self, service: str):
        self.service = service
        self.commits = DB_DURATION.labels(service, "commit")  # time in commits (metrics)
        self.engine: Engine | None = None
        self.sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def setup(self):
        url = setting(
            self.container.config, f"{self.service.upper()}_DATABASE_URL"
        ) or database_url(self.service)
        self.engine = make_engine(url)
        time_statements(self.engine, self.service)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    def stop(self):
        if self.engine is not None:
            self.engine.dispose()

    def get_dependency(self, worker_ctx) -> Session:
        session = self.session_factory()
        self.sessions[worker_ctx] = session
        return session

    def commit(self, worker_ctx) -> None:
        """Commit the worker's session now; an integrity error becomes a typed Conflict."""
        session = self.sessions.get(worker_ctx)
        if session is None:
            return
        try:
            with self.commits.time():
                session.commit()
        except IntegrityError as exc:
            session.rollback()
            # Never the driver's message: it quotes the values ("Key (email)=(...)").
            log.info("commit refused by a constraint", extra={"constraint": constraint_of(exc)})
            raise Conflict("Data bertentangan dengan data yang sudah ada.") from None
        except Exception:
            session.rollback()
            raise

    def rollback(self, worker_ctx) -> None:
        """Roll the worker's session back now, releasing its locks (it may be used again)."""
        session = self.sessions.get(worker_ctx)
        if session is not None:
            session.rollback()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        session = self.sessions.get(worker_ctx)
        if session is None:
            return
        if exc_info is not None:
            session.rollback()
        elif session.in_transaction():
            try:
                self.commit(worker_ctx)
            except Exception:
                log.exception("commit after worker failed")

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()
