"""The complaints app's own part of the authorisation matrix (tests/security), for the routes of
issue 16; the older complaints routes are described in tests/security/authz_calls.py.

Moderation is called with "show" on the world's report, which is not hidden: the service
answers 409 after its check for whoever may moderate (admins, the handling agency), so the
world does not change."""

from tests.security.authz_calls import Call

CALLS = {
    "complaints_moderation.moderate": lambda w: Call(json={"action": "show"}),
}
