"""The accounts routes added by issue 16, for the authorisation matrix
(tests/security/test_authz_matrix.py; the older ones are in tests/security/authz_calls.py).

Bodies the schemas refuse (422) show the gate is open without changing any persona's password.
"""

from __future__ import annotations

import uuid

from tests.security.authz_calls import Call

CALLS = {
    "accounts.request_password_reset": lambda w: Call(json={}),
    "accounts.reset_password": lambda w: Call(json={}),
    "workspace.password_forgotten": lambda w: Call(form={"email": ""}),
    "workspace.password_reset": lambda w: Call(form={"token": "", "password": ""}),
    # a wrong current password: 422 after the service's check, nobody's password changes
    "accounts.change_password": lambda w: Call(
        json={"current_password": "bukan-sandinya", "new_password": "sandi-baru-Serang-2027"}
    ),
    "workspace.my_password_save": lambda w: Call(
        form={"current_password": "bukan-sandinya", "new_password": "sandi-baru-Serang-2027"}
    ),
    "accounts.update_me": lambda w: Call(json={}),
    "workspace.my_account_save": lambda w: Call(form={"name": "", "phone": ""}),
    "workspace.admin_staff_status": lambda w: Call(form={"aktif": "1"}),
    # email verification: no token (422 for everyone); asking again as whoever calls (the
    # API's and /saya/akun's button: a link to the caller's own address, or none)
    "accounts.verify_email": lambda w: Call(json={}),
    "workspace.my_email_verification": lambda w: Call(form={}),
    "workspace.email_verification": lambda w: Call(form={"token": ""}),
}

# deactivating and reactivating a staff account the world makes for it (admins only)
VARIABLES = {"user_id": "switchable_staff"}


def build(builder) -> None:
    body = {
        "name": "Staf Matriks Nonaktif",
        "email": f"matriks.nonaktif.{uuid.uuid4().hex[:8]}@example.id",
        "password": "rahasia-Serang-2026",
        "roles": ["officer"],
        "agency": "DPUPR",
    }
    made = builder.post("admin", "/api/v1/admin/staff", 201, **body)
    builder.values["switchable_staff"] = made["id"]
