"""Per-address limits on signing in, signing up and anonymous reports: keyed by the client's
address (X-Forwarded-For only from trusted proxies), shared across gateway processes through
RATELIMIT_STORAGE_URI."""

from __future__ import annotations

import uuid

import pytest

from gateway import create_app
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.snapshots import rows_unchanged
from tests.support.web import form_token

ALICE, BOB = "203.0.113.10", "203.0.113.20"


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def wrong_login(client, email: str):
    return client.post("/api/v1/auth/login", json={"email": email, "password": "bukan-ini-123"})


def second_gateway(platform, monkeypatch, **env):
    """Another gateway process on the same bus (its own memory, unless the storage is shared)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = create_app(platform.app.config["GAWE"])
    app.config["TESTING"] = True
    return app


def test_sign_in_attempts_are_limited_per_address_on_the_api_and_the_page(
    platform, client, monkeypatch
):
    monkeypatch.setenv("GATEWAY_LIMIT_LOGIN", "3 per minute")
    app = second_gateway(platform, monkeypatch)  # a fresh counter for this test
    citizen = register_citizen(client)
    alice = from_address(app.test_client(), ALICE)
    # guesses spread over many accounts (no account's own lockout is reached)
    for _ in range(2):
        assert wrong_login(alice, unique_email("tebak")).status_code == 401
    page = alice.post(
        "/masuk",
        data={"email": unique_email("tebak"), "password": "x", "pra": form_token(alice, "/masuk")},
    )
    assert page.status_code == 401  # the page's attempts count with the API's
    limited = wrong_login(alice, unique_email("tebak"))
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    assert "coba lagi" in limited.get_json()["detail"]
    # even the right password waits: the limit is checked before anything else
    right = alice.post("/api/v1/auth/login", json={"email": citizen["email"], "password": PASSWORD})
    assert right.status_code == 429
    # another address is not held back by Alice's attempts
    bob = from_address(app.test_client(), BOB)
    assert (
        bob.post(
            "/api/v1/auth/login", json={"email": citizen["email"], "password": PASSWORD}
        ).status_code
        == 200
    )


def test_sign_ups_are_limited_per_address(platform, client, monkeypatch):
    app = second_gateway(platform, monkeypatch, GATEWAY_LIMIT_REGISTER="2 per hour")
    alice = from_address(app.test_client(), ALICE)

    def sign_up(who):
        body = {"name": "Warga Baru", "email": unique_email("batas"), "password": PASSWORD}
        return who.post("/api/v1/auth/register", json=body), body["email"]

    assert sign_up(alice)[0].status_code < 400
    assert sign_up(alice)[0].status_code < 400
    with rows_unchanged(platform.config["ACCOUNTS_DATABASE_URL"], "users", "user_roles"):
        refused, email = sign_up(alice)
    assert refused.status_code == 429
    assert wrong_login(client, email).status_code == 401  # no account was made
    assert (
        client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).status_code
        == 401
    )
    assert sign_up(from_address(app.test_client(), BOB))[0].status_code < 400


def test_anonymous_reports_are_limited_per_address_and_signed_in_ones_are_not(
    platform, client, monkeypatch
):
    app = second_gateway(platform, monkeypatch, GATEWAY_LIMIT_ANONYMOUS_REPORT="2 per hour")
    alice = from_address(app.test_client(), ALICE)
    token = login(client, register_citizen(client)["email"])
    # none of these attempts files anything: refused by the limit, or for their empty body
    with rows_unchanged(platform.config["COMPLAINTS_DATABASE_URL"], "reports", "timeline"):
        # every attempt counts, a refused one too (an empty body: 422 after the limit's check)
        assert alice.post("/api/v1/complaints", json={}).status_code == 422
        assert alice.post("/api/v1/complaints", json={}).status_code == 422
        assert alice.post("/api/v1/complaints", json={}).status_code == 429
        # a forged token or session cookie does not make a caller signed in
        forged = alice.post(
            "/api/v1/complaints", json={}, headers={"Authorization": "Bearer palsu"}
        )
        assert forged.status_code == 429
        alice.set_cookie("gawe_sesi", "palsu")
        assert alice.post("/pengaduan/baru", data={}).status_code == 429
        alice.delete_cookie("gawe_sesi")
        # a citizen who signed in files from the same address
        signed = alice.post("/api/v1/complaints", json={}, headers=auth(token))
        assert signed.status_code == 422
        bob = from_address(app.test_client(), BOB)
        assert bob.post("/api/v1/complaints", json={}).status_code == 422


def test_forwarded_for_counts_only_behind_a_trusted_proxy(platform, client, monkeypatch):
    citizen = register_citizen(client)
    spoofer = second_gateway(platform, monkeypatch, GATEWAY_LIMIT_LOGIN="2 per minute")
    attacker = from_address(spoofer.test_client(), ALICE)
    for n in range(3):  # a new X-Forwarded-For each time does not reset the count
        response = attacker.post(
            "/api/v1/auth/login",
            json={"email": citizen["email"], "password": "bukan-ini-123"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
    assert response.status_code == 429

    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "1")
    proxied = second_gateway(platform, monkeypatch)
    proxy = from_address(proxied.test_client(), "10.0.0.2")  # the reverse proxy's address
    statuses = [
        proxy.post(
            "/api/v1/auth/login",
            json={"email": citizen["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": f"198.51.100.{n % 2}"},
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 200]  # two clients behind one proxy, two each
    third = proxy.post(
        "/api/v1/auth/login",
        json={"email": citizen["email"], "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.0"},
    )
    assert third.status_code == 429


@pytest.fixture
def redis_uri():
    """Redis database 15, cleaned of this test's counters afterwards."""
    redis = pytest.importorskip("redis")
    uri = "redis://127.0.0.1:6379/15"
    address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    yield uri, address
    connection = redis.Redis.from_url(uri)
    for key in connection.scan_iter(f"*/{address}/*"):
        connection.delete(key)


def test_two_gateway_processes_share_the_count_through_redis(
    platform, client, monkeypatch, redis_uri
):
    import redis

    uri, address = redis_uri
    citizen = register_citizen(client)
    env = {"GATEWAY_LIMIT_LOGIN": "2 per minute", "RATELIMIT_STORAGE_URI": uri}
    first = second_gateway(platform, monkeypatch, **env)
    second = second_gateway(platform, monkeypatch, **env)
    for app in (first, second, first):
        answer = wrong_login(from_address(app.test_client(), address), citizen["email"])
    assert answer.status_code == 429  # the third attempt, counted over both processes
    assert list(redis.Redis.from_url(uri).scan_iter(f"*/{address}/login/*"))
