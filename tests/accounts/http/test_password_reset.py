"""A forgotten password (issue 16): a link by email, valid one hour, used once; setting the new
password ends every session and the old password; nobody learns whether an address has an
account; neither the token nor the address reaches an event or a log line.

HTTP → accounts → outbox → RabbitMQ → notifications (→ accounts for the link) → SMTP here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from gateway import create_app
from gateway.accounts.schemas import PASSWORD_RESET_SENT
from servicekit.database import make_engine
from tests.notifications.conftest import FAST, part
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.waiting import wait_until
from tests.support.web import form_token, web_login

NEW_PASSWORD = "sandi-baru-Serang-2027"
ALICE, BOB = "203.0.113.10", "203.0.113.20"
SUBJECT = "Atur ulang kata sandi akun Gawe Anda"
LINK = re.compile(r"(https?://\S+)/atur-ulang-sandi\?token=(\S+)")


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}
    return {"services": ["accounts", "notifications"], "service_config": config}


def ask(client, email):
    return client.post("/api/v1/auth/password-reset", json={"email": email})


def confirm(client, token, password=NEW_PASSWORD):
    return client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": password}
    )


def emailed_token(smtp, email, count=1) -> str:
    """The token of the newest password link emailed to `email` (waiting for the `count`th)."""

    def links():  # (the sign-up's own email, asking to verify the address, is not one)
        mails = [m for m in smtp.to(email) if m["Subject"] == SUBJECT]
        return len(mails) >= count and mails

    mail = wait_until(links, timeout=10)[count - 1]
    found = LINK.search(part(mail, "plain").get_content())
    assert found, part(mail, "plain").get_content()
    return found.group(2)


def login_status(client, email, password) -> int:
    body = {"email": email, "password": password}
    return client.post("/api/v1/auth/login", json=body).status_code


def me_status(client, token) -> int:
    return client.get("/api/v1/me", headers=auth(token)).status_code


def db_rows(platform, sql, **params):
    engine = make_engine(platform.config["ACCOUNTS_DATABASE_URL"])
    with engine.begin() as conn:
        found = conn.execute(text(sql), params).mappings().all()
    engine.dispose()
    return found


def test_the_emailed_link_sets_a_new_password_once_and_ends_every_session(platform, client, smtp):
    user = register_citizen(client)
    api_session, other_session = login(client, user["email"]), login(client, user["email"])
    browser = platform.client
    web_login(browser, user["email"])

    asked = ask(client, user["email"].upper())  # as typed: case does not matter
    assert asked.status_code == 202 and asked.get_json() == {"detail": PASSWORD_RESET_SENT}
    token = emailed_token(smtp, user["email"])
    [reset] = db_rows(platform, "SELECT * FROM password_resets WHERE user_id = :u", u=user["id"])
    assert reset["token_hash"] and token.split(".", 1)[1] not in reset["token_hash"]
    lifetime = _aware(reset["expires_at"]) - _aware(reset["created_at"])
    assert lifetime == timedelta(hours=1)

    done = confirm(client, token)
    assert done.status_code == 200, done.get_json()
    assert "Kata sandi sudah diganti" in done.get_json()["detail"]

    # every session ended, on the API and the web pages; the old password no longer works
    assert me_status(client, api_session) == me_status(client, other_session) == 401
    assert browser.get("/saya").status_code == 303
    assert login_status(client, user["email"], PASSWORD) == 401
    assert me_status(client, login(client, user["email"], NEW_PASSWORD)) == 200

    # the link works once
    again = confirm(client, token, "yang-lain-lagi-123")
    assert again.status_code == 422 and "token" in again.get_json()["errors"]
    assert login_status(client, user["email"], "yang-lain-lagi-123") == 401


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp):
    known = register_citizen(client)["email"]
    unknown = unique_email("tidak.ada")
    for_known, for_unknown = ask(client, known), ask(client, unknown)
    assert for_known.status_code == for_unknown.status_code == 202
    assert for_known.get_data() == for_unknown.get_data()
    assert set(for_known.headers.keys()) == set(for_unknown.headers.keys())
    emailed_token(smtp, known)  # the known one's email came; the other never will
    assert smtp.to(unknown) == []


def test_an_expired_link_is_refused_naming_the_token(platform, client, smtp):
    user = register_citizen(client)
    assert ask(client, user["email"]).status_code == 202
    token = emailed_token(smtp, user["email"])
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1, seconds=1)
    db_rows(
        platform,
        "UPDATE password_resets SET expires_at = :t WHERE user_id = :u RETURNING id",
        t=an_hour_ago,
        u=user["id"],
    )
    refused = confirm(client, token)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert "kedaluwarsa" in refused.get_json()["errors"]["token"][0]
    assert login_status(client, user["email"], PASSWORD) == 200  # nothing changed


def test_forged_tokens_and_weak_passwords_are_named(platform, client, smtp):
    user = register_citizen(client)
    assert ask(client, user["email"]).status_code == 202
    token = emailed_token(smtp, user["email"])
    reset_id = token.split(".", 1)[0]
    for forged in (f"{reset_id}.bukan-rahasianya", "99999999.xyz", "tanpa-titik", "."):
        refused = confirm(client, forged)
        assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["token"]
    weak = confirm(client, token, "pendek")
    assert weak.status_code == 422 and "password" in weak.get_json()["errors"]
    missing = client.post("/api/v1/auth/password-reset/confirm", json={"password": NEW_PASSWORD})
    assert missing.status_code == 422 and "token" in missing.get_json()["errors"]
    bad_email = ask(client, "bukan-email")
    assert bad_email.status_code == 422 and "email" in bad_email.get_json()["errors"]
    # the weak password did not use the link up
    assert confirm(client, token).status_code == 200


def test_a_newer_link_and_a_changed_password_kill_the_older_links(client, smtp):
    user = register_citizen(client)
    assert ask(client, user["email"]).status_code == 202
    first = emailed_token(smtp, user["email"])
    assert ask(client, user["email"]).status_code == 202
    second = emailed_token(smtp, user["email"], count=2)
    assert first != second
    assert confirm(client, second).status_code == 200
    assert confirm(client, first, "lagi-lagi-sandi-9").status_code == 422


def test_the_pages_ask_for_a_link_and_set_the_password(platform, client, smtp):
    user = register_citizen(client)
    browser = platform.client
    page = browser.get("/masuk").get_data(as_text=True)
    assert 'href="/lupa-sandi"' in page
    sent = browser.post(
        "/lupa-sandi", data={"email": user["email"], "pra": form_token(browser, "/lupa-sandi")}
    )
    assert sent.status_code == 303 and sent.headers["Location"] == "/lupa-sandi?terkirim=1"
    unknown = browser.post(
        "/lupa-sandi",
        data={"email": unique_email("tidak.ada"), "pra": form_token(browser, "/lupa-sandi")},
    )
    assert unknown.headers["Location"] == sent.headers["Location"]
    assert "Jika alamat itu terdaftar" in browser.get(sent.headers["Location"]).get_data(
        as_text=True
    )
    token = emailed_token(smtp, user["email"])

    form_path = f"/atur-ulang-sandi?token={token}"
    form = browser.get(form_path)
    assert form.status_code == 200 and f'value="{token}"' in form.get_data(as_text=True)
    weak = browser.post(
        "/atur-ulang-sandi",
        data={"token": token, "password": "pendek", "pra": form_token(browser, form_path)},
    )
    assert weak.status_code == 422 and "Kata sandi baru" in weak.get_data(as_text=True)
    done = browser.post(
        "/atur-ulang-sandi",
        data={"token": token, "password": NEW_PASSWORD, "pra": form_token(browser, form_path)},
    )
    assert done.status_code == 303 and done.headers["Location"] == "/masuk?sandi=baru"
    assert "Kata sandi sudah diganti" in browser.get("/masuk?sandi=baru").get_data(as_text=True)
    web_login(browser, user["email"], NEW_PASSWORD)
    used = browser.post(
        "/atur-ulang-sandi",
        data={"token": token, "password": NEW_PASSWORD, "pra": form_token(browser, form_path)},
    )
    assert used.status_code == 422 and "Tautan atur ulang kata sandi" in used.get_data(as_text=True)


def test_neither_the_token_nor_the_address_reaches_an_event_or_a_log(
    platform, client, smtp, info_log
):
    user = register_citizen(client)
    assert ask(client, user["email"]).status_code == 202
    token = emailed_token(smtp, user["email"])
    assert confirm(client, token).status_code == 200
    [event] = db_rows(
        platform,
        "SELECT payload FROM outbox WHERE event_type = 'accounts.password_reset_requested'"
        " ORDER BY id DESC LIMIT 1",
    )
    payload = str(event["payload"])
    assert "reset_id" in payload
    assert user["email"] not in payload and token.split(".", 1)[1] not in payload
    logged = info_log.getvalue()
    assert "password_resets" in logged  # the statements were logged, the secrets were not
    assert user["email"] not in logged and token.split(".", 1)[1] not in logged


def test_the_openapi_document_lists_the_password_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "202" in paths["/api/v1/auth/password-reset"]["post"]["responses"]
    assert "422" in paths["/api/v1/auth/password-reset/confirm"]["post"]["responses"]


def _aware(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_password_flows_share_one_limit_per_address(platform, monkeypatch):
    monkeypatch.setenv("GATEWAY_LIMIT_PASSWORD", "2 per hour")
    app = create_app(platform.app.config["GAWE"])
    app.config["TESTING"] = True
    alice, bob = app.test_client(), app.test_client()
    alice.environ_base["REMOTE_ADDR"], bob.environ_base["REMOTE_ADDR"] = ALICE, BOB
    pra = form_token(alice, "/lupa-sandi")

    assert ask(alice, unique_email("batas")).status_code == 202
    assert confirm(alice, "1.palsu").status_code == 422
    refused = alice.post("/lupa-sandi", data={"email": unique_email("batas"), "pra": pra})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert ask(alice, unique_email("batas")).status_code == 429
    assert ask(bob, unique_email("batas")).status_code == 202  # another address counts alone
    app.extensions["gawe_rpc"].close()
