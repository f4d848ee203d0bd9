"""The accounts routes added by issue 16, for the authorisation matrix
(tests/security/test_authz_matrix.py; the older ones are in tests/security/authz_calls.py).

Bodies the schemas refuse (422) show the gate is open without changing any persona's password.
"""

from __future__ import annotations

from tests.security.authz_calls import Call

CALLS = {
    "accounts.request_password_reset": lambda w: Call(json={}),
    "accounts.reset_password": lambda w: Call(json={}),
    "workspace.password_forgotten": lambda w: Call(form={"email": ""}),
    "workspace.password_reset": lambda w: Call(form={"token": "", "password": ""}),
}
