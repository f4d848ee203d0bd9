"""The complaints service's RPCs that other processes call, typed: `ComplaintsClient(rpc)` in
the gateway, `ComplaintsClient.over(self.complaints)` in a service."""

from __future__ import annotations

from servicekit.client import Client


class ComplaintsClient(Client):
    service = "complaints"

    # --- categories (Open311 services) ---------------------------------------------------

    def list_categories(self) -> list[dict]:
        """Active categories with their attributes (CategorySchema each)."""
        return self._call("list_categories")

    def get_category(self, code: str) -> dict:
        """One category by code (404 when there is none)."""
        return self._call("get_category", code)

    def save_category(self, category: dict) -> dict:
        """Admins add or change a category (CategorySchema)."""
        return self._call("save_category", category)

    # --- filing and acting ----------------------------------------------------------------

    def create_report(self, report: dict, api_key: str | None = None) -> dict:
        """File a report (ReportCreateSchema): {"report": ..., "duplicates": [...]}."""
        return self._call("create_report", report, api_key=api_key)

    def nearby_open_reports(self, category: str, lat: float, lon: float) -> list[dict]:
        """Open reports of a category within the duplicate radius (CandidateSchema each)."""
        return self._call("nearby_open_reports", category, lat, lon)

    def transition(self, public_id: str, transition: dict) -> dict:
        """Move a report through its lifecycle (TransitionSchema); the report as the caller sees it."""
        return self._call("transition", public_id, transition)

    def support(self, public_id: str, notify: bool = False) -> dict:
        """The caller supports an open report, with `notify` also following its status by
        email: {public_id, supporters, added, notify}."""
        return self._call("support", public_id, notify=notify)

    def stop_following(self, token: str) -> dict:
        """Stop a report's status emails by the token of their link: {public_id, notify}."""
        return self._call("stop_following", token)

    def check_photos(self, public_id: str, count: int) -> None:
        """Whether the caller may add `count` photos to the report now (raises if not)."""
        return self._call("check_photos", public_id, count)

    def add_photos(self, public_id: str, photos: list[dict]) -> dict:
        """Attach stored photos ({key, content_type} each); the report as the caller sees it."""
        return self._call("add_photos", public_id, photos)

    # --- reading --------------------------------------------------------------------------

    def get_report(self, public_id: str) -> dict:
        """A report: PrivateReportSchema for its reporter and agency, else PublicReportSchema."""
        return self._call("get_report", public_id)

    def get_report_by_token(self, token: str) -> dict:
        """The Open311 token's report: {service_request_id, token}."""
        return self._call("get_report_by_token", token)

    def list_reports(self, query: dict | None = None) -> dict:
        """The public listing (ListQuerySchema), a ReportPageSchema."""
        return self._call("list_reports", query)

    def my_reports(self, query: dict | None = None) -> dict:
        """The caller's own reports (ListQuerySchema), a ReportPageSchema."""
        return self._call("my_reports", query)

    def queue(self, query: dict | None = None) -> dict:
        """The caller's agency queue, overdue first (QueueQuerySchema), a ReportPageSchema."""
        return self._call("queue", query)

    def search_requests(self, criteria: dict) -> list[dict]:
        """Open311 service requests by ids, or categories, period and statuses."""
        return self._call("search_requests", criteria)

    def updates(self, start: str, end: str, limit: int = 1000) -> list[dict]:
        """Open311 status changes between two ISO timestamps, oldest first."""
        return self._call("updates", start, end, limit)

    def get_photo(self, public_id: str, photo_id: int) -> dict:
        """Where a report's photo is stored: {blob_key, content_type}."""
        return self._call("get_photo", public_id, photo_id)

    # --- Open311 keys (admins) ------------------------------------------------------------

    def issue_api_key(self, request: dict) -> dict:
        """Issue an Open311 api_key to an organisation (ApiKeyCreateSchema); shown once."""
        return self._call("issue_api_key", request)

    def list_api_keys(self) -> list[dict]:
        """Organisations with Open311 keys (ApiKeySchema each, without the key)."""
        return self._call("list_api_keys")

    def moderate(self, public_id: str, moderation: dict) -> dict:
        """Hide a report or one of its photos, or show it again (ModerationSchema); admins and
        the handling agency: a ModerationResultSchema."""
        return self._call("moderate", public_id, moderation)

    def hidden_reports(self, query: dict | None = None) -> dict:
        """What moderators hid (HiddenQuerySchema), newest moderation first, a HiddenPageSchema:
        admins every report's, an agency's officers and verifiers their agency's."""
        return self._call("hidden_reports", query)

    def answer_feedback(self, public_id: str, answer: dict) -> dict:
        """The reporter's answer to "Sudah diperbaiki?" by the token of the email's link
        (FeedbackAnswerSchema), signed in or not: the report as the public sees it."""
        return self._call("answer_feedback", public_id, answer)

    # --- for other services ---------------------------------------------------------------

    def blob_keys(self) -> list[str]:
        """Every blob key a report refers to (for the blob sweeper; the gateway only)."""
        return self._call("blob_keys")

    def reporter_contact(self, report_id: int) -> dict:
        """Who to tell about a report: {user_id, email, name} (notifications only)."""
        return self._call("reporter_contact", report_id)

    # --- the private audit log (services.complaints.contract.audit) -------------------------

    def audit_log(self, public_id: str) -> dict:
        """Every entry of a report's private audit log, with its hash chain (AuditLogSchema)."""
        return self._call("audit_log", public_id)

    def verify_audit(self, public_id: str) -> dict:
        """Recompute the report's hash chain (AuditVerdictSchema): ok, or where it breaks."""
        return self._call("verify_audit", public_id)

    # --- area alerts (services.complaints.contract.alerts) ---------------------------------

    def create_alert(self, request: dict) -> dict:
        """Subscribe an address to new reports in an area (AlertCreateSchema); confirmed by email."""
        return self._call("create_alert", request)

    def confirm_alert(self, code: str) -> dict:
        """The confirmation link's code: the alert starts (AlertLinkSchema)."""
        return self._call("confirm_alert", code)

    def unsubscribe_alert(self, code: str) -> dict:
        """The unsubscribe link's code: the alert ends (AlertLinkSchema)."""
        return self._call("unsubscribe_alert", code)

    def alert_contact(self, alert_id: int) -> dict:
        """Where an alert goes: {user_id, email, name, values} (notifications only)."""
        return self._call("alert_contact", alert_id)

    # --- open data (issue 16) ---------------------------------------------------------------

    def area_feed(self, level: str, code: str) -> dict:
        """The newest public reports of a kecamatan or desa: {level, code, name, entries}."""
        return self._call("area_feed", level, code)

    def statistics(self) -> dict:
        """The public statistics (StatisticsSchema)."""
        return self._call("statistics")

    def trail(self, public_id: str) -> dict:
        """Anyone: the hash chain of a report's public steps (servicekit.trail)."""
        return self._call("trail", public_id)

    def trails(self, query: dict | None = None) -> dict:
        """Anyone: every report's chain, a page at a time."""
        return self._call("trails", query)

    def supporter_contacts(self, report_id: int) -> list[dict]:
        """Supporters following a report: [{user_id, values}] (notifications only)."""
        return self._call("supporter_contacts", report_id)

    def feedback_contact(self, report_id: int) -> dict:
        """Who to ask "Sudah diperbaiki?" about a resolved report, with the values of the
        email's links (fresh single-use tokens) under `values` (notifications only)."""
        return self._call("feedback_contact", report_id)
