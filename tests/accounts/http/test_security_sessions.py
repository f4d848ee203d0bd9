"""Signing out ends every session of the person, on the API and the web pages, in this gateway
process at once and in the others within about a second (issue #10, item 10c)."""

import re

import pytest

from gateway import create_app
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until
from tests.support.web import web_login


def me(client, token) -> int:
    return client.get("/api/v1/me", headers=auth(token)).status_code


def logout(client, token):
    return client.post("/api/v1/auth/logout", headers=auth(token))


def test_logging_out_ends_this_token_and_every_other_session_of_the_person(client, platform):
    user = register_citizen(client)
    neighbour = login(client, register_citizen(client)["email"])
    this, other = login(client, user["email"]), login(client, user["email"])
    assert me(client, this) == me(client, other) == 200

    out = logout(client, this)
    assert out.status_code == 204 and out.get_data() == b""

    for token in (this, other):
        refused = client.get("/api/v1/me", headers=auth(token))
        assert refused.status_code == 401
        assert "invalid_token" in refused.headers["WWW-Authenticate"]
    with nothing_written(platform, "accounts"):  # an ended session cannot sign out again
        assert logout(client, this).status_code == 401
    assert me(client, neighbour) == 200  # only this person's sessions ended
    assert me(client, login(client, user["email"])) == 200  # signing in again works


def test_logging_out_needs_a_valid_token(client, platform):
    with nothing_written(platform, "accounts"):
        assert client.post("/api/v1/auth/logout").status_code == 401
        assert logout(client, "bukan-token").status_code == 401


def test_logging_out_on_the_api_signs_the_web_pages_out_too(platform, client):
    user = register_citizen(client)
    browser = platform.client
    web_login(browser, user["email"])
    assert browser.get("/saya").status_code == 200

    assert logout(client, login(client, user["email"])).status_code == 204

    page = browser.get("/saya")
    assert page.status_code == 303 and page.headers["Location"] == "/masuk?next=%2Fsaya"


def test_signing_out_on_the_web_ends_the_api_tokens_too(platform, client):
    user = register_citizen(client)
    token = login(client, user["email"])
    browser = platform.client
    web_login(browser, user["email"])
    page = browser.get("/saya").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)

    signed_out = browser.post("/keluar", data={"csrf": csrf})

    assert signed_out.status_code == 303
    assert me(client, token) == 401
    assert browser.get("/saya").status_code == 303


@pytest.fixture
def other_process(platform):
    """Another gateway process on the same bus: its own memory of ended sessions."""
    app = create_app(platform.app.config["GAWE"])
    app.config["TESTING"] = True
    yield app.test_client()
    app.extensions["gawe_rpc"].close()


def test_another_gateway_process_learns_of_a_sign_out_within_about_a_second(client, other_process):
    user = register_citizen(client)
    token = login(client, user["email"])
    assert me(other_process, token) == 200  # it has asked accounts once already

    assert logout(client, token).status_code == 204

    assert me(client, token) == 401  # at once where the sign-out was handled
    wait_until(lambda: me(other_process, token) == 401, timeout=5)
    assert me(other_process, login(client, user["email"])) == 200


def test_the_openapi_document_lists_logout(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/auth/logout"]["post"]
    assert "204" in operation["responses"] and operation["security"] == [{"bearer": []}]
