"""The web session's own rules: where a login may send you back to, the cookie's flags, and the
CSRF token bound to the session (a Flask app with no services: nothing here calls the bus)."""

from __future__ import annotations

import pytest
from flask import Flask, Response, g

from gateway.problems import Problem
from gateway.settings import GatewaySettings
from gateway.workspace.session import COOKIE, check_csrf, csrf_token, safe_next, sign_in


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config["GAWE"] = GatewaySettings(amqp_uri="memory://", secret_key="k" * 64)
    return app


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("/staf/pengaduan/SRG-2026-000001", "/staf/pengaduan/SRG-2026-000001"),
        ("/saya?baru=1", "/saya?baru=1"),
        ("//jahat.example/curi", "/saya"),
        ("/\\jahat.example", "/saya"),
        ("https://jahat.example", "/saya"),
        ("javascript:alert(1)", "/saya"),
        ("/\t/jahat.example/phish", "/saya"),  # browsers drop the tab: //jahat.example
        ("/%09/jahat.example/phish", "/saya"),
        ("/\n/jahat.example", "/saya"),
        ("/%5C/jahat.example", "/saya"),
        ("\\jahat.example", "/saya"),
        (" //jahat.example", "/saya"),
        ("/saya/usulan/SO-2026-000001?ok=1", "/saya/usulan/SO-2026-000001?ok=1"),
        ("", "/saya"),
        (None, "/saya"),
    ],
)
def test_only_a_path_of_this_site_is_followed_after_login(asked, expected):
    assert safe_next(asked, "/saya") == expected


def test_the_cookie_is_httponly_lax_and_secure_when_told(app, monkeypatch):
    with app.test_request_context("/masuk", method="POST"):
        plain = sign_in(Response(), "token", 600).headers["Set-Cookie"]
    assert plain.startswith(f"{COOKIE}=token") and "HttpOnly" in plain
    assert "SameSite=Lax" in plain and "Max-Age=600" in plain and "Secure" not in plain

    monkeypatch.setenv("GATEWAY_COOKIE_SECURE", "true")
    with app.test_request_context("/masuk", method="POST"):
        assert "Secure" in sign_in(Response(), "token", 600).headers["Set-Cookie"]
    monkeypatch.delenv("GATEWAY_COOKIE_SECURE")
    with app.test_request_context("/masuk", method="POST", base_url="https://gawe.example"):
        assert "Secure" in sign_in(Response(), "token", 600).headers["Set-Cookie"]


def test_the_csrf_token_belongs_to_one_session(app):
    with app.test_request_context("/"):
        g.session_token = "session-a"
        first = csrf_token()
        g.session_token = "session-b"
        assert csrf_token() != first and len(first) == 64
    with app.test_request_context("/keluar", method="POST", data={"csrf": first}):
        g.session_token = "session-a"
        check_csrf()  # the form's own token passes
    with app.test_request_context("/keluar", method="POST", headers={"X-CSRF-Token": first}):
        g.session_token = "session-a"
        check_csrf()  # as the header of a page's script
    for forged in ({"csrf": first[:-1] + "0"}, {}):
        with app.test_request_context("/keluar", method="POST", data=forged):
            g.session_token = "session-b"
            with pytest.raises(Problem) as refused:
                check_csrf()
            assert refused.value.status == 403 and "csrf" in refused.value.errors
    no_session = app.test_request_context("/keluar", method="POST", data={"csrf": ""})
    with no_session, pytest.raises(Problem):  # no session at all: nothing to match
        check_csrf()
