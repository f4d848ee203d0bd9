"""Transactional outbox: an event is published only for a committed change, and always.

A service adds an event with `self.outbox.add(...)` in the same transaction as its
change. Right after the worker commits, the provider publishes it and marks it
published. If RabbitMQ is down at that moment, the row stays unpublished and the
relay timer (on every replica) publishes it later. Both paths claim the rows they
publish with FOR UPDATE SKIP LOCKED on PostgreSQL: a relay never publishes a row the
worker that wrote it is publishing (nor the other way round), whatever the grace.
Consumers are idempotent on `event_id`, so the rare double publish (crash between
publish and mark) is harmless.
"""

from __future__ import annotations

import logging
import weakref
from datetime import UTC, datetime, timedelta

from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import get_event_exchange
from nameko.extensions import DependencyProvider
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select, update

from servicekit.config import env_float, env_int
from servicekit.context import REQUEST_ID_KEY
from servicekit.database import Database, UtcDateTime, is_postgres
from servicekit.events import make_event
from servicekit.metrics import EVENTS_PUBLISHED, PUBLISH_FAILURES, register_outbox

log = logging.getLogger(__name__)

# Seconds between runs of the relay timer every service declares (read once, at import):
#     @timer(interval=RELAY_INTERVAL)
#     def relay_outbox(self) -> None:
#         self.outbox.relay()
RELAY_INTERVAL = env_float("OUTBOX_RELAY_INTERVAL", 2.0, minimum=0.1)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("request_id", String(64)),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), index=True),
        Column("attempts", Integer, nullable=False, default=0),
    )


def record_event(session, table, event_type: str, request_id: str | None = None, **payload) -> dict:
    """Write one catalogue event into a service's outbox table, in `session`'s transaction;
    the service's relay publishes it. Also for CLIs (demo loaders) that write the database."""
    event = make_event(event_type, **payload)
    session.execute(
        table.insert().values(
            event_id=event["event_id"],
            event_type=event_type,
            payload=event,
            request_id=request_id,
            created_at=datetime.now(UTC),
            attempts=0,
        )
    )
    return event


class OutboxWriter:
    def __init__(self, provider: Outbox, worker_ctx):
        self._provider = provider
        self._worker_ctx = worker_ctx

    def add(self, event_type: str, **payload) -> dict:
        """Record `event_type` (a catalogue name) in the worker's transaction."""
        event = record_event(
            self._provider.db.sessions[self._worker_ctx],
            self._provider.table,
            event_type,
            self._worker_ctx.data.get(REQUEST_ID_KEY),
            **payload,
        )
        self._provider.pending.setdefault(self._worker_ctx, []).append(event["event_id"])
        return event

    def relay(self) -> int:
        return self._provider.relay()

    def page(self, after_id: int, limit: int, event_types: list | None = None) -> dict:
        return self._provider.page(after_id, limit, event_types)


class Outbox(DependencyProvider):
    def __init__(self, table: Table):
        self.table = table
        self.pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def setup(self):
        self.db = next(d for d in self.container.dependencies if isinstance(d, Database))
        self.publisher = Publisher(self.container.config[AMQP_URI_CONFIG_KEY])
        self.batch_size = env_int("OUTBOX_BATCH_SIZE", 200, minimum=1)
        self.grace = timedelta(seconds=env_float("OUTBOX_RELAY_GRACE", 5.0, minimum=0))
        # the backlog, read when Prometheus scrapes (the Database sets up in no fixed order)
        self._unregister_metrics = register_outbox(
            self.container.service_name, lambda: self.db.session_factory(), self.table
        )

    def stop(self):
        self._unregister_metrics()

    def kill(self):
        self._unregister_metrics()

    def get_dependency(self, worker_ctx) -> OutboxWriter:
        return OutboxWriter(self, worker_ctx)

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        event_ids = self.pending.pop(worker_ctx, None)
        if not event_ids or exc_info is not None:
            return
        try:
            # Dependencies are signalled in no fixed order: make sure the change is
            # committed before its events leave (a no-op after the RPC commit).
            self.db.commit(worker_ctx)
        except Exception:
            log.exception("not publishing events of a worker whose commit failed")
            return
        self._publish_rows(lambda stmt: stmt.where(self.table.c.event_id.in_(event_ids)))

    def relay(self) -> int:
        """Publish rows that were committed but not published (called by a timer)."""
        cutoff = datetime.now(UTC) - self.grace
        return self._publish_rows(
            lambda stmt: stmt.where(self.table.c.created_at <= cutoff).limit(self.batch_size)
        )

    def page(self, after_id: int, limit: int, event_types: list | None = None) -> dict:
        """The events this service ever recorded with an id above `after_id` (of `event_types`,
        default all), oldest first, at most `limit` (up to REPLAY_PAGE_MAX): {"events":
        [{"event_type", "payload"}], "next": the id to ask after, None at the end}. Outbox rows
        are never deleted, so a read model emptied and refilled from them misses nothing."""
        after_id, limit = int(after_id), int(limit)
        table, limit = self.table, max(1, min(limit, REPLAY_PAGE_MAX))
        stmt = select(table.c.id, table.c.event_type, table.c.payload).where(table.c.id > after_id)
        if event_types:
            stmt = stmt.where(table.c.event_type.in_([str(t) for t in event_types]))
        with self.db.session_factory() as session:
            rows = session.execute(stmt.order_by(table.c.id).limit(limit)).all()
        events = [{"event_type": row.event_type, "payload": row.payload} for row in rows]
        return {"events": events, "next": rows[-1].id if len(rows) == limit else None}

    def _publish_rows(self, narrow) -> int:
        table = self.table
        with self.db.session_factory() as session:
            stmt = narrow(select(table).where(table.c.published_at.is_(None)).order_by(table.c.id))
            if is_postgres(session):
                stmt = stmt.with_for_update(skip_locked=True)
            rows = session.execute(stmt).mappings().all()
            published = []
            for row in rows:
                try:
                    self._publish(row)
                    published.append(row["id"])
                    EVENTS_PUBLISHED.labels(self.container.service_name, row["event_type"]).inc()
                except Exception:
                    PUBLISH_FAILURES.labels(self.container.service_name).inc()
                    log.warning("event %s not published yet", row["event_id"], exc_info=True)
                    session.execute(
                        update(table)
                        .where(table.c.id == row["id"])
                        .values(attempts=row["attempts"] + 1)
                    )
                    break
            if published:
                session.execute(
                    update(table)
                    .where(table.c.id.in_(published))
                    .values(published_at=datetime.now(UTC))
                )
            session.commit()
            return len(published)

    def _publish(self, row) -> None:
        source, _, name = row["event_type"].partition(".")
        exchange = get_event_exchange(source, self.container.config)
        headers = {"nameko.request_id": row["request_id"]} if row["request_id"] else {}
        self.publisher.publish(
            row["payload"],
            exchange=exchange,
            routing_key=name,
            declare=[exchange],
            extra_headers=headers,
        )


# The services that rebuild a read model from every app's events (make dashboard-rebuild):
# the only callers of `outbox_events`.
READ_MODELS = ("dashboard",)
REPLAY_PAGE_MAX = 1000


# Every app whose events feed a read model declares the same RPC in its own service class
# (servicekit's tests want every entrypoint in the class body, so no mixin adds one):
#
#     @rpc(callers=READ_MODELS)
#     def outbox_events(self, after_id: int = 0, limit: int = 500, event_types=None) -> dict:
#         """Every event this service recorded, oldest first, in pages (Outbox.page)."""
#         return self.outbox.page(after_id, limit, event_types)
