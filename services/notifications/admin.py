"""What admins do with notifications: delivery status, parked events, templates, test sends.

Plain functions behind NotificationsService's entrypoints of the same names, given its `Desk`.
Each requires the admin role; addresses are shown masked.
"""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import ValidationError

from servicekit.errors import Invalid, NotFound
from services.notifications import store
from services.notifications.contract import (
    TEST_REQUESTED,
    EventPageSchema,
    EventQuerySchema,
    InboundEventSchema,
    NotificationPageSchema,
    NotificationQuerySchema,
    PreviewRequestSchema,
    PreviewSchema,
    SendTestResultSchema,
    SendTestSchema,
    TemplateSchema,
)
from services.notifications.delivery import PARKED, RETRYING
from services.notifications.desk import Desk
from services.notifications.rendering import MissingPlaceholders, placeholders, render


def load(schema, payload):
    """Validate an RPC payload; marshmallow errors become a typed Invalid naming each field."""
    try:
        return schema.load(payload or {})
    except ValidationError as exc:
        raise Invalid("Data tidak valid.", exc.normalized_messages()) from None


def masked(address: str) -> str:
    """`s***@example.id`: enough for an admin to recognise, not to harvest."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else address


def list_notifications(desk: Desk, query: dict | None) -> dict:
    """Delivery status of every message, newest first, filtered; with counts per status."""
    desk.actor.require_role("admin")
    params = load(NotificationQuerySchema(), query)
    page, per_page = params.pop("page"), params.pop("per_page")
    items, total = store.fetch_notifications(desk.db, params, page, per_page)
    for item in items:
        item["address"] = masked(item["address"])
    return NotificationPageSchema().dump(
        {
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
            "counts": store.count_by_status(desk.db),
        }
    )


def list_events(desk: Desk, query: dict | None) -> dict:
    """Received events: done, retrying (accounts unreachable) or parked (with the reason)."""
    desk.actor.require_role("admin")
    params = load(EventQuerySchema(), query)
    items, total = store.fetch_events(
        desk.db, params["status"], params["event_type"], params["page"], params["per_page"]
    )
    return EventPageSchema().dump(
        {"items": items, "page": params["page"], "per_page": params["per_page"], "total": total}
    )


def replay_event(desk: Desk, event_id: str) -> dict:
    """Try a parked event again (after fixing its template): it is expanded by the next sweep."""
    desk.actor.require_role("admin")
    event = store.get_event(desk.db, event_id)
    if event is None:
        raise NotFound("Peristiwa tidak ditemukan.")
    if event["status"] != PARKED:
        raise Invalid(
            "Hanya peristiwa yang diparkir yang dapat diulang.", {"status": [event["status"]]}
        )
    store.update_event(
        desk.db, event["id"], status=RETRYING, next_attempt_at=datetime.now(UTC), attempts=0
    )
    desk.notifier.settings.expansion.templates.clear()  # the fix is read at once (here)
    return InboundEventSchema().dump(store.get_event(desk.db, event_id))


def list_templates(desk: Desk) -> list[dict]:
    """Every template with the placeholders it uses and its sample values."""
    desk.actor.require_role("admin")
    templates = store.fetch_templates(desk.db)
    for t in templates:
        t["placeholders"] = placeholders(t["subject"], t["body_text"], t["body_html"])
    return TemplateSchema(many=True).dump(templates)


def preview_template(desk: Desk, template_id: int, payload: dict | None) -> dict:
    """Render a template with the given values over its samples; 422 names what is missing."""
    desk.actor.require_role("admin")
    values = load(PreviewRequestSchema(), payload)["values"]
    template = store.get_template(desk.db, template_id)
    if template is None:
        raise NotFound("Templat tidak ditemukan.")
    try:
        rendered = render(
            template["subject"],
            template["body_text"],
            template["body_html"],
            {**(template["sample_values"] or {}), **values},
            want_html=template["channel"] == "email",
        )
    except MissingPlaceholders as exc:
        raise Invalid(
            "Ada placeholder tanpa nilai.",
            {"values": {name: ["Wajib diisi."] for name in exc.names}},
        ) from None
    return PreviewSchema().dump(
        {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}
    )


def send_test(desk: Desk, payload: dict) -> dict:
    """Publish `notifications.test_requested`: a test message to a user (and an agency's staff)."""
    desk.actor.require_role("admin")
    data = load(SendTestSchema(), payload)
    event = desk.outbox.add(
        TEST_REQUESTED,
        user_id=data["user_id"],
        agency=data["agency"].upper() if data["agency"] else None,
        note=data["note"],
        requested_by=desk.actor.user_id,
    )
    return SendTestResultSchema().dump(event)
