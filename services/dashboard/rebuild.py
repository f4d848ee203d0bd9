"""`python -m services.dashboard.rebuild` (`make dashboard-rebuild`): empty the read model and
refill it from every event the apps ever recorded, asked of each app's `outbox_events` RPC
(servicekit.outbox: the events in their outboxes, oldest first, in pages), then say what it
counted. It runs as the dashboard (its database, its name on the bus) beside the running
service: the one transaction holds the state row, so an event arriving meanwhile is applied
after it (or found already applied), and the live pages see the new version at once.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import update
from sqlalchemy.orm import Session

from servicekit.config import amqp_uri, database_url, setting
from servicekit.context import CALLER_KEY
from servicekit.database import make_engine
from services.dashboard import readmodel
from services.dashboard.models import State

PAGE = 500


def events_of(proxy, app: str, event_types) -> list[tuple[str, dict]]:
    """Every event of `event_types` in `app`'s outbox, oldest first."""
    found, after = [], 0
    while after is not None:
        page = getattr(proxy, app).outbox_events(after, PAGE, list(event_types))
        found += [(e["event_type"], e["payload"]) for e in page["events"]]
        after = page["next"]
    return found


def refill(session, fetch, now: datetime | None = None) -> dict:
    """Empty the read model and apply every event `fetch(app, event_types)` returns, in the
    order they happened; in `session`'s transaction (the caller commits). Returns counts."""
    now = now or datetime.now(UTC)
    readmodel.empty(session)
    events = []
    for app, event_types in readmodel.SOURCES.items():
        events += fetch(app, event_types)
    events.sort(key=lambda e: str(e[1].get("occurred_at", "")))
    applied = sum(
        readmodel.apply(session, event_type, payload, now) for event_type, payload in events
    )
    session.execute(
        update(State).where(State.id == 1).values(version=State.version + 1, last_rebuild_at=now)
    )
    return {"events": len(events), "applied": applied}


def run(config: dict | None = None) -> dict:
    """The rebuild against the platform `config` names (AMQP_URI, DASHBOARD_DATABASE_URL),
    else the environment's."""
    config = dict(config or {})
    config.setdefault("AMQP_URI", amqp_uri())
    url = setting(config, "DASHBOARD_DATABASE_URL") or database_url("dashboard")
    timeout = setting(config, "SERVICE_RPC_TIMEOUT", 30.0, float)
    engine = make_engine(url)
    try:
        with (
            ClusterRpcProxy(
                config, context_data={CALLER_KEY: "dashboard"}, timeout=timeout
            ) as proxy,
            Session(engine) as session,
        ):
            counts = refill(session, lambda app, types: events_of(proxy, app, types))
            session.commit()
    finally:
        engine.dispose()
    return counts


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    counts = run()
    print(
        f"Dasbor dibangun ulang: {counts['events']} peristiwa dibaca dari outbox aplikasi, "
        f"{counts['applied']} dihitung."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
