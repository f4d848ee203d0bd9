"""Admins deactivate and reactivate staff accounts (issue 16): a deactivated account cannot
sign in, its sessions end at once, nothing of it is deleted; reactivated, it signs in again."""

from __future__ import annotations

import re

import pytest

from gateway.workspace.session import COOKIE
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.snapshots import nothing_written


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts"]}


def new_staff(client, admin_token, role="officer", agency="DPUPR") -> dict:
    body = {
        "name": "Petugas Uji",
        "email": unique_email("staf"),
        "password": PASSWORD,
        "roles": [role],
        "agency": agency,
    }
    made = client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token))
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def switch(client, token, user_id, action):
    return client.post(f"/api/v1/admin/users/{user_id}/{action}", headers=auth(token))


def signs_in(client, email) -> int:
    body = {"email": email, "password": PASSWORD}
    return client.post("/api/v1/auth/login", json=body).status_code


def test_a_deactivated_staff_account_cannot_sign_in_and_its_sessions_end(client, admin_token):
    staff = new_staff(client, admin_token)
    session = login(client, staff["email"])
    assert client.get("/api/v1/me", headers=auth(session)).status_code == 200

    off = switch(client, admin_token, staff["id"], "deactivate")
    assert off.status_code == 200, off.get_json()
    assert off.get_json()["is_active"] is False and "sv" not in off.get_json()

    assert client.get("/api/v1/me", headers=auth(session)).status_code == 401
    assert signs_in(client, staff["email"]) == 401
    listed = client.get(
        "/api/v1/admin/staff",
        query_string={"agency": "DPUPR", "per_page": 200},
        headers=auth(admin_token),
    ).get_json()["items"]
    [kept] = [u for u in listed if u["id"] == staff["id"]]  # still there, with its history
    assert kept["is_active"] is False and kept["email"] == staff["email"]
    reset = client.post("/api/v1/auth/password-reset", json={"email": staff["email"]})
    assert reset.status_code == 202  # answered alike; nothing is sent to an inactive account

    on = switch(client, admin_token, staff["id"], "reactivate")
    assert on.status_code == 200 and on.get_json()["is_active"] is True
    assert signs_in(client, staff["email"]) == 200


def test_only_admins_switch_staff_accounts_and_not_citizens_or_themselves(
    client, platform, admin_token
):
    staff = new_staff(client, admin_token)
    citizen = register_citizen(client)
    officer = login(client, new_staff(client, admin_token)["email"])
    admin_id = client.get("/api/v1/me", headers=auth(admin_token)).get_json()["id"]
    with nothing_written(platform, "accounts"):
        assert switch(client, officer, staff["id"], "deactivate").status_code == 403
        assert client.post(f"/api/v1/admin/users/{staff['id']}/deactivate").status_code == 401
        for user_id in (citizen["id"], admin_id):
            refused = switch(client, admin_token, user_id, "deactivate")
            assert refused.status_code == 409
            assert refused.headers["Content-Type"] == "application/problem+json"
            assert "user_id" in refused.get_json()["errors"]
        assert switch(client, admin_token, 99_999_999, "deactivate").status_code == 404
    assert signs_in(client, staff["email"]) == 200


def test_the_admin_page_deactivates_and_reactivates_a_staff_account(platform, client, admin_token):
    staff = new_staff(client, admin_token)
    session = login(client, staff["email"])
    browser = platform.app.test_client()
    browser.set_cookie(COOKIE, admin_token)
    page = browser.get("/admin?agency=DPUPR&per_page=200").get_data(as_text=True)
    assert f'action="/admin/staf/{staff["id"]}/status"' in page
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)

    off = browser.post(f"/admin/staf/{staff['id']}/status", data={"aktif": "0", "csrf": csrf})
    assert off.status_code == 303 and off.headers["Location"] == "/admin?status=nonaktif"
    assert "dinonaktifkan" in browser.get(off.headers["Location"]).get_data(as_text=True)
    assert client.get("/api/v1/me", headers=auth(session)).status_code == 401
    assert signs_in(client, staff["email"]) == 401

    on = browser.post(f"/admin/staf/{staff['id']}/status", data={"aktif": "1", "csrf": csrf})
    assert on.status_code == 303 and signs_in(client, staff["email"]) == 200
    citizen = register_citizen(client)
    refused = browser.post(f"/admin/staf/{citizen['id']}/status", data={"aktif": "0", "csrf": csrf})
    assert refused.status_code == 409 and "Hanya akun staf" in refused.get_data(as_text=True)
