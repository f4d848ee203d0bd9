"""The area alerts' entrypoints (issue 16), mixed into ComplaintsService: each checks who may
call it and hands the service's `Desk` to services/complaints/alerts.py."""

from __future__ import annotations

from servicekit.entrypoints import rpc
from servicekit.reliable_events import reliable_event_handler
from services.complaints import alerts
from services.complaints.contract import REPORT_CREATED


class AlertEntrypoints:
    """Anyone subscribes (the link in the email proves the address); the links act by their
    code alone, no sign-in; only notifications learns an alert's address."""

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
