"""The notifications service: events in, email and in-app messages out, each exactly once.

Flow: an event arrives on this service's durable queue (`reliable_event_handler`) → it is
stored and expanded into notification rows (recipients from accounts, rendered templates)
in one transaction → committed → acknowledged → the rows are claimed and sent. What could
not be done then (accounts down, SMTP refusing, the process stopped) is picked up by the
sweep timer (leased: one replica's tick at a time, servicekit.leases), claiming rows safely.

Every entrypoint of the service is declared here, and each hands a `Desk` (its dependencies)
to a plain module that holds the rules: intake, inbox, admin. What other processes may know
of it is its contract (services.notifications.contract).
"""

from __future__ import annotations

from nameko.timer import timer

import services.notifications.apps  # noqa: F401  (registers every app's subscriptions and templates)
from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.leases import leased_timer
from servicekit.metrics import DatabaseGauge
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.reliable_events import reliable_event_handler
from servicekit.rpc import ServiceRpc
from services.accounts.contract import AccountsClient
from services.complaints.contract import ComplaintsClient
from services.notifications import admin, intake, store
from services.notifications import inbox as own_messages
from services.notifications.contract.subscriptions import subscribed_event_types
from services.notifications.dependencies import NotifierProvider
from services.notifications.desk import Desk
from services.notifications.models import outbox


class NotificationsService:
    name = "notifications"

    db = Database("notifications")
    outbox = Outbox(outbox)
    actor = CallContext()
    accounts = ServiceRpc("accounts")
    complaints = ServiceRpc("complaints")  # who filed a report (FiledBy rules)
    notifier = NotifierProvider()
    # on its METRICS_PORT: deliveries by status and channel, counted when Prometheus scrapes
    deliveries = DatabaseGauge(
        "gawe_notifications",
        "Notifications by delivery status and channel",
        ("status", "channel"),
        store.count_by_status_and_channel,
    )

    def _desk(self) -> Desk:
        return Desk(
            self.db,
            self.actor,
            self.outbox,
            self.notifier,
            AccountsClient.over(self.accounts),
            ComplaintsClient.over(self.complaints),
        )

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- events in (services.notifications.intake) ------------------------------------

    @reliable_event_handler(event_types=subscribed_event_types)
    def handle_event(self, event_type: str, payload) -> None:
        """Store the event and its notifications (committed before the ack), then send them."""
        intake.handle_event(self._desk(), event_type, payload)

    @leased_timer("NOTIFY_SWEEP_INTERVAL", 5.0)
    def sweep(self) -> None:
        """Retry what is due: events whose recipients were not resolved, then unsent messages."""
        intake.sweep(self._desk())

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

    # --- admin (services.notifications.admin) ------------------------------------------

    @rpc
    def list_notifications(self, query: dict | None = None) -> dict:
        """Delivery status of every message, newest first, filtered; with counts per status."""
        return admin.list_notifications(self._desk(), query)

    @rpc
    def list_events(self, query: dict | None = None) -> dict:
        """Received events: done, retrying (accounts unreachable) or parked (with the reason)."""
        return admin.list_events(self._desk(), query)

    @rpc
    def replay_event(self, event_id: str) -> dict:
        """Try a parked event again (after fixing its template): it is expanded by the next sweep."""
        return admin.replay_event(self._desk(), event_id)

    @rpc
    def list_templates(self) -> list[dict]:
        """Every template with the placeholders it uses and its sample values."""
        return admin.list_templates(self._desk())

    @rpc
    def preview_template(self, template_id: int, payload: dict | None = None) -> dict:
        """Render a template with the given values over its samples; 422 names what is missing."""
        return admin.preview_template(self._desk(), template_id, payload)

    @rpc
    def send_test(self, payload: dict) -> dict:
        """Publish `notifications.test_requested`: a test message to a user (and an agency's staff)."""
        return admin.send_test(self._desk(), payload)
