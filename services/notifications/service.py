"""The notifications service: events in, email and in-app messages out, each exactly once.

Flow: an event arrives on this service's durable queue (`reliable_event_handler`) → it is
stored and expanded into notification rows (recipients from accounts, rendered templates)
in one transaction → committed → acknowledged → the rows are claimed and sent. What could
not be done then (accounts down, SMTP refusing, the process stopped) is picked up by the
sweep timer, on every replica, claiming rows safely.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime

from marshmallow import ValidationError
from nameko.timer import timer

import services.notifications.apps  # noqa: F401  (registers every app's subscriptions and templates)
from servicekit.context import CallContext, request_id_var
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Invalid, NotFound
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.reliable_events import reliable_event_handler
from servicekit.rpc import ServiceRpc
from servicekit.timers import configured_timer
from services.accounts.contract import AccountsClient
from services.complaints.contract import ComplaintsClient
from services.notifications import inbox as own_messages
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
from services.notifications.dependencies import NotifierProvider
from services.notifications.directory import Directory
from services.notifications.expansion import expand, outcome, prepare, write_rows
from services.notifications.models import outbox
from services.notifications.rendering import MissingPlaceholders, placeholders, render
from services.notifications.subscriptions import subscribed_event_types

log = logging.getLogger(__name__)


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


class NotificationsService:
    name = "notifications"

    db = Database("notifications")
    outbox = Outbox(outbox)
    actor = CallContext()
    accounts = ServiceRpc("accounts")
    complaints = ServiceRpc("complaints")  # who filed a report (FiledBy rules)
    notifier = NotifierProvider()

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- events in -------------------------------------------------------------------

    @reliable_event_handler(event_types=subscribed_event_types)
    def handle_event(self, event_type: str, payload) -> None:
        """Store the event and its notifications (committed before the ack), then send them."""
        now = datetime.now(UTC)
        event_id = payload.get("event_id") if isinstance(payload, dict) else None
        if not isinstance(event_id, str) or not event_id:
            # Not one of ours: keep it, parked, under a stable id (a redelivery is the same row).
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
            event_id = f"tanpa-id-{digest.hexdigest()[:40]}"
        # A redelivered event is found out when it is recorded (its event_id is unique).
        notifier = self.notifier
        plan = prepare(
            self.db,
            self._directory(),
            notifier.channels,
            notifier.settings.expansion,
            event_type,
            payload,
            1,
            now,
            self._sources(),
        )
        row = {"event_id": event_id, "event_type": event_type}
        recorded = store.record_event(
            self.db,
            event_id,
            event_type,
            payload,
            request_id_var.get(),
            now,
            **outcome(row, plan, 1, now),
        )
        if not recorded:  # already received: a redelivery, or a copy stored meanwhile
            self.db.rollback()
            return
        claimed, token = write_rows(
            self.db, notifier.channels, plan, now, notifier.settings.courier.lease
        )
        self.db.commit()
        notifier.courier.send(claimed, token)

    @configured_timer("NOTIFY_SWEEP_INTERVAL", 5.0)
    def sweep(self) -> None:
        """Retry what is due: events whose recipients were not resolved, then unsent messages."""
        notifier = self.notifier
        settings = notifier.settings
        now = datetime.now(UTC)
        events = store.claim_due_events(
            self.db, now, settings.courier.lease, settings.courier.batch
        )
        self.db.commit()
        for event in events:
            claimed, token = expand(
                self.db,
                self._directory(),
                notifier.channels,
                settings.expansion,
                event,
                event["attempts"],
                now,
                settings.courier.lease,
                self._sources(),
            )
            self.db.commit()
            notifier.courier.send(claimed, token)
        notifier.courier.sweep()

    def _directory(self) -> Directory:
        return Directory(AccountsClient.over(self.accounts), self.notifier.contact_batcher)

    def _sources(self) -> dict:
        """The services FiledBy rules may ask who filed a record (a new app adds its client)."""
        return {
            "complaints": ComplaintsClient.over(self.complaints),
            "accounts": AccountsClient.over(self.accounts),
        }

    # --- the caller's own messages (services.notifications.inbox) -------------------

    @rpc
    def inbox(self, query: dict | None = None) -> dict:
        """The caller's inbox, newest first, with the number of unread messages."""
        return own_messages.inbox(self.db, self.actor, query)

    @rpc
    def unread_count(self) -> dict:
        """How many of the caller's messages are unread."""
        return own_messages.unread_count(self.db, self.actor)

    @rpc
    def mark_read(self, item_id: int) -> dict:
        """Mark one of the caller's own messages read (idempotent)."""
        return own_messages.mark_read(self.db, self.actor, item_id)

    @rpc
    def mark_all_read(self) -> dict:
        """Mark every message of the caller read."""
        return own_messages.mark_all_read(self.db, self.actor)

    @rpc
    def preferences(self) -> list[dict]:
        """Per category: whether the caller receives it by email (the inbox always receives it)."""
        return own_messages.preferences(self.db, self.actor)

    @rpc
    def set_preference(self, category: str, payload: dict) -> list[dict]:
        """Turn email for a category on or off; essential messages are sent regardless."""
        return own_messages.set_preference(self.db, self.actor, category, payload)

    # --- admin -----------------------------------------------------------------------

    @rpc
    def list_notifications(self, query: dict | None = None) -> dict:
        """Delivery status of every message, newest first, filtered; with counts per status."""
        self.actor.require_role("admin")
        params = load(NotificationQuerySchema(), query)
        page, per_page = params.pop("page"), params.pop("per_page")
        items, total = store.fetch_notifications(self.db, params, page, per_page)
        for item in items:
            item["address"] = masked(item["address"])
        return NotificationPageSchema().dump(
            {
                "items": items,
                "page": page,
                "per_page": per_page,
                "total": total,
                "counts": store.count_by_status(self.db),
            }
        )

    @rpc
    def list_events(self, query: dict | None = None) -> dict:
        """Received events: done, retrying (accounts unreachable) or parked (with the reason)."""
        self.actor.require_role("admin")
        params = load(EventQuerySchema(), query)
        items, total = store.fetch_events(
            self.db, params["status"], params["event_type"], params["page"], params["per_page"]
        )
        return EventPageSchema().dump(
            {"items": items, "page": params["page"], "per_page": params["per_page"], "total": total}
        )

    @rpc
    def replay_event(self, event_id: str) -> dict:
        """Try a parked event again (after fixing its template): it is expanded by the next sweep."""
        self.actor.require_role("admin")
        event = store.get_event(self.db, event_id)
        if event is None:
            raise NotFound("Peristiwa tidak ditemukan.")
        if event["status"] != PARKED:
            raise Invalid(
                "Hanya peristiwa yang diparkir yang dapat diulang.", {"status": [event["status"]]}
            )
        store.update_event(
            self.db, event["id"], status=RETRYING, next_attempt_at=datetime.now(UTC), attempts=0
        )
        self.notifier.settings.expansion.templates.clear()  # the fix is read at once (here)
        return InboundEventSchema().dump(store.get_event(self.db, event_id))

    @rpc
    def list_templates(self) -> list[dict]:
        """Every template with the placeholders it uses and its sample values."""
        self.actor.require_role("admin")
        templates = store.fetch_templates(self.db)
        for t in templates:
            t["placeholders"] = placeholders(t["subject"], t["body_text"], t["body_html"])
        return TemplateSchema(many=True).dump(templates)

    @rpc
    def preview_template(self, template_id: int, payload: dict | None = None) -> dict:
        """Render a template with the given values over its samples; 422 names what is missing."""
        self.actor.require_role("admin")
        values = load(PreviewRequestSchema(), payload)["values"]
        template = store.get_template(self.db, template_id)
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

    @rpc
    def send_test(self, payload: dict) -> dict:
        """Publish `notifications.test_requested`: a test message to a user (and an agency's staff)."""
        self.actor.require_role("admin")
        data = load(SendTestSchema(), payload)
        event = self.outbox.add(
            TEST_REQUESTED,
            user_id=data["user_id"],
            agency=data["agency"].upper() if data["agency"] else None,
            note=data["note"],
            requested_by=self.actor.user_id,
        )
        return SendTestResultSchema().dump(event)
