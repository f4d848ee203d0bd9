"""The dashboard service (leaders' dashboard, "Satu klik untuk semua"): a read model fed by the
events of the apps' contracts, and thin entrypoints over it. It never calls another service on
a question; `make dashboard-rebuild` (services.dashboard.rebuild) refills it from their outboxes."""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.reliable_events import reliable_event_handler
from services.dashboard import readmodel, summary
from services.dashboard.models import outbox


class DashboardService:
    name = "dashboard"

    db = Database("dashboard")
    outbox = Outbox(outbox)
    actor = CallContext()

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- the read model -----------------------------------------------------------------------

    @reliable_event_handler(event_types=readmodel.CONSUMED)
    def feed(self, event_type: str, payload: dict) -> None:
        """Count a fact another app published (once per event id)."""
        readmodel.apply(self.db, event_type, payload)

    # --- questions ----------------------------------------------------------------------------

    @rpc
    def summary(self, query: dict | None = None) -> dict:
        """The leaders' figures: role leader and admins only."""
        return summary.leaders(self.db, self.actor, query)

    @rpc
    def public_summary(self, query: dict | None = None) -> dict:
        """Anyone: the same figures without the list of late reports."""
        return summary.for_everyone(self.db, query)

    @rpc
    def version(self) -> dict:
        """The read model's version (a number, nothing else): anyone, cheap."""
        return summary.version(self.db)
