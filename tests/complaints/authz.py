"""The complaints app's own part of the authorisation matrix (tests/security), for the routes of
issue 16; the older complaints routes are described in tests/security/authz_calls.py.

- Area alerts: subscribing is open to anyone; the matrix sends a body the schema refuses (422
  names the field), so no persona adds an alert. The two link pages are called without a code:
  400, for everyone alike.
- Moderation is called with "show" on the world's report, which is not hidden: the service
  answers 409 after its check for whoever may moderate (admins, the handling agency), so the
  world does not change.
"""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES: dict = {}

CALLS = {
    "complaint_alerts.create_alert": lambda w: Call(json={"categories": []}),
    "complaints_moderation.moderate": lambda w: Call(json={"action": "show"}),
}


def build(builder) -> None:
    """Nothing to build: an alert belongs to an address, not to any persona of the world."""
