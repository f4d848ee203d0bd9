"""Every page route, read from the gateway's route table: security headers, cookie flags, and
the CSRF check on every form that changes something (a new page is covered without a line
here)."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import register_citizen
from tests.support.web import post_login, web_login

PAGE_BLUEPRINTS = {"web", "workspace"}
PAGE_ENDPOINTS = {"docs.docs_page"}
SAMPLE_VALUES = {
    "public_id": "SRG-2026-000001",
    "document_id": "1",
    "step": "submit",
    "parked_id": "0123456789abcdef0123456789abcdef",
    "user_id": "1",
    "applicant_id": "1",
    "document": "nphd",
}
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'")


def page_rules(app, method: str):
    rules = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if method in rule.methods and (
            blueprint in PAGE_BLUEPRINTS or rule.endpoint in PAGE_ENDPOINTS
        ):
            rules.append(rule)
    assert rules, "no page routes found"
    return sorted(rules, key=lambda r: r.rule)


def fill(rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", SAMPLE_VALUES[name], path)
    return path


def check_headers(response, path: str) -> None:
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY", path
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["Referrer-Policy"] == "same-origin", path
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy, path
    if response.mimetype != "text/html":
        assert policy.startswith("default-src 'none'"), path
    else:
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy, path
        nonce = NONCE.search(policy)
        assert nonce, f"{path}: scripts are not bound to a nonce"
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], path
        page = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page):
            if 'type="application/json"' in tag:
                continue  # data, never run
            assert f'nonce="{nonce.group(1)}"' in tag, f"{path}: {tag} would be blocked"


@pytest.fixture(scope="module")
def citizen_browser(platform):
    browser = platform.client
    citizen = register_citizen(platform.client)
    web_login(browser, citizen["email"])
    return browser


def test_every_page_answers_with_the_security_headers(platform, citizen_browser):
    for rule in page_rules(platform.app, "GET"):
        path = fill(rule)
        for who, browser in (("anonymous", platform.client), ("citizen", citizen_browser)):
            response = browser.get(path)
            assert response.status_code < 500, f"{who} {path}: {response.status_code}"
            check_headers(response, f"{who} {path}")
            if rule.endpoint.startswith("workspace.") and response.status_code == 200:
                assert response.headers["Cache-Control"] == "no-store", path


def test_the_api_and_files_cannot_be_framed_or_run_as_pages(client):
    for path in ("/api/v1/agencies", "/api/v1/openapi.json", "/healthz", "/api/v1/tidak-ada"):
        response = client.get(path)
        check_headers(response, path)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_every_form_that_changes_something_needs_the_token_of_its_page(platform, citizen_browser):
    checked = []
    for rule in page_rules(platform.app, "POST"):
        path = fill(rule)
        if rule.endpoint in ("workspace.login", "workspace.register"):
            refused = platform.client.post(path, data={"email": "a@b.id", "password": "x" * 10})
            assert refused.status_code == 403, path  # no token from this browser's form
            assert b"Formulir kedaluwarsa" in refused.data, path
            checked.append(path)
            continue
        for data in ({}, {"csrf": "0" * 64}):
            refused = citizen_browser.post(path, data=data)
            assert refused.status_code == 403, f"{path} {data}: {refused.status_code}"
            assert "Formulir kedaluwarsa" in refused.get_data(as_text=True), path
            check_headers(refused, path)
        checked.append(path)
    assert "/saya/pengaturan" in checked and "/staf/usulan/SRG-2026-000001" in checked
    # the session survived all of it: nothing above signed the citizen out
    assert citizen_browser.get("/saya").status_code == 200


def test_session_cookies_are_httponly_samesite_and_secure_over_tls(platform, monkeypatch):
    citizen = register_citizen(platform.client)
    browser = platform.client
    response = post_login(browser, citizen["email"])
    session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("gawe_sesi="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/" in session
    assert "Secure" not in session  # plain http on a developer's machine
    form = browser.get("/masuk?next=/saya")  # signed in already: a redirect, no new form cookie
    assert form.status_code == 303

    monkeypatch.setenv("GATEWAY_COOKIE_SECURE", "true")
    tls = platform.client
    answer = tls.get("/masuk")
    pre = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("gawe_pra="))
    assert "Secure" in pre and "HttpOnly" in pre and "SameSite=Strict" in pre
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    signed = post_login(tls, citizen["email"])
    session = next(c for c in signed.headers.getlist("Set-Cookie") if c.startswith("gawe_sesi="))
    assert "Secure" in session
