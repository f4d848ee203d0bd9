"""Events in, messages out: recording and expanding an event, and the sweep that retries.

Plain functions behind NotificationsService.handle_event and .sweep, given its `Desk`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from servicekit.context import request_id_var, working_for
from services.notifications import store
from services.notifications.desk import Desk
from services.notifications.expansion import expand, outcome, prepare, write_rows


def handle_event(desk: Desk, event_type: str, payload) -> None:
    """Store the event and its notifications (committed before the ack), then send them."""
    now = datetime.now(UTC)
    event_id = payload.get("event_id") if isinstance(payload, dict) else None
    if not isinstance(event_id, str) or not event_id:
        # Not one of ours: keep it, parked, under a stable id (a redelivery is the same row).
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
        event_id = f"tanpa-id-{digest.hexdigest()[:40]}"
    # A redelivered event is found out when it is recorded (its event_id is unique).
    notifier = desk.notifier
    plan = prepare(
        desk.db,
        desk.directory(),
        notifier.channels,
        notifier.settings.expansion,
        event_type,
        payload,
        1,
        now,
        desk.sources(),
    )
    row = {"event_id": event_id, "event_type": event_type}
    recorded = store.record_event(
        desk.db,
        event_id,
        event_type,
        payload,
        request_id_var.get(),
        now,
        **outcome(row, plan, 1, now),
    )
    if not recorded:  # already received: a redelivery, or a copy stored meanwhile
        desk.db.rollback()
        return
    claimed, token = write_rows(
        desk.db, notifier.channels, plan, now, notifier.settings.courier.lease
    )
    desk.db.commit()
    notifier.courier.send(claimed, token)


def sweep(desk: Desk) -> None:
    """Retry what is due: events whose recipients were not resolved, then unsent messages."""
    notifier = desk.notifier
    settings = notifier.settings
    now = datetime.now(UTC)
    events = store.claim_due_events(desk.db, now, settings.courier.lease, settings.courier.batch)
    desk.db.commit()
    for event in events:
        # a retry belongs to the request the event came with: its log lines and calls say so
        with working_for(event["request_id"]):
            claimed, token = expand(
                desk.db,
                desk.directory(),
                notifier.channels,
                settings.expansion,
                event,
                event["attempts"],
                now,
                settings.courier.lease,
                desk.sources(),
            )
            desk.db.commit()
            notifier.courier.send(claimed, token)
    notifier.courier.sweep()
