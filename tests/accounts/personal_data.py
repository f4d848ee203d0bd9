"""The accounts part of the personal-data scan added by issue 16 (tests/security/
test_personal_data.py; sign-ups and staff accounts are planted there): asking for a password
link with a registered and an unknown planted address, on the API and on /lupa-sandi, then
setting a password with a forged token. No answer, page or log line may show the addresses."""

from __future__ import annotations

from tests.support.factories import register_citizen
from tests.support.web import form_token


def plant(platform, admin_token: str, w) -> None:
    client, p = platform.client, w.plant
    where = "password reset (API)"
    known = register_citizen(client, name=p.name(where, "Ujang"), email=p.email(where))
    for email in (known["email"], p.email(where + ", unknown address")):
        asked = client.post("/api/v1/auth/password-reset", json={"email": email})
        assert asked.status_code == 202, asked.get_json()
    forged = {"token": "1.palsu", "password": "sandi-baru-Serang-2027"}
    assert client.post("/api/v1/auth/password-reset/confirm", json=forged).status_code == 422

    where = "password reset (web /lupa-sandi)"
    browser = platform.app.test_client()
    known = register_citizen(client, name=p.name(where, "Cecep"), email=p.email(where))
    for email in (known["email"], p.email(where + ", unknown address")):
        data = {"email": email, "pra": form_token(browser, "/lupa-sandi")}
        assert browser.post("/lupa-sandi", data=data).status_code == 303
    pra = form_token(browser, "/atur-ulang-sandi?token=1.palsu")
    data = {"token": "1.palsu", "password": "pendek", "pra": pra}
    assert browser.post("/atur-ulang-sandi", data=data).status_code == 422
