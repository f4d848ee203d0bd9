"""The complaints app's part of the authorisation matrix (tests/security) for area alerts
(issue 16); its other routes are described by the platform's own tables. Subscribing is open to
anyone: the matrix sends a body the schema refuses (422 names the field), so no persona adds
an alert. The two link pages are called without a code: 400, for everyone alike."""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES: dict = {}

CALLS = {"complaint_alerts.create_alert": lambda w: Call(json={"categories": []})}


def build(builder) -> None:
    """Nothing to build: an alert belongs to an address, not to any persona of the world."""
