"""One service stops: the gateway says so without waiting on it and keeps serving the rest.

No wall-clock assertion: what shows the answer did not wait on the stopped service is how it
was reached. /readyz names the service down because no process listens for its RPC (it does
not even call it); an API request gets 503 "unavailable" (not 504 "too slow") once its call
expires with the gateway's RPC timeout. A generous deadline only guards against a hang.
"""

import eventlet
import pytest
from kombu import Connection

from tests.support.factories import PASSWORD, register_citizen
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

RPC_TIMEOUT = 1.5
HANG_GUARD = 30  # seconds: a hung gateway fails the test instead of blocking the run


@pytest.fixture
def platform(module_vhost, databases):
    with running_platform(module_vhost, databases, rpc_timeout=RPC_TIMEOUT) as platform:
        yield platform


def answered(call, *args, **kwargs):
    """The gateway's answer; fails, rather than waits on, a request that hangs."""
    with eventlet.Timeout(HANG_GUARD, AssertionError(f"no answer within {HANG_GUARD} s")):
        return call(*args, **kwargs)


def waiting_requests(config: dict, service: str) -> int:
    """Messages waiting in the service's RPC queue (RabbitMQ's own count, at this moment)."""
    with Connection(config["AMQP_URI"]) as conn:
        _, count, _ = conn.default_channel.queue_declare(queue=f"rpc-{service}", passive=True)
        return count


def assert_unavailable(response, service: str) -> None:
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    # when the service is worth asking again, also on a rate-limited route (not its window)
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["detail"] == f"Layanan {service} sedang tidak tersedia."
    assert body["errors"] == {"service": [service]}


def test_stopped_service_is_named_down_and_its_requests_get_503_then_recover(platform):
    client = platform.client
    user = register_citizen(client)
    assert client.get("/readyz").status_code == 200

    platform.stop("accounts")

    ready = answered(client.get, "/readyz")
    assert ready.status_code == 503
    body = ready.get_json()
    assert body["down"] == ["accounts"]
    # found out from RabbitMQ (no process listens), not by waiting on a health call
    assert body["services"]["accounts"] == {
        "status": "down",
        "detail": "tidak ada proses layanan yang berjalan",
    }
    assert body["services"]["gis"]["status"] == "ok"

    credentials = {"email": user["email"], "password": PASSWORD}
    login = answered(client.post, "/api/v1/auth/login", json=credentials)
    assert_unavailable(login, "accounts")  # 503 unavailable, not 504 slow: nobody is listening

    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200

    platform.start("accounts")

    assert client.get("/readyz").status_code == 200
    again = client.post("/api/v1/auth/login", json=credentials)
    assert again.status_code == 200


def test_requests_queued_while_a_service_was_down_are_not_executed_later(platform, databases):
    """The RPC message expires with the caller's timeout: no ghost registration after restart."""
    client = platform.client
    platform.stop("accounts")
    email = "hantu@example.id"
    response = answered(
        client.post,
        "/api/v1/auth/register",
        json={"name": "Hantu", "email": email, "password": "hantu-pertama-0001"},
    )
    assert_unavailable(response, "accounts")
    # RabbitMQ drops the expired request (its TTL is the caller's timeout) from the queue
    wait_until(lambda: waiting_requests(platform.config, "accounts") == 0)
    platform.start("accounts")
    retry = client.post(
        "/api/v1/auth/register", json={"name": "Hantu", "email": email, "password": PASSWORD}
    )
    assert retry.status_code == 202
    # the first request never ran: the retry made the account, with the retry's password (a
    # ghost of the first would hold the address, and the retry would change nothing)
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    first = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "hantu-pertama-0001"}
    )
    assert first.status_code == 401
