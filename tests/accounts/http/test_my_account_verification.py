"""/saya/akun while the account's address is not verified (issue 16): a notice and a "Kirim
ulang tautan verifikasi" button, the same call as `POST /api/v1/me/verify-email` and under the
same per-address limit. The page says what happened: a link sent (and it arrives, and proves
the address), none because five wait unused, or too many requests from this address.

Browser → gateway → accounts → outbox → RabbitMQ → notifications (→ accounts) → SMTP here.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from gateway import create_app
from gateway.accounts.schemas import ALREADY_VERIFIED, LINKS_WAITING, VERIFICATION_SENT
from servicekit.database import make_engine
from tests.notifications.conftest import FAST, part
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import rows_unchanged
from tests.support.waiting import wait_until
from tests.support.web import form_token, web_login

SUBJECT = "Verifikasi alamat email akun Gawe Anda"
LINK = re.compile(r"/verifikasi-email\?token=(\S+)")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
BUTTON = "Kirim ulang tautan verifikasi"
ALICE, BOB = "203.0.113.30", "203.0.113.40"
# the links made (their token's hash changes whenever notifications asks for the email's values)
LINK_ROWS = "email_verifications(id, user_id, created_at, used_at)"


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}
    return {"services": ["accounts", "notifications"], "service_config": config}


def emailed_tokens(smtp, email: str, count: int) -> list[str]:
    """The tokens of the address links emailed to `email`, once `count` have come."""

    def links():
        mails = [m for m in smtp.verifications_to(email) if m["Subject"] == SUBJECT]
        return len(mails) >= count and mails

    return [LINK.search(part(m, "plain").get_content()).group(1) for m in wait_until(links, 10)]


def links_of(platform, user_id: int) -> int:
    engine = make_engine(platform.config["ACCOUNTS_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            query = text("SELECT count(*) FROM email_verifications WHERE user_id = :u")
            return conn.execute(query, {"u": user_id}).scalar_one()
    finally:
        engine.dispose()


def ask(browser, page: str):
    return browser.post("/saya/akun/verifikasi-email", data={"csrf": CSRF.search(page).group(1)})


def test_an_unverified_citizen_gets_the_link_again_from_the_page_and_it_proves_the_address(
    platform, client, smtp
):
    user = register_citizen(client, verified=False)
    browser = platform.app.test_client()
    web_login(browser, user["email"])
    page = browser.get("/saya/akun").get_data(as_text=True)
    assert "Email belum diverifikasi" in page and BUTTON in page
    assert 'action="/saya/akun/verifikasi-email"' in page
    emailed_tokens(smtp, user["email"], 1)  # the sign-up's own

    with rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], LINK_ROWS):
        forged = browser.post("/saya/akun/verifikasi-email", data={})
        assert forged.status_code == 403  # not from the page: no token
    asked = ask(browser, page)
    assert asked.status_code == 303 and asked.headers["Location"] == "/saya/akun?ok=tautan"
    told = browser.get(asked.headers["Location"]).get_data(as_text=True)
    assert f'<p class="ok" role="status">{VERIFICATION_SENT}</p>' in told
    newest = emailed_tokens(smtp, user["email"], 2)[-1]  # the email the button sent

    data = {"token": newest, "pra": form_token(browser, f"/verifikasi-email?token={newest}")}
    followed = browser.post("/verifikasi-email", data=data)
    assert followed.status_code == 200 and "sudah diverifikasi" in followed.get_data(as_text=True)
    me = client.get("/api/v1/me", headers=auth(login(client, user["email"]))).get_json()
    assert me["email_verified_at"] is not None

    web_login(browser, user["email"])  # following the link ended this browser's session
    page = browser.get("/saya/akun").get_data(as_text=True)
    assert "Email belum diverifikasi" not in page and BUTTON not in page
    with rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], LINK_ROWS):
        again = ask(browser, page)
    assert again.headers["Location"] == "/saya/akun?ok=terverifikasi"
    assert ALREADY_VERIFIED in browser.get(again.headers["Location"]).get_data(as_text=True)


def test_a_verified_account_gets_no_notice(platform, client):
    user = register_citizen(client)
    browser = platform.app.test_client()
    web_login(browser, user["email"])
    page = browser.get("/saya/akun").get_data(as_text=True)
    assert "Email belum diverifikasi" not in page and BUTTON not in page
    assert platform.app.test_client().post("/saya/akun/verifikasi-email").status_code == 303


def test_the_page_says_when_five_links_wait_unused_and_sends_no_sixth(platform, client, smtp):
    user = register_citizen(client, verified=False)
    browser = platform.app.test_client()
    web_login(browser, user["email"])
    page = browser.get("/saya/akun").get_data(as_text=True)
    for _ in range(4):  # the sign-up's link and four more: five in the week
        assert ask(browser, page).headers["Location"] == "/saya/akun?ok=tautan"
    assert links_of(platform, user["id"]) == 5
    with rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], LINK_ROWS):
        held = ask(browser, page)
    assert held.headers["Location"] == "/saya/akun?ok=tunggu"
    told = browser.get(held.headers["Location"]).get_data(as_text=True)
    assert LINKS_WAITING in told and 'class="ok"' not in told  # not told it went
    api = client.post("/api/v1/me/verify-email", headers=auth(login(client, user["email"])))
    assert api.status_code == 202 and api.get_json()["detail"] == LINKS_WAITING
    assert len(emailed_tokens(smtp, user["email"], 5)) == 5


def test_the_button_shares_the_apis_limit_per_address_and_says_so(platform, client, monkeypatch):
    monkeypatch.setenv("GATEWAY_LIMIT_VERIFY", "2 per hour")
    app = create_app(platform.app.config["GAWE"])  # a fresh counter for this test
    app.config["TESTING"] = True
    user = register_citizen(client, verified=False)
    alice, bob = app.test_client(), app.test_client()
    alice.environ_base["REMOTE_ADDR"], bob.environ_base["REMOTE_ADDR"] = ALICE, BOB
    for browser in (alice, bob):
        web_login(browser, user["email"])
    page = alice.get("/saya/akun").get_data(as_text=True)

    token = login(client, user["email"])
    assert alice.post("/api/v1/me/verify-email", headers=auth(token)).status_code == 202
    assert ask(alice, page).status_code == 303  # the second of two
    with rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], LINK_ROWS):
        refused = ask(alice, page)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert refused.mimetype == "text/html"  # the page, saying so; not a problem document
        said = refused.get_data(as_text=True)
        assert "Terlalu banyak permintaan tautan verifikasi" in said and BUTTON in said
        assert alice.post("/api/v1/me/verify-email", headers=auth(token)).status_code == 429
    assert ask(bob, bob.get("/saya/akun").get_data(as_text=True)).status_code == 303
    app.extensions["gawe_rpc"].close()
