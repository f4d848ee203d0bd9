"""The complaints app's own part of the authorisation matrix (tests/security), for the routes of
issue 16; the older complaints routes are described in tests/security/authz_calls.py.

- Area alerts: subscribing is open to anyone; the matrix sends a body the schema refuses (422
  names the field), so no persona adds an alert. The two link pages are called without a code:
  400, for everyone alike.
- Moderation is called with "show" on the world's report, which is not hidden: the service
  answers 409 after its check for whoever may moderate (admins, the handling agency), so the
  world does not change; the staff page's moderation form likewise.
- The staff page's forwarding and recategorising forms name the report's own agency and its own
  category: 422 after the service's check for the agency holding it, nothing moves.
"""

from __future__ import annotations

from tests.security.authz_calls import Call
from tests.security.authz_world import OWNER_AGENCY

VARIABLES: dict = {}

CALLS = {
    "complaint_alerts.create_alert": lambda w: Call(json={"categories": []}),
    "complaints_moderation.moderate": lambda w: Call(json={"action": "show"}),
    "workspace.staff_moderate": lambda w: Call(form={"action": "show"}),
    "workspace.staff_forward": lambda w: Call(form={"to_agency": OWNER_AGENCY}),
    "workspace.staff_recategorise": lambda w: Call(form={"category": w.values["report_category"]}),
}


def build(builder) -> None:
    """Nothing to build: an alert belongs to an address, not to any persona of the world."""
