"""Notifications over HTTP: a user's inbox and preferences; delivery status and templates for admins."""

from __future__ import annotations

from flask import Blueprint

from gateway.access import ADMIN_ONLY, OWNER, SIGNED_IN
from gateway.api import endpoint, rpc
from services.notifications.contract import (
    EventPageSchema,
    EventQuerySchema,
    InboundEventSchema,
    InboxItemSchema,
    InboxPageSchema,
    InboxQuerySchema,
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationsClient,
    PreferenceSchema,
    PreferenceUpdateSchema,
    PreviewRequestSchema,
    PreviewSchema,
    SendTestResultSchema,
    SendTestSchema,
    TemplateSchema,
    UnreadSchema,
)

blueprint = Blueprint("notifications", __name__, url_prefix="/api/v1")
INBOX = ("Kotak masuk",)
ADMIN = ("Notifikasi (admin)",)
notifications = NotificationsClient(rpc)


@blueprint.get("/inbox")
@endpoint(
    "Kotak masuk saya",
    tags=INBOX,
    query=InboxQuerySchema,
    response=InboxPageSchema,
    auth=True,
    access=SIGNED_IN,
)
def inbox(query):
    """The caller's own messages, newest first (`unread=true` for unread only), with the unread count."""
    return notifications.inbox(query)


@blueprint.get("/inbox/unread-count")
@endpoint(
    "Jumlah pesan belum dibaca", tags=INBOX, response=UnreadSchema, auth=True, access=SIGNED_IN
)
def unread_count():
    """How many of the caller's messages are unread (for a badge)."""
    return notifications.unread_count()


@blueprint.post("/inbox/<int:item_id>/read")
@endpoint(
    "Tandai pesan dibaca",
    tags=INBOX,
    response=InboxItemSchema,
    auth=True,
    errors=(404,),
    access=OWNER,
)
def mark_read(item_id):
    """Mark one of the caller's messages read; someone else's message answers 404."""
    return notifications.mark_read(item_id)


@blueprint.post("/inbox/read-all")
@endpoint(
    "Tandai semua pesan dibaca", tags=INBOX, response=UnreadSchema, auth=True, access=SIGNED_IN
)
def mark_all_read():
    """Mark every message of the caller read."""
    return notifications.mark_all_read()


@blueprint.get("/notifications/preferences")
@endpoint(
    "Pengaturan notifikasi saya",
    tags=INBOX,
    response=PreferenceSchema,
    many=True,
    auth=True,
    access=SIGNED_IN,
)
def preferences():
    """Per category, whether the caller receives it by email. The inbox always receives everything."""
    return notifications.preferences()


@blueprint.put("/notifications/preferences/<category>")
@endpoint(
    "Ubah pengaturan email satu kategori",
    tags=INBOX,
    body=PreferenceUpdateSchema,
    response=PreferenceSchema,
    many=True,
    auth=True,
    errors=(404, 422),
    access=SIGNED_IN,
)
def set_preference(category, body):
    """Turn email on or off for a category (`{"email": false}`); essential messages are sent anyway."""
    return notifications.set_preference(category, body)


@blueprint.get("/notifications")
@endpoint(
    "Status pengiriman notifikasi",
    tags=ADMIN,
    query=NotificationQuerySchema,
    response=NotificationPageSchema,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def list_notifications(query):
    """Every message with its status (pending, sending, sent, retrying, failed), attempts and last
    error; filter by status, channel, event_type, event_id, user_id, category."""
    return notifications.list_notifications(query)


@blueprint.get("/notifications/events")
@endpoint(
    "Peristiwa yang diterima",
    tags=ADMIN,
    query=EventQuerySchema,
    response=EventPageSchema,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def list_events(query):
    """Received events: done, retrying (accounts unreachable) or parked with the reason
    (e.g. a template placeholder the event does not provide)."""
    return notifications.list_events(query)


@blueprint.post("/notifications/events/<event_id>/replay")
@endpoint(
    "Ulangi peristiwa yang diparkir",
    tags=ADMIN,
    response=InboundEventSchema,
    roles=("admin",),
    errors=(404, 422),
    access=ADMIN_ONLY,
)
def replay_event(event_id):
    """After fixing the cause, expand a parked event again (by the next sweep).

    Aturan keadaan (422 naming `status`): only an event that is parked can be replayed."""
    return notifications.replay_event(event_id)


@blueprint.get("/notifications/templates")
@endpoint(
    "Daftar templat",
    tags=ADMIN,
    response=TemplateSchema,
    many=True,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def list_templates():
    """Every template per event type, audience and channel, with its placeholders and sample values."""
    return notifications.list_templates()


@blueprint.post("/notifications/templates/<int:template_id>/preview")
@endpoint(
    "Pratinjau templat",
    tags=ADMIN,
    body=PreviewRequestSchema,
    response=PreviewSchema,
    roles=("admin",),
    errors=(404, 422),
    access=ADMIN_ONLY,
)
def preview_template(template_id, body):
    """Render a template with `values` over its sample values; 422 names any placeholder left empty."""
    return notifications.preview_template(template_id, body)


@blueprint.post("/notifications/test")
@endpoint(
    "Kirim pesan uji",
    tags=ADMIN,
    body=SendTestSchema,
    response=SendTestResultSchema,
    status=202,
    roles=("admin",),
    errors=(422,),
    access=ADMIN_ONLY,
)
def send_test(body):
    """Publish a `notifications.test_requested` event: a test message to a user by email and inbox
    (and to the staff of `agency` when given). Follow it at /notifications?event_id=…"""
    return notifications.send_test(body)
