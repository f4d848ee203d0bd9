"""The complaints service: citizens report, agencies handle, everyone follows.

Every entrypoint of the service is declared here, and each hands a `Desk` (its dependencies)
to a plain module that holds the rules: categories, filing, acting, queries, api_keys. What
other processes may know of it is its contract (services.complaints.contract).
"""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import GATEWAY, CallContext, ClientAddress
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.outbox import READ_MODELS, RELAY_INTERVAL, Outbox
from servicekit.reliable_events import reliable_event_handler
from servicekit.rpc import ServiceRpc
from services.complaints import (
    acting,
    alerts,
    api_keys,
    auditing,
    categories,
    feedback,
    filing,
    following,
    public_data,
    queries,
    store,
    trails,
)
from services.complaints import moderation as moderation_rules
from services.complaints.contract import REPORT_CREATED
from services.complaints.dependencies import Rules
from services.complaints.desk import Desk
from services.complaints.models import outbox
from services.gis.contract import GisClient


class ComplaintsService:
    name = "complaints"

    db = Database("complaints")
    outbox = Outbox(outbox)
    actor = CallContext()
    client_ip = ClientAddress()
    rules = Rules()
    gis = ServiceRpc("gis")

    def _desk(self) -> Desk:
        return Desk(
            self.db, self.actor, self.rules, self.outbox, GisClient.over(self.gis), self.client_ip
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

    @rpc(callers=READ_MODELS)
    def outbox_events(self, after_id: int = 0, limit: int = 500, event_types=None) -> dict:
        """Every event this service recorded, oldest first, in pages: a read model (the
        leaders' dashboard) empties itself and refills from them (servicekit.outbox)."""
        return self.outbox.page(after_id, limit, event_types)

    # --- categories (Open311 services) --------------------------------------------------------

    @rpc
    def list_categories(self) -> list[dict]:
        """Active categories with their attributes (Open311 services and definitions)."""
        return categories.list_categories(self._desk())

    @rpc
    def get_category(self, code: str) -> dict:
        """One category with its attributes (Open311 service definition)."""
        return categories.get_category(self._desk(), code)

    @rpc
    def save_category(self, payload: dict) -> dict:
        """Admins add or change a category: its agency, area routing and attributes."""
        return categories.save_category(self._desk(), payload)

    # --- filing -------------------------------------------------------------------------------

    @rpc
    def create_report(self, payload: dict, api_key: str | None = None) -> dict:
        """File a report. Refuses places outside the regency.

        When open reports of the same category lie within the duplicate radius (and the caller
        did not set ignore_duplicates), nothing is filed and they are returned as `duplicates`.
        """
        return filing.create_report(self._desk(), payload, api_key)

    @rpc
    def nearby_open_reports(self, category: str, lat: float, lon: float) -> list[dict]:
        """Open reports of a category within the duplicate radius, nearest first."""
        return filing.nearby_open(self._desk(), category, lat, lon)

    # --- acting -------------------------------------------------------------------------------

    @rpc
    def transition(self, public_id: str, payload: dict) -> dict:
        """Move a report through its lifecycle; only the actor each step allows, from the right state."""
        return acting.transition(self._desk(), public_id, payload)

    @rpc
    def support(self, public_id: str, notify: bool = False) -> dict:
        """A citizen supports an existing open report instead of filing the same one again;
        with `notify`, they get its status emails too."""
        return acting.support(self._desk(), public_id, bool(notify))

    @rpc
    def check_photos(self, public_id: str, count: int) -> None:
        """Whether the caller may add `count` photos to the report now; nothing changes. The
        gateway asks before it stores any file (add_photos checks again when recording)."""
        acting.check_photos(self._desk(), public_id, count)

    @rpc
    def add_photos(self, public_id: str, photos: list[dict]) -> dict:
        """Attach stored photos: the reporter while the report is open, agency staff as proof of the fix."""
        return acting.add_photos(self._desk(), public_id, photos)

    # --- reading ------------------------------------------------------------------------------

    @rpc
    def get_report(self, public_id: str) -> dict:
        """A report: public fields for everyone; contact details only for its reporter and agency."""
        return queries.get_report(self._desk(), public_id)

    @rpc
    def get_report_by_token(self, token: str) -> dict:
        """The report an Open311 token stands for."""
        return queries.get_report_by_token(self._desk(), token)

    @rpc
    def list_reports(self, query: dict | None = None) -> dict:
        """Public listing with filters (bbox, category, status, kecamatan), newest first."""
        return queries.list_reports(self._desk(), query)

    @rpc
    def queue(self, query: dict | None = None) -> dict:
        """The agency's queue: its own reports, overdue first, then by deadline."""
        return queries.queue(self._desk(), query)

    @rpc
    def my_reports(self, query: dict | None = None) -> dict:
        """The caller's own reports."""
        return queries.my_reports(self._desk(), query)

    @rpc
    def search_requests(self, criteria: dict) -> list[dict]:
        """Open311 GET requests: by ids, or by categories, date range and open/closed, newest first."""
        return queries.search_requests(self._desk(), criteria)

    @rpc
    def updates(self, start: str, end: str, limit: int = 1000) -> list[dict]:
        """Public status changes between two instants (Open311 servicerequestupdates)."""
        return queries.updates(self._desk(), start, end, limit)

    @rpc
    def get_photo(self, public_id: str, photo_id: int) -> dict:
        """Blob key of a report's photo (the public copy, without metadata)."""
        return queries.get_photo(self._desk(), public_id, photo_id)

    # --- Open311 api keys ---------------------------------------------------------------------

    @rpc
    def issue_api_key(self, payload: dict) -> dict:
        """An admin issues an Open311 api_key to an organisation; the key is shown once."""
        return api_keys.issue_api_key(self._desk(), payload)

    @rpc
    def list_api_keys(self) -> list[dict]:
        """The issued api keys (their prefixes only), for admins."""
        return api_keys.list_api_keys(self._desk())

    # --- moderation ---------------------------------------------------------------------

    @rpc
    def moderate(self, public_id: str, moderation: dict) -> dict:
        """Admins and the handling agency hide a report or one of its photos with a reason, or
        show it again; the moderation is in the timeline for staff only."""
        return moderation_rules.moderate(self._desk(), public_id, moderation)

    @rpc
    def hidden_reports(self, query: dict | None = None) -> dict:
        """What moderators hid, newest moderation first: every hidden report and every report
        with a hidden photo; admins every report's, an agency's officers and verifiers their
        agency's. Never the reporter's contact."""
        return moderation_rules.hidden_reports(self._desk(), query)

    # --- the private audit log (issue 17) ---------------------------------------------------

    @rpc
    def audit_log(self, public_id: str) -> dict:
        """Every entry of a report's private audit log, with its hash chain: Inspektorat's
        auditors and admins, every report's; the staff of the agency handling it."""
        return auditing.audit_log(self._desk(), public_id)

    @rpc
    def verify_audit(self, public_id: str) -> dict:
        """Recompute the report's hash chain: ok, or the first entry that does not verify."""
        return auditing.verify_audit(self._desk(), public_id)

    # --- the reporter's answer ("Sudah diperbaiki?") -------------------------------------

    @rpc(sensitive_arguments=("answer.token",))
    def answer_feedback(self, public_id: str, answer: dict) -> dict:
        """Confirm (closed) or reopen (back to the agency) a resolved report by the single-use
        token of the email's link; no sign-in needed."""
        return feedback.answer(self._desk(), public_id, answer)

    @rpc(callers=("notifications",))
    def feedback_contact(self, report_id: int) -> dict:
        """Who to ask "Sudah diperbaiki?", with the email's links (fresh single-use tokens)."""
        return feedback.contact(self._desk(), report_id)

    # --- supporters following a report ----------------------------------------------------

    @rpc(sensitive_arguments=("token",))
    def stop_following(self, token: str) -> dict:
        """A supporter stops a report's status emails by the token of the emails' link."""
        return following.stop(self._desk(), token)

    @rpc(callers=("notifications",))
    def supporter_contacts(self, report_id: int) -> list[dict]:
        """The supporters who chose a report's status emails, each with their opt-out link."""
        return following.contacts(self._desk(), report_id)

    # --- for other services ---------------------------------------------------------------

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a report refers to, for the blob sweeper (gateway.blobs): a stored
        file not named here belongs to nothing and may be deleted after a grace period."""
        return store.fetch_blob_keys(self.db)

    @rpc(callers=("notifications",))
    def reporter_contact(self, report_id: int) -> dict:
        """Who to tell about a report: a user id, or the anonymous reporter's own contact email."""
        return queries.reporter_contact(self._desk(), report_id)

    # --- area alerts (issue 16): anyone subscribes, the emailed links act by their code alone;
    # only notifications learns an alert's address ---------------------------------------------

    @rpc
    def create_alert(self, payload: dict) -> dict:
        """Subscribe an address to new reports in an area; nothing is sent before it confirms."""
        return alerts.create_alert(self._desk(), payload)

    @rpc
    def confirm_alert(self, code: str) -> dict:
        """The confirmation link: the alert starts."""
        return alerts.confirm_alert(self._desk(), code)

    @rpc
    def unsubscribe_alert(self, code: str) -> dict:
        """The link in every alert email: the alert ends."""
        return alerts.unsubscribe_alert(self._desk(), code)

    @rpc(callers=("notifications",))
    def alert_contact(self, alert_id: int) -> dict:
        """Where an alert's emails go, and its links' codes (notifications only)."""
        return alerts.alert_contact(self._desk(), alert_id)

    @reliable_event_handler(event_types=(REPORT_CREATED,))
    def match_alerts(self, event_type: str, payload: dict) -> None:
        """A new report: the confirmed alerts of its area and category hear of it, once each."""
        alerts.match_report(self._desk(), int(payload["report_id"]))

    # --- open data (issue 16): public facts only ----------------------------------------------

    @rpc
    def area_feed(self, level: str, code: str) -> dict:
        """The newest public reports of a kecamatan or desa (unknown code: 422 naming it)."""
        return public_data.area_feed(self._desk(), level, code)

    @rpc
    def statistics(self) -> dict:
        """Reports per agency, category and month; median working days to resolve; the share
        resolved within the SLA."""
        return public_data.statistics(self._desk())

    # --- the public trail (docs/transparency.md) ----------------------------------------------

    @rpc
    def trail(self, public_id: str) -> dict:
        """Anyone: the hash chain of a report's public steps (data withheld when hidden)."""
        return trails.trail(self._desk(), public_id)

    @rpc
    def trails(self, query: dict | None = None) -> dict:
        """Anyone: every report's chain, a page at a time (for verifiers)."""
        return trails.trails(self._desk(), query)

    @rpc(callers=("transparency",))
    def trail_heads(self, query: dict) -> list:
        """Each chain's head before a time, for the transparency app's daily digest."""
        return trails.heads(self._desk(), query)
