"""Payloads of the notifications service's RPC methods: its public contract (also the gateway's)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from services.notifications.delivery import EVENT_STATUSES, STATUSES
from services.notifications.subscriptions import CATEGORIES

CHANNELS = ("email", "inbox")
OPTIONAL_CHANNELS = ("email",)  # the inbox is always kept: it is where a citizen looks


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
    category = fields.String(load_default=None, validate=validate.OneOf(tuple(CATEGORIES)))


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
    email = fields.Boolean(required=True)


class SendTestSchema(Schema):
    user_id = fields.Integer(required=True, metadata={"description": "penerima pesan uji"})
    agency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "kirim juga ke staf OPD ini", "example": "DPUPR"},
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class SendTestResultSchema(Schema):
    event_id = fields.String()
