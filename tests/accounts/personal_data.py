"""The accounts part of the personal-data scan added by issue 16 (tests/security/
test_personal_data.py; sign-ups and staff accounts are planted there): asking for a password
link with a registered and an unknown planted address, on the API and on /lupa-sandi, then
setting a password with a forged token; a phone on one's own account. No answer, page or log line may show the addresses."""

from __future__ import annotations

import re
import uuid

from gateway.workspace.session import COOKIE
from tests.support import logcapture
from tests.support.factories import auth, login, register_citizen
from tests.support.web import form_token


def unknown(where: str) -> str:
    """An address no account has: never stored, so not among the planted values (which must be
    found in a database); its log lines are watched to the end of the run all the same."""
    email = f"tak.terdaftar.{where}.{uuid.uuid4().hex[:8]}@surel-pribadi.example.id"
    logcapture.watch(
        {f"password reset ({where}): unknown address {email}": re.compile(re.escape(email), re.I)}
    )
    return email


def plant(platform, admin_token: str, w) -> None:
    client, p = platform.client, w.plant
    where = "password reset (API)"
    known = register_citizen(client, email=p.email(where))
    for email in (known["email"], unknown("api")):
        asked = client.post("/api/v1/auth/password-reset", json={"email": email})
        assert asked.status_code == 202, asked.get_json()
    forged = {"token": "1.palsu", "password": "sandi-baru-Serang-2027"}
    assert client.post("/api/v1/auth/password-reset/confirm", json=forged).status_code == 422

    where = "password reset (web /lupa-sandi)"
    browser = platform.app.test_client()
    known = register_citizen(client, email=p.email(where))
    for email in (known["email"], unknown("web")):
        data = {"email": email, "pra": form_token(browser, "/lupa-sandi")}
        assert browser.post("/lupa-sandi", data=data).status_code == 303
    pra = form_token(browser, "/atur-ulang-sandi?token=1.palsu")
    data = {"token": "1.palsu", "password": "pendek", "pra": pra}
    assert browser.post("/atur-ulang-sandi", data=data).status_code == 422

    # an address to verify: the link asked again, then a forged token (API and /verifikasi-email)
    where = "email verification"
    unproven = register_citizen(client, email=p.email(where), verified=False)
    headers = auth(login(client, unproven["email"]))
    assert client.post("/api/v1/me/verify-email", headers=headers).status_code == 202
    assert client.post("/api/v1/auth/verify-email", json={"token": "1.palsu"}).status_code == 422
    pra = form_token(browser, "/verifikasi-email?token=1.palsu")
    data = {"token": "1.palsu", "pra": pra}
    assert browser.post("/verifikasi-email", data=data).status_code == 422

    # a phone on one's own account (PATCH /api/v1/me and /saya/akun)
    where = "account phone (API PATCH /api/v1/me)"
    token = login(client, known["email"])
    changed = client.patch("/api/v1/me", json={"phone": p.phone(where)}, headers=auth(token))
    assert changed.status_code == 200, changed.get_json()
    where = "account phone (web /saya/akun)"
    web = platform.app.test_client()
    web.set_cookie(COOKIE, login(client, register_citizen(client)["email"]))
    csrf = re.search(
        r'name="csrf" value="([0-9a-f]{64})"', web.get("/saya/akun").get_data(as_text=True)
    )
    data = {"name": "Warga Bertelepon", "phone": p.phone(where), "csrf": csrf.group(1)}
    assert web.post("/saya/akun", data=data).status_code == 303
