"""RPC methods a signed-in user calls about their own messages: the inbox and preferences.

Every method works on the caller's own rows only (`actor.user_id`); another user's message
id answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import ValidationError

from servicekit.entrypoints import rpc
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


class InboxRpc:
    """Mixin for the service class (needs `db` and `actor`)."""

    @rpc
    def inbox(self, query: dict | None = None) -> dict:
        """The caller's inbox, newest first, with the number of unread messages."""
        self.actor.require_login()
        params = _load(InboxQuerySchema(), query)
        user_id = self.actor.user_id
        items, total = store.fetch_inbox(
            self.db, user_id, params["unread"], params["page"], params["per_page"]
        )
        return InboxPageSchema().dump(
            {
                "items": [_item(r) for r in items],
                "page": params["page"],
                "per_page": params["per_page"],
                "total": total,
                "unread": store.count_unread(self.db, user_id),
            }
        )

    @rpc
    def unread_count(self) -> dict:
        """How many of the caller's messages are unread."""
        self.actor.require_login()
        return UnreadSchema().dump({"unread": store.count_unread(self.db, self.actor.user_id)})

    @rpc
    def mark_read(self, item_id: int) -> dict:
        """Mark one of the caller's own messages read (idempotent)."""
        self.actor.require_login()
        row = store.mark_read(self.db, self.actor.user_id, int(item_id), datetime.now(UTC))
        if row is None:
            raise NotFound("Pesan tidak ditemukan.")
        return InboxItemSchema().dump(_item(row))

    @rpc
    def mark_all_read(self) -> dict:
        """Mark every message of the caller read."""
        self.actor.require_login()
        marked = store.mark_all_read(self.db, self.actor.user_id, datetime.now(UTC))
        return UnreadSchema().dump({"unread": 0, "marked": marked})

    @rpc
    def preferences(self) -> list[dict]:
        """Per category: whether the caller receives it by email (the inbox always receives it)."""
        self.actor.require_login()
        return self._preferences(self.actor.user_id)

    @rpc
    def set_preference(self, category: str, payload: dict) -> list[dict]:
        """Turn email for a category on or off; essential messages are sent regardless."""
        self.actor.require_login()
        if category not in CATEGORIES:
            raise NotFound(
                "Kategori notifikasi tidak dikenal.", {"category": [", ".join(CATEGORIES)]}
            )
        data = _load(PreferenceUpdateSchema(), payload)
        store.save_preference(
            self.db, self.actor.user_id, category, "email", data["email"], datetime.now(UTC)
        )
        return self._preferences(self.actor.user_id)

    def _preferences(self, user_id: int) -> list[dict]:
        saved = store.fetch_preferences(self.db, user_id)
        return PreferenceSchema(many=True).dump(
            [
                {"category": code, "name": name, "email": saved.get((code, "email"), True)}
                for code, name in CATEGORIES.items()
            ]
        )
