"""One service stops: the gateway says so quickly and keeps serving everything else."""

import time

import pytest

from tests.support.factories import PASSWORD, register_citizen
from tests.support.platform import running_platform

RPC_TIMEOUT = 1.5


@pytest.fixture
def platform(module_vhost, databases):
    with running_platform(module_vhost, databases, rpc_timeout=RPC_TIMEOUT) as platform:
        yield platform


def test_stopped_service_is_named_down_and_its_requests_get_503_then_recover(platform):
    client = platform.client
    user = register_citizen(client)
    assert client.get("/readyz").status_code == 200

    platform.stop("accounts")

    started = time.monotonic()
    ready = client.get("/readyz")
    assert time.monotonic() - started < RPC_TIMEOUT + 1
    assert ready.status_code == 503
    body = ready.get_json()
    assert body["down"] == ["accounts"]
    assert body["services"]["accounts"]["status"] == "down"
    assert body["services"]["gis"]["status"] == "ok"

    started = time.monotonic()
    login = client.post("/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert time.monotonic() - started < RPC_TIMEOUT + 1
    assert login.status_code == 503
    assert login.mimetype == "application/problem+json"
    assert login.get_json()["errors"] == {"service": ["accounts"]}

    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200

    platform.start("accounts")

    assert client.get("/readyz").status_code == 200
    again = client.post("/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert again.status_code == 200


def test_requests_queued_while_a_service_was_down_are_not_executed_later(platform, databases):
    """The RPC message expires with the caller's timeout: no ghost registration after restart."""
    client = platform.client
    platform.stop("accounts")
    email = "hantu@example.id"
    response = client.post(
        "/api/v1/auth/register",
        json={"name": "Hantu", "email": email, "password": "hantu-pertama-0001"},
    )
    assert response.status_code == 503
    time.sleep(0.5)
    platform.start("accounts")
    retry = client.post(
        "/api/v1/auth/register", json={"name": "Hantu", "email": email, "password": PASSWORD}
    )
    assert retry.status_code == 202
    # the first request never ran: the retry made the account, with the retry's password (a
    # ghost of the first would hold the address, and the retry would change nothing)
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
