"""One's own account (issue 16): name and phone on the API and on /saya/akun, and a new
password given the current one, which ends every other session and the old password."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import PASSWORD, auth, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.web import web_login

NEW_PASSWORD = "sandi-baru-Serang-2027"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts"]}


def me(client, token):
    return client.get("/api/v1/me", headers=auth(token))


def change(client, token, current=PASSWORD, new=NEW_PASSWORD):
    body = {"current_password": current, "new_password": new}
    return client.post("/api/v1/me/password", json=body, headers=auth(token))


def test_a_person_changes_their_name_and_phone(client):
    user = register_citizen(client)
    token = login(client, user["email"])
    changed = client.patch(
        "/api/v1/me", json={"name": "  Siti Rahma ", "phone": "0812 3456 7890"}, headers=auth(token)
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["name"] == "Siti Rahma"
    assert changed.get_json()["phone"] == "0812 3456 7890"
    assert me(client, token).get_json()["phone"] == "0812 3456 7890"
    assert me(client, token).get_json()["email"] == user["email"]  # unchanged
    removed = client.patch("/api/v1/me", json={"phone": None}, headers=auth(token))
    assert removed.status_code == 200 and removed.get_json()["phone"] is None
    assert removed.get_json()["name"] == "Siti Rahma"


def test_bad_profile_changes_are_named_and_change_nothing(client, platform):
    token = login(client, register_citizen(client)["email"])
    with nothing_written(platform, "accounts"):
        for body, field in (
            ({"phone": "telepon saya"}, "phone"),
            ({"name": "x"}, "name"),
            ({}, "name"),
            ({"email": "lain@example.id"}, "email"),  # not something one changes here
        ):
            refused = client.patch("/api/v1/me", json=body, headers=auth(token))
            assert refused.status_code == 422, body
            assert refused.headers["Content-Type"] == "application/problem+json"
            assert field in refused.get_json()["errors"], refused.get_json()
        assert client.patch("/api/v1/me", json={"name": "Siti"}).status_code == 401


def test_a_new_password_ends_the_other_sessions_and_the_old_password(client, platform):
    user = register_citizen(client)
    this, other = login(client, user["email"]), login(client, user["email"])
    browser = platform.client
    web_login(browser, user["email"])

    changed = change(client, this)
    assert changed.status_code == 200, changed.get_json()
    fresh = changed.get_json()["access_token"]

    assert me(client, fresh).status_code == 200  # the caller goes on with the new token
    assert me(client, this).status_code == me(client, other).status_code == 401
    assert browser.get("/saya/akun").status_code == 303  # the web session ended too
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD}
        ).status_code
        == 401
    )
    assert me(client, login(client, user["email"], NEW_PASSWORD)).status_code == 200


def test_a_wrong_current_password_or_a_weak_new_one_is_named(client, platform):
    user = register_citizen(client)
    token = login(client, user["email"])
    with nothing_written(platform, "accounts"):
        wrong = change(client, token, current="bukan-sandinya")
        assert wrong.status_code == 422
        assert list(wrong.get_json()["errors"]) == ["current_password"]
        weak = change(client, token, new="pendek")
        assert weak.status_code == 422 and "new_password" in weak.get_json()["errors"]
    assert me(client, token).status_code == 200  # nothing ended
    assert change(client, "bukan-token").status_code == 401


def test_the_account_page_changes_the_profile_and_the_password(platform, client):
    user = register_citizen(client)
    other = login(client, user["email"])
    browser = platform.client
    web_login(browser, user["email"])
    page = browser.get("/saya/akun")
    assert page.status_code == 200 and user["email"] in page.get_data(as_text=True)
    csrf = CSRF.search(page.get_data(as_text=True)).group(1)

    saved = browser.post("/saya/akun", data={"name": "Ujang Web", "phone": "", "csrf": csrf})
    assert saved.status_code == 303 and saved.headers["Location"] == "/saya/akun?ok=profil"
    assert "Ujang Web" in browser.get("/saya/akun?ok=profil").get_data(as_text=True)
    bad = browser.post("/saya/akun", data={"name": "Ujang", "phone": "abc", "csrf": csrf})
    assert bad.status_code == 422 and "Telepon" in bad.get_data(as_text=True)
    assert browser.post("/saya/akun", data={"name": "Tanpa Token"}).status_code == 403

    wrong = browser.post(
        "/saya/akun/sandi",
        data={"current_password": "salah-salah", "new_password": NEW_PASSWORD, "csrf": csrf},
    )
    assert wrong.status_code == 422 and "Kata sandi saat ini" in wrong.get_data(as_text=True)
    done = browser.post(
        "/saya/akun/sandi",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "csrf": csrf},
    )
    assert done.status_code == 303 and done.headers["Location"] == "/saya/akun?ok=sandi"
    # this browser carries on under the new session; the API token of before has ended
    assert browser.get("/saya/akun?ok=sandi").status_code == 200
    assert me(client, other).status_code == 401


def test_the_account_page_is_for_signed_in_people(platform):
    page = platform.app.test_client().get("/saya/akun")
    assert page.status_code == 303 and page.headers["Location"].startswith("/masuk")
