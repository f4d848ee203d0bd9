"""The sign-in pages against another site: forged logins and sign-ups, and redirects after
signing in that would send a person to a phishing page."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import PASSWORD, register_citizen, unique_email
from tests.support.web import form_token, post_login, web_login

PHISHING = [
    "/\t/jahat.example/phish",  # browsers drop the tab: //jahat.example/phish
    "/\n/jahat.example/phish",
    "/\\jahat.example/phish",
    "//jahat.example/phish",
    "https://jahat.example/phish",
]


def session_cookie(response) -> str | None:
    cookies = response.headers.getlist("Set-Cookie")
    return next((c for c in cookies if c.startswith("gawe_sesi=") and "=;" not in c), None)


def test_a_login_form_posted_from_another_site_is_refused(platform, client):
    citizen = register_citizen(client)
    browser = platform.client
    forged = browser.post("/masuk", data={"email": citizen["email"], "password": PASSWORD})
    assert forged.status_code == 403 and session_cookie(forged) is None

    # a token from another browser's form does not fit this browser's cookie
    other_token = form_token(platform.client, "/masuk")
    form_token(browser, "/masuk")
    forged = browser.post(
        "/masuk", data={"email": citizen["email"], "password": PASSWORD, "pra": other_token}
    )
    assert forged.status_code == 403 and session_cookie(forged) is None
    assert browser.get("/saya").headers["Location"].startswith("/masuk")  # still signed out

    cookie = next(
        c for c in browser.get("/masuk").headers.getlist("Set-Cookie") if c.startswith("gawe_pra=")
    )
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_sign_up_form_posted_from_another_site_is_refused(platform, client):
    email = unique_email("paksa")
    forged = platform.client.post(
        "/daftar", data={"name": "Dipaksa", "email": email, "password": PASSWORD}
    )
    assert forged.status_code == 403
    refused = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401  # no account was made


@pytest.mark.parametrize("target", PHISHING, ids=repr)
def test_signing_in_never_sends_a_person_to_another_site(platform, client, target):
    citizen = register_citizen(client)
    browser = platform.client
    assert web_login(browser, citizen["email"], following=target) == "/saya"
    # signed in already: the login page sends you on, never away
    again = browser.get("/masuk", query_string={"next": target})
    assert again.status_code == 303 and again.headers["Location"] == "/saya"
    page = browser.get("/saya").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
    marked = browser.post(
        "/saya/kotak-masuk/baca", query_string={"kembali": target}, data={"csrf": csrf}
    )
    assert marked.status_code == 303 and marked.headers["Location"] == "/saya"


def test_a_same_site_path_is_still_followed(platform, client):
    citizen = register_citizen(client)
    response = post_login(platform.client, citizen["email"], following="/saya/pengaturan")
    assert response.status_code == 303 and response.headers["Location"] == "/saya/pengaturan"
