"""Leases: a timer whose tick's work is done by one replica only.

nameko's timer fires in every replica. A `@leased_timer("SETTING", default)` ticks in every
replica too, but before it starts a worker it claims the timer's row in the service's own
`leases` table; a replica that does not get it skips the tick (no worker is started). So the
timer's work runs at the rate of one timer, never twice at once, whatever the replicas:

- claiming is one atomic statement on both backends: an INSERT of the row if there is none
  (ON CONFLICT DO NOTHING), else `UPDATE leases ... WHERE name = :name AND expires_at <= :now`.
  On PostgreSQL two replicas updating at once are serialised by the row lock (the second
  re-checks `expires_at` against the first's committed row and updates nothing); SQLite
  serialises writers anyway.
- while the work runs the lease is held for `ttl` seconds (default: the interval, at least 30
  s): a replica that dies in the middle of a sweep holds it back that long, no longer.
- once the work is committed the lease is shortened to end a little before the next tick
  (`interval` minus a quarter of it, at most 5 s less, from the claim): the next tick of any
  replica runs it, never a second one within the same interval.

Which replica wins a tick is whichever ticks first after the lease expired: the work moves to
another replica as soon as one stops. The times are the replicas' clocks (UTC): keep them in
sync (NTP); a skew shorter than the margin above changes nothing.

Each service with a leased timer declares the table in its models (`lease_table(metadata)`)
and creates it in one of its Alembic migrations, as it does the outbox table.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, MetaData, String, Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from servicekit.database import Database, UtcDateTime
from servicekit.timers import ConfiguredTimer

log = logging.getLogger(__name__)

MIN_TTL = 30.0  # seconds a claim is held while its work runs, at least
MAX_MARGIN = 5.0  # seconds a lease ends before the next tick, at most


def lease_table(metadata: MetaData) -> Table:
    return Table(
        "leases",
        metadata,
        Column("name", String(120), primary_key=True),
        Column("holder", String(200), nullable=False),
        Column("acquired_at", UtcDateTime(), nullable=False),
        Column("expires_at", UtcDateTime(), nullable=False),
    )


_TABLE = lease_table(MetaData())


def claim(engine, name: str, holder: str, ttl: float) -> datetime | None:
    """Take the lease `name` for `ttl` seconds if nobody holds it: the time it was acquired
    (to release it with), or None when another holder has it."""
    now = datetime.now(UTC)
    values = {"holder": holder, "acquired_at": now, "expires_at": now + timedelta(seconds=ttl)}
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    with engine.begin() as conn:
        created = conn.execute(
            insert(_TABLE).values(name=name, **values).on_conflict_do_nothing()
        ).rowcount
        if created == 1:
            return now
        taken = conn.execute(
            update(_TABLE).where(_TABLE.c.name == name, _TABLE.c.expires_at <= now).values(**values)
        ).rowcount
    return now if taken == 1 else None


def release(engine, name: str, holder: str, acquired_at: datetime, until: datetime) -> None:
    """End a lease we hold at `until` (or now, if that has passed); a lease someone else took
    meanwhile (ours had expired) is left alone."""
    until = max(until, datetime.now(UTC))
    with engine.begin() as conn:
        conn.execute(
            update(_TABLE)
            .where(
                _TABLE.c.name == name,
                _TABLE.c.holder == holder,
                _TABLE.c.acquired_at == acquired_at,
            )
            .values(expires_at=until)
        )


class LeasedTimer(ConfiguredTimer):
    """A configured timer (servicekit.timers) whose ticks run in one replica at a time.

    `@leased_timer("NOTIFY_SWEEP_INTERVAL", 5.0)`; the lease is named `<service>.<method>`;
    `ttl` (seconds) bounds how long a replica that dies mid-run keeps the others waiting."""

    def __init__(self, setting_name: str, default: float, ttl: float | None = None, **kwargs):
        self.ttl = ttl
        super().__init__(setting_name, default, **kwargs)

    def setup(self):
        super().setup()
        self.db = next(d for d in self.container.dependencies if isinstance(d, Database))
        self.lease_name = f"{self.container.service_name}.{self.method_name}"
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self.container):x}"[:200]
        self.hold = self.ttl if self.ttl is not None else max(self.interval, MIN_TTL)
        self.period = timedelta(seconds=self.interval - min(self.interval / 4, MAX_MARGIN))

    def handle_timer_tick(self):
        try:
            acquired_at = claim(self.db.engine, self.lease_name, self.holder, self.hold)
        except SQLAlchemyError:
            log.warning("timer lease not claimed", extra={"lease": self.lease_name}, exc_info=True)
            acquired_at = None
        if acquired_at is None:  # another replica runs this tick (or the database is away)
            self.worker_complete.send()
            return

        def handle_result(worker_ctx, result, exc_info):
            try:
                if exc_info is None:
                    # commit before letting the next tick in (Database.worker_result, run
                    # after this, finds nothing left to commit)
                    self.db.commit(worker_ctx)
            except Exception:
                log.warning("timer work not committed", extra={"lease": self.lease_name})
                exc_info = sys.exc_info()
            finally:
                try:
                    release(
                        self.db.engine,
                        self.lease_name,
                        self.holder,
                        acquired_at,
                        acquired_at + self.period,
                    )
                except SQLAlchemyError:  # it expires by itself after `hold`
                    log.warning("timer lease not released", extra={"lease": self.lease_name})
                self.worker_complete.send()
            return result, exc_info

        self.container.spawn_worker(self, (), {}, handle_result=handle_result)


leased_timer = LeasedTimer.decorator
