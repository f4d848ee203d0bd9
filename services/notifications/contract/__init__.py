"""The published contract of the notifications service: what any other process may know of it.

Its RPC request and reply schemas (the gateway's too), the codes they use (delivery statuses,
channels, the message categories a citizen may turn email off for, with their Bahasa Indonesia
names), the event it publishes and `NotificationsClient`, the typed client of its RPCs.
Depends only on the standard library, marshmallow and servicekit.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.client import Client
from servicekit.events import EventSchema, event
from servicekit.schema_fields import OneOfDeclared, StrictBoolean, StrictInteger

# --- codes --------------------------------------------------------------------------------

# a message to one recipient on one channel (see delivery.py for how it moves)
PENDING = "pending"
SENDING = "sending"
SENT = "sent"
RETRYING = "retrying"
FAILED = "failed"
STATUSES = (PENDING, SENDING, SENT, RETRYING, FAILED)

# a received event
RECEIVED = "received"
EXPANDING = "expanding"
DONE = "done"
PARKED = "parked"
EVENT_STATUSES = (RECEIVED, EXPANDING, DONE, RETRYING, PARKED)

CHANNELS = ("email", "inbox")
OPTIONAL_CHANNELS = ("email",)  # the inbox is always kept: it is where a citizen looks

# category code -> what a citizen sees on the preferences page
CATEGORIES: dict[str, str] = {
    "uji": "Pesan uji coba dari admin",
    "pengaduan": "Perkembangan laporan pengaduan",
    "usulan": "Perkembangan usulan (musrenbang, hibah, bansos)",
}
# Categories of essential messages only (nothing to turn off): not offered as preferences.
ESSENTIAL_CATEGORIES: dict[str, str] = {
    "akun": "Akun dan keamanannya",
}


def add_category(code: str, label: str, essential: bool = False) -> None:
    """A category of messages an app sends, named in its own notifications module (the one its
    manifest names in `AppSpec.notifications`): offered on the preferences page unless
    essential. Adding the same category again with the same label is harmless."""
    into = ESSENTIAL_CATEGORIES if essential else CATEGORIES
    if into.get(code, label) != label:
        raise ValueError(f"notification category {code!r} is already {into[code]!r}")
    into[code] = label


# --- RPC payloads -------------------------------------------------------------------------


class _Page(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class InboxQuerySchema(_Page):
    unread = fields.Boolean(
        load_default=False, metadata={"description": "hanya pesan yang belum dibaca"}
    )


class InboxItemSchema(Schema):
    id = fields.Integer()
    subject = fields.String()
    body = fields.String()
    category = fields.String()
    event_type = fields.String()
    created_at = fields.DateTime(format="iso")
    read_at = fields.DateTime(format="iso", allow_none=True)
    read = fields.Boolean()


class InboxPageSchema(Schema):
    items = fields.List(fields.Nested(InboxItemSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    unread = fields.Integer(metadata={"description": "jumlah pesan yang belum dibaca"})


class UnreadSchema(Schema):
    unread = fields.Integer()
    marked = fields.Integer(metadata={"description": "pesan yang baru ditandai dibaca"})


class NotificationQuerySchema(_Page):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    channel = fields.String(load_default=None, validate=validate.OneOf(CHANNELS))
    event_type = fields.String(load_default=None, validate=validate.Length(max=120))
    event_id = fields.String(load_default=None, validate=validate.Length(max=64))
    user_id = fields.Integer(load_default=None)
    category = fields.String(load_default=None, validate=OneOfDeclared(lambda: tuple(CATEGORIES)))


class NotificationSchema(Schema):
    """One message to one recipient on one channel, with its delivery status (for admins)."""

    id = fields.Integer()
    event_id = fields.String()
    event_type = fields.String()
    user_id = fields.Integer()
    channel = fields.String()
    template_id = fields.Integer()
    category = fields.String()
    essential = fields.Boolean()
    address = fields.String(metadata={"description": "alamat tersamar, mis. s***@example.id"})
    subject = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime(format="iso")
    next_attempt_at = fields.DateTime(format="iso", allow_none=True)
    sent_at = fields.DateTime(format="iso", allow_none=True)
    reference = fields.String(allow_none=True, metadata={"description": "Message-ID email"})


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    counts = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "per status"}
    )


class EventQuerySchema(_Page):
    status = fields.String(load_default=None, validate=validate.OneOf(EVENT_STATUSES))
    event_type = fields.String(load_default=None, validate=validate.Length(max=120))


class InboundEventSchema(Schema):
    """A received event: done, waiting for a retry, or parked with the reason."""

    event_id = fields.String()
    event_type = fields.String()
    status = fields.String(metadata={"enum": list(EVENT_STATUSES)})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    received_at = fields.DateTime(format="iso")
    next_attempt_at = fields.DateTime(format="iso", allow_none=True)
    done_at = fields.DateTime(format="iso", allow_none=True)


class EventPageSchema(Schema):
    items = fields.List(fields.Nested(InboundEventSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class TemplateSchema(Schema):
    id = fields.Integer()
    event_type = fields.String()
    audience = fields.String()
    channel = fields.String()
    subject = fields.String(allow_none=True)
    body_text = fields.String()
    body_html = fields.String(allow_none=True)
    placeholders = fields.List(fields.String())
    sample_values = fields.Dict(keys=fields.String(), values=fields.String())
    updated_at = fields.DateTime(format="iso")


class PreviewRequestSchema(Schema):
    values = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        values=fields.String(validate=validate.Length(max=5000)),
        load_default=dict,
        metadata={"description": "nilai placeholder; yang tidak diisi memakai contoh templat"},
    )


class PreviewSchema(Schema):
    subject = fields.String(allow_none=True)
    text = fields.String()
    html = fields.String(allow_none=True)


class PreferenceSchema(Schema):
    category = fields.String()
    name = fields.String()
    email = fields.Boolean(metadata={"description": "email untuk kategori ini aktif"})


class PreferenceUpdateSchema(Schema):
    email = StrictBoolean(required=True)


class SendTestSchema(Schema):
    user_id = StrictInteger(required=True, metadata={"description": "penerima pesan uji"})
    agency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "kirim juga ke staf OPD ini", "example": "DPUPR"},
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class SendTestResultSchema(Schema):
    event_id = fields.String()


# --- events -------------------------------------------------------------------------------

TEST_REQUESTED = "notifications.test_requested"


@event(TEST_REQUESTED)
class NotificationTestRequested(EventSchema):
    """An admin asked for a test message: to a user, and to an agency's staff when given."""

    user_id = fields.Integer(required=True)
    agency = fields.String(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)
    requested_by = fields.Integer(allow_none=True, load_default=None)


# --- the typed client ---------------------------------------------------------------------


class NotificationsClient(Client):
    service = "notifications"

    def inbox(self, query: dict | None = None) -> dict:
        """The caller's own messages (InboxQuerySchema), an InboxPageSchema."""
        return self._call("inbox", query)

    def unread_count(self) -> dict:
        """How many of the caller's messages are unread (UnreadSchema)."""
        return self._call("unread_count")

    def mark_read(self, item_id: int) -> dict:
        """Mark one of the caller's messages read (InboxItemSchema); another's is NotFound."""
        return self._call("mark_read", item_id)

    def mark_all_read(self) -> dict:
        """Mark every message of the caller read (UnreadSchema)."""
        return self._call("mark_all_read")

    def preferences(self) -> list[dict]:
        """The caller's email preference per category (PreferenceSchema each)."""
        return self._call("preferences")

    def set_preference(self, category: str, payload: dict) -> list[dict]:
        """Turn email on or off for a category (PreferenceUpdateSchema); every preference."""
        return self._call("set_preference", category, payload)

    def list_notifications(self, query: dict | None = None) -> dict:
        """Messages with their delivery status, for admins (NotificationQuerySchema)."""
        return self._call("list_notifications", query)

    def list_events(self, query: dict | None = None) -> dict:
        """Received events with their status, for admins (EventQuerySchema), an EventPageSchema."""
        return self._call("list_events", query)

    def replay_event(self, event_id: str) -> dict:
        """Expand a parked event again, for admins (InboundEventSchema)."""
        return self._call("replay_event", event_id)

    def list_templates(self) -> list[dict]:
        """Every template (TemplateSchema each), for admins."""
        return self._call("list_templates")

    def preview_template(self, template_id: int, payload: dict) -> dict:
        """A template rendered with values (PreviewRequestSchema), a PreviewSchema, for admins."""
        return self._call("preview_template", template_id, payload)

    def send_test(self, payload: dict) -> dict:
        """Publish a test message event (SendTestSchema), for admins; its event id."""
        return self._call("send_test", payload)


# What an app declares in its own notifications module (`AppSpec.notifications`): who hears of
# its events, the texts they get, its categories. Importable by any app (plain data).
from services.notifications.contract.subscriptions import (  # noqa: E402
    AgencyStaff,
    Audience,
    ConcernedUser,
    FiledBy,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DefaultTemplate, add_templates  # noqa: E402

__all__ = [
    "AgencyStaff",
    "Audience",
    "ConcernedUser",
    "DefaultTemplate",
    "FiledBy",
    "Subscription",
    "add_category",
    "add_templates",
    "subscribe",
]
