"""Each service's own database, and a session per worker that commits or rolls back with it.

The RPC entrypoint in `servicekit.entrypoints` commits *before* the reply is sent,
so a caller never sees a success whose data is not yet visible (nameko itself
signals `worker_result` only after replying). Other entrypoints (events, timers)
commit in `worker_result`. Either way, an exception rolls everything back.
"""

from __future__ import annotations

import logging
import weakref
from datetime import UTC, datetime

from nameko.extensions import DependencyProvider
from sqlalchemy import DateTime, create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from servicekit.config import database_url, env_int, setting
from servicekit.errors import Conflict

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


def make_engine(url: str) -> Engine:
    """An engine configured for the backend: WAL + busy timeout on SQLite, pre-ping on PostgreSQL."""
    url = normalize_url(url)
    if url.get_backend_name() == "sqlite":
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


class Database(DependencyProvider):
    """Injects a SQLAlchemy `Session` bound to this service's own database.

    The URL comes from the container config key `<SERVICE>_DATABASE_URL` (tests),
    else the environment variable of the same name, else a SQLite file under var/.
    """

    def __init__(self, service: str):
        self.service = service
        self.engine: Engine | None = None
        self.sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def setup(self):
        url = setting(
            self.container.config, f"{self.service.upper()}_DATABASE_URL"
        ) or database_url(self.service)
        self.engine = make_engine(url)
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
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            log.info("commit refused by a constraint: %s", exc.orig)
            raise Conflict("Data bertentangan dengan data yang sudah ada.") from None
        except Exception:
            session.rollback()
            raise

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
