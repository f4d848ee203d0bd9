"""Data access of the notifications service: events, notifications, claims, templates.

Claims are conditional UPDATEs with RETURNING, so whoever's UPDATE matched a row owns it,
on SQLite as on PostgreSQL; on PostgreSQL the candidates are also selected with
FOR UPDATE SKIP LOCKED so replicas sweeping at the same moment take different rows.
The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from servicekit.database import is_postgres
from services.notifications.delivery import (
    EXPANDING,
    PENDING,
    RETRYING,
    SENDING,
    SENT,
    Outcome,
)
from services.notifications.models import (
    InboundEvent,
    InboxMessage,
    Notification,
    Preference,
    Template,
)

events_t = InboundEvent.__table__
notifications_t = Notification.__table__
templates_t = Template.__table__
inbox_t = InboxMessage.__table__
preferences_t = Preference.__table__


def _insert(session: Session, table):
    return (postgresql if is_postgres(session) else sqlite).insert(table)


# --- templates ------------------------------------------------------------------------


def seed_templates(session: Session, defaults: Iterable, now: datetime) -> int:
    """Add the default templates that are missing; edited ones are kept as they are."""
    rows = [
        {
            "event_type": d.event_type,
            "audience": d.audience,
            "channel": d.channel,
            "subject": d.subject,
            "body_text": d.body_text,
            "body_html": d.body_html,
            "sample_values": d.sample,
            "updated_at": now,
        }
        for d in defaults
    ]
    if not rows:
        return 0
    stmt = _insert(session, templates_t).values(rows).on_conflict_do_nothing()
    return session.execute(stmt).rowcount or 0


def fetch_templates_for(session: Session, event_type: str) -> dict[tuple[str, str], dict]:
    rows = session.execute(select(templates_t).where(templates_t.c.event_type == event_type))
    return {(r.audience, r.channel): dict(r._mapping) for r in rows}


def fetch_templates(session: Session) -> list[dict]:
    stmt = select(templates_t).order_by(
        templates_t.c.event_type, templates_t.c.audience, templates_t.c.channel
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


def get_template(session: Session, template_id: int) -> dict | None:
    row = session.execute(select(templates_t).where(templates_t.c.id == template_id)).first()
    return dict(row._mapping) if row else None


# --- inbound events ---------------------------------------------------------------------


def record_event(
    session: Session,
    event_id: str,
    event_type: str,
    payload: dict,
    request_id: str | None,
    now: datetime,
    **outcome,
) -> bool:
    """Store a received event with the outcome of its first attempt; False when this event_id
    was already received (a redelivery)."""
    stmt = (
        _insert(session, events_t)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(events_t.c.id)
    )
    values = {
        "event_id": event_id,
        "event_type": event_type,
        "payload": payload,
        "request_id": request_id,
        "received_at": now,
        "done_at": None,
        **outcome,
    }
    return session.execute(stmt, values).scalar_one_or_none() is not None


def update_event(session: Session, event_pk: int, **values) -> None:
    session.execute(update(events_t).where(events_t.c.id == event_pk).values(**values))


def _events_due(now: datetime):
    """Events waiting for a retry, or whose expansion was abandoned (its lease ran out)."""
    return or_(
        and_(events_t.c.status == RETRYING, events_t.c.next_attempt_at <= now),
        and_(events_t.c.status == EXPANDING, events_t.c.claim_until < now),
    )


def claim_due_events(session: Session, now: datetime, lease: timedelta, batch: int) -> list[dict]:
    """Events waiting for a retry (or whose expansion was abandoned), claimed for this worker."""
    candidates = (
        select(events_t.c.id)
        .where(_events_due(now))
        .order_by(events_t.c.next_attempt_at)
        .limit(batch)
    )
    if is_postgres(session):
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.execute(candidates).scalars())
    if not ids:
        return []
    stmt = (
        update(events_t)
        .where(events_t.c.id.in_(ids), _events_due(now))
        .values(status=EXPANDING, claim_until=now + lease, attempts=events_t.c.attempts + 1)
        .returning(*events_t.c)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


def get_event(session: Session, event_id: str) -> dict | None:
    row = session.execute(select(events_t).where(events_t.c.event_id == event_id)).first()
    return dict(row._mapping) if row else None


def fetch_events(
    session: Session, status: str | None, event_type: str | None, page: int, per_page: int
) -> tuple[list[dict], int]:
    conditions = []
    if status:
        conditions.append(events_t.c.status == status)
    if event_type:
        conditions.append(events_t.c.event_type == event_type)
    return _page(session, events_t, conditions, events_t.c.id.desc(), page, per_page)


# --- notifications ----------------------------------------------------------------------


def insert_notifications(session: Session, rows: list[dict]) -> list[dict]:
    """Insert; rows already there (same event, recipient, channel, template) are skipped.
    The rows inserted, with their ids."""
    if not rows:
        return []
    # Parameters apart from the statement: compiled once and cached, sent as one
    # INSERT ... VALUES (...), (...) RETURNING by SQLAlchemy's "insertmanyvalues".
    stmt = (
        _insert(session, notifications_t)
        .on_conflict_do_nothing(index_elements=["event_id", "user_id", "channel", "template_id"])
        .returning(*notifications_t.c)
    )
    return sorted((dict(r._mapping) for r in session.execute(stmt, rows)), key=lambda r: r["id"])


def mark_sent_now(session: Session, references: dict[int, str], now: datetime) -> None:
    """Rows delivered in the transaction that created them (no claim was ever needed)."""
    if references:
        session.execute(
            update(notifications_t)
            .where(notifications_t.c.id == bindparam("notification_id"))
            .values(status=SENT, attempts=1, sent_at=now, reference=bindparam("ref")),
            [{"notification_id": i, "ref": ref} for i, ref in references.items()],
        )


def _due(now: datetime):
    return or_(
        and_(
            notifications_t.c.status.in_((PENDING, RETRYING)),
            notifications_t.c.next_attempt_at <= now,
        ),
        and_(notifications_t.c.status == SENDING, notifications_t.c.claim_until < now),
    )


def count_due(session: Session, now: datetime) -> dict[str, int]:
    """What the sweeps would take now: messages due a (re)try and events due a retry."""
    count = select(func.count())
    return {
        "notifications": session.execute(
            count.select_from(notifications_t).where(_due(now))
        ).scalar_one(),
        "inbound_events": session.execute(
            count.select_from(events_t).where(_events_due(now))
        ).scalar_one(),
    }


def claim_notifications(
    session: Session,
    now: datetime,
    lease: timedelta,
    token: str,
    batch: int = 100,
) -> list[dict]:
    """Claim what is due for sending (status -> sending, attempts + 1); returns the rows won.

    Due: pending past its grace, retrying past its backoff, or sending past its lease (the
    claimer died mid-send). Fresh rows are born claimed by the worker that creates them.
    """
    condition = _due(now)
    candidates = (
        select(notifications_t.c.id)
        .where(condition)
        .order_by(notifications_t.c.next_attempt_at)
        .limit(batch)
    )
    if is_postgres(session):
        candidates = candidates.with_for_update(skip_locked=True)
    found = list(session.execute(candidates).scalars())
    if not found:
        return []
    condition = and_(notifications_t.c.id.in_(found), condition)
    stmt = (
        update(notifications_t)
        .where(condition)
        .values(
            status=SENDING,
            claim_token=token,
            claim_until=now + lease,
            attempts=notifications_t.c.attempts + 1,
        )
        .returning(*notifications_t.c)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


# Built once: these run for every message, and building a statement costs more than running it.
_OWNED = and_(
    notifications_t.c.id == bindparam("notification_id"),
    notifications_t.c.status == SENDING,
    notifications_t.c.claim_token == bindparam("token"),
)
_RECORD_SENT = (
    update(notifications_t)
    .where(_OWNED)
    .values(
        status=SENT,
        sent_at=bindparam("now"),
        reference=bindparam("reference"),
        claim_token=None,
        claim_until=None,
        next_attempt_at=None,
    )
)
_RECORD_FAILURE = (
    update(notifications_t)
    .where(_OWNED)
    .values(
        status=bindparam("status"),
        next_attempt_at=bindparam("next_attempt_at"),
        last_error=bindparam("last_error"),
        claim_token=None,
        claim_until=None,
    )
)


def record_sent(
    session: Session, notification_id: int, token: str, reference: str, now: datetime
) -> bool:
    """Only the worker holding the claim records the outcome."""
    params = {"notification_id": notification_id, "token": token}
    result = session.execute(_RECORD_SENT, params | {"now": now, "reference": reference[:255]})
    return result.rowcount == 1


def record_failure(session: Session, notification_id: int, token: str, outcome: Outcome) -> bool:
    params = {
        "notification_id": notification_id,
        "token": token,
        "status": outcome.status,
        "next_attempt_at": outcome.next_attempt_at,
        "last_error": (outcome.error or "")[:2000],
    }
    return session.execute(_RECORD_FAILURE, params).rowcount == 1


def fetch_notifications(session: Session, filters: dict, page: int, per_page: int):
    conditions = []
    for name in ("status", "channel", "event_type", "event_id", "user_id", "category"):
        if filters.get(name) is not None:
            conditions.append(notifications_t.c[name] == filters[name])
    if filters.get("since") is not None:
        conditions.append(notifications_t.c.created_at >= filters["since"])
    return _page(session, notifications_t, conditions, notifications_t.c.id.desc(), page, per_page)


def count_by_status(session: Session) -> dict[str, int]:
    stmt = select(notifications_t.c.status, func.count()).group_by(notifications_t.c.status)
    return {status: count for status, count in session.execute(stmt)}


def count_by_status_and_channel(session: Session) -> dict[tuple[str, str], int]:
    """Notifications by (status, channel): the `gawe_notifications` gauge, read when scraped
    (the due index leads with status)."""
    table = notifications_t
    stmt = select(table.c.status, table.c.channel, func.count()).group_by(
        table.c.status, table.c.channel
    )
    return {(status, channel): count for status, channel, count in session.execute(stmt)}


def opted_out(session: Session, user_ids: Iterable[int], category: str) -> set[tuple[int, str]]:
    """(user_id, channel) pairs where the user turned this category off."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    stmt = select(preferences_t.c.user_id, preferences_t.c.channel).where(
        preferences_t.c.user_id.in_(ids),
        preferences_t.c.category == category,
        preferences_t.c.enabled.is_(False),
    )
    return {(r.user_id, r.channel) for r in session.execute(stmt)}


# --- inbox --------------------------------------------------------------------------------


def insert_inbox_messages(session: Session, messages: list[dict]) -> None:
    """Write messages into users' inboxes; a notification already there is skipped."""
    if messages:
        stmt = _insert(session, inbox_t).on_conflict_do_nothing(index_elements=["notification_id"])
        session.execute(stmt, messages)


def fetch_inbox(session: Session, user_id: int, unread_only: bool, page: int, per_page: int):
    conditions = [inbox_t.c.user_id == user_id]
    if unread_only:
        conditions.append(inbox_t.c.read_at.is_(None))
    return _page(session, inbox_t, conditions, inbox_t.c.id.desc(), page, per_page)


def count_unread(session: Session, user_id: int) -> int:
    stmt = select(func.count()).where(inbox_t.c.user_id == user_id, inbox_t.c.read_at.is_(None))
    return session.execute(stmt).scalar_one()


def mark_read(session: Session, user_id: int, item_id: int, now: datetime) -> dict | None:
    """Mark one of the user's own messages read; None if it is not theirs (or does not exist)."""
    mine = and_(inbox_t.c.id == item_id, inbox_t.c.user_id == user_id)
    session.execute(update(inbox_t).where(mine, inbox_t.c.read_at.is_(None)).values(read_at=now))
    row = session.execute(select(inbox_t).where(mine)).first()
    return dict(row._mapping) if row else None


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    stmt = (
        update(inbox_t)
        .where(inbox_t.c.user_id == user_id, inbox_t.c.read_at.is_(None))
        .values(read_at=now)
    )
    return session.execute(stmt).rowcount or 0


# --- preferences ----------------------------------------------------------------------------


def fetch_preferences(session: Session, user_id: int) -> dict[tuple[str, str], bool]:
    stmt = select(preferences_t).where(preferences_t.c.user_id == user_id)
    return {(r.category, r.channel): r.enabled for r in session.execute(stmt)}


def save_preference(
    session: Session, user_id: int, category: str, channel: str, enabled: bool, now: datetime
) -> None:
    stmt = _insert(session, preferences_t).values(
        user_id=user_id, category=category, channel=channel, enabled=enabled, updated_at=now
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "category", "channel"],
            set_={"enabled": enabled, "updated_at": now},
        )
    )


# --- shared -------------------------------------------------------------------------------


def _page(session: Session, table, conditions, order, page: int, per_page: int):
    total = session.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one()
    stmt = (
        select(table)
        .where(*conditions)
        .order_by(order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [dict(r._mapping) for r in session.execute(stmt)], total
