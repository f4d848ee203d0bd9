"""What a signed-in user asks about their own messages: the inbox and preferences.

Plain functions behind NotificationsService's entrypoints of the same names, given the
worker's session and the caller (servicekit.context.Actor). Each works on the caller's own
rows only (`actor.user_id`); another user's message id answers 404, exactly like one that does
not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.errors import Invalid, NotFound
from services.notifications import store
from services.notifications.contract import (
    CATEGORIES,
    InboxItemSchema,
    InboxPageSchema,
    InboxQuerySchema,
    PreferenceSchema,
    PreferenceUpdateSchema,
    UnreadSchema,
)


def _load(schema, payload):
    try:
        return schema.load(payload or {})
    except ValidationError as exc:
        raise Invalid("Data tidak valid.", exc.normalized_messages()) from None


def _item(row: dict) -> dict:
    return {**row, "read": row["read_at"] is not None}


def inbox(db: Session, actor: Actor, query: dict | None = None) -> dict:
    """The caller's inbox, newest first, with the number of unread messages."""
    actor.require_login()
    params = _load(InboxQuerySchema(), query)
    user_id = actor.user_id
    items, total = store.fetch_inbox(
        db, user_id, params["unread"], params["page"], params["per_page"]
    )
    return InboxPageSchema().dump(
        {
            "items": [_item(r) for r in items],
            "page": params["page"],
            "per_page": params["per_page"],
            "total": total,
            "unread": store.count_unread(db, user_id),
        }
    )


def unread_count(db: Session, actor: Actor) -> dict:
    """How many of the caller's messages are unread."""
    actor.require_login()
    return UnreadSchema().dump({"unread": store.count_unread(db, actor.user_id)})


def mark_read(db: Session, actor: Actor, item_id: int) -> dict:
    """Mark one of the caller's own messages read (idempotent)."""
    actor.require_login()
    row = store.mark_read(db, actor.user_id, int(item_id), datetime.now(UTC))
    if row is None:
        raise NotFound("Pesan tidak ditemukan.")
    return InboxItemSchema().dump(_item(row))


def mark_all_read(db: Session, actor: Actor) -> dict:
    """Mark every message of the caller read."""
    actor.require_login()
    marked = store.mark_all_read(db, actor.user_id, datetime.now(UTC))
    return UnreadSchema().dump({"unread": 0, "marked": marked})


def preferences(db: Session, actor: Actor) -> list[dict]:
    """Per category: whether the caller receives it by email (the inbox always receives it)."""
    actor.require_login()
    return _preferences(db, actor.user_id)


def set_preference(db: Session, actor: Actor, category: str, payload: dict) -> list[dict]:
    """Turn email for a category on or off; essential messages are sent regardless."""
    actor.require_login()
    if category not in CATEGORIES:
        raise NotFound("Kategori notifikasi tidak dikenal.", {"category": [", ".join(CATEGORIES)]})
    data = _load(PreferenceUpdateSchema(), payload)
    store.save_preference(db, actor.user_id, category, "email", data["email"], datetime.now(UTC))
    return _preferences(db, actor.user_id)


def _preferences(db: Session, user_id: int) -> list[dict]:
    saved = store.fetch_preferences(db, user_id)
    return PreferenceSchema(many=True).dump(
        [
            {"category": code, "name": name, "email": saved.get((code, "email"), True)}
            for code, name in CATEGORIES.items()
        ]
    )
