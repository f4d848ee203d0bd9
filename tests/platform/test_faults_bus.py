"""The line between the platform and RabbitMQ is cut mid-traffic and comes back: the services
reconnect by themselves, every report accepted is stored once and its event handled (at least
once, at most once more across the cut), and meanwhile the gateway answers a clear 503/504 (problem+json), never a 500 and never a hang.

Every process of the platform (the services, a test-only consumer of `complaints.report_created`
and the gateway's RPC pool) reaches RabbitMQ through a TCP proxy in the test
(tests/support/tcp_proxy.py) that drops every connection and refuses new ones until resumed.
"""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import urlparse, urlunparse

import pytest
from nameko.runners import ServiceRunner

from servicekit.reliable_events import reliable_event_handler
from services.complaints.contract import REPORT_CREATED
from tests.complaints.conftest import road_report
from tests.support.bus import temporary_vhost
from tests.support.databases import require_backend
from tests.support.factories import auth, login, register_citizen
from tests.support.faults import install_dead_letter, rows
from tests.support.platform import running_platform
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_until

pytestmark = pytest.mark.postgres  # the production database; the bus is what is cut here

RPC_TIMEOUT = 2.0
CUT_SECONDS = 3.0
FAST = {"EVENT_REQUEUE_DELAY": 0.2, "EVENT_REQUEUE_DELAY_MAX": 1.0, "HEARTBEAT": 5}


class Seen:
    """Counts each report's creation event it is given (acked after it returns)."""

    name = "saksi"
    events: list = []

    @reliable_event_handler(event_types=[REPORT_CREATED])
    def take(self, event_type, payload):
        Seen.events.append(payload["public_id"])


@pytest.fixture(scope="module")
def proxied(rabbit_manager, databases, run_id, request):
    require_backend("postgres")
    name = f"gawe_{run_id}_faults_bus"
    with temporary_vhost(rabbit_manager, request.config, name) as vhost:
        install_dead_letter(rabbit_manager, vhost["vhost"])
        parts = urlparse(vhost["AMQP_URI"])
        proxy = TcpProxy((parts.hostname, parts.port or 5672)).start()
        netloc = f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}"
        config = vhost | {"AMQP_URI": urlunparse(parts._replace(netloc=netloc))}
        Seen.events.clear()
        try:
            with running_platform(
                config,
                databases,
                "postgres",
                services=["accounts", "complaints", "gis"],
                service_config=FAST,
                rpc_timeout=RPC_TIMEOUT,
            ) as platform:
                runner = ServiceRunner(platform.config)
                runner.add_service(Seen)
                runner.start()
                try:
                    platform.proxy = proxy
                    yield platform
                finally:
                    proxy.resume()  # so that the runners stop cleanly
                    runner.kill()
        finally:
            proxy.close()


def file(client, token) -> tuple[int, dict | None, float]:
    started = time.monotonic()
    response = client.post("/api/v1/complaints", json=road_report(), headers=auth(token))
    return response.status_code, response, time.monotonic() - started


def stored(platform) -> list[str]:
    found = rows(platform.config["COMPLAINTS_DATABASE_URL"], "SELECT public_id FROM reports")
    return sorted(r["public_id"] for r in found)


def test_services_reconnect_after_the_bus_is_cut_and_nothing_accepted_is_lost(proxied):
    platform, client = proxied, proxied.client
    citizen = register_citizen(client)
    token = login(client, citizen["email"])

    accepted = []
    for _ in range(3):  # traffic: reports filed, their events in flight
        status, response, _ = file(client, token)
        assert status == 201, response.get_json()
        accepted.append(response.get_json()["public_id"])
    assert platform.proxy.cut() > 0  # every connection of the platform dropped

    cut_at = time.monotonic()
    refused = []
    while time.monotonic() - cut_at < CUT_SECONDS:
        status, response, took = file(client, token)
        refused.append(status)
        assert status in (503, 504), (status, response.get_data(as_text=True)[:300])
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert took < RPC_TIMEOUT + 6, f"the gateway took {took:.1f} s to answer"
    assert refused  # the gateway was asked during the cut

    platform.proxy.resume()

    def files_again():
        status, response, _ = file(client, token)
        if status == 201:
            accepted.append(response.get_json()["public_id"])
            return True
        assert status in (503, 504), (status, response.get_data(as_text=True)[:300])
        refused.append(status)
        return False

    wait_until(files_again, timeout=30, interval=0.5)  # services and gateway reconnected
    for _ in range(3):
        status, response, _ = file(client, token)
        assert status == 201, response.get_json()
        accepted.append(response.get_json()["public_id"])

    # Every report accepted is stored once, and its event handled once, by a reconnected
    # consumer. A refused answer does not always mean nothing was done: when the line broke
    # between a report's commit and its reply, the service stays up, the caller got its 503/504
    # (outcome unknown), and the report is stored (as after a kill -9, test_supervision.py);
    # never more of those than refusals, and each of them stored and handled once too.
    found = stored(platform)
    assert set(accepted) <= set(found) and len(set(found)) == len(found)
    assert len(found) - len(accepted) <= len(refused), (found, accepted, refused)
    wait_until(lambda: set(found) <= set(Seen.events), timeout=30)
    assert set(Seen.events) == set(found)
    # At least once, as promised: an event handled just before the cut whose ack went down with
    # the line is given again once the line is back (or published again by the relay, under the
    # same event id); apps that must act once drop it by its id (notifications does:
    # test_the_same_event_delivered_three_times_sends_one_email). Never more than that one repeat.
    assert max(Counter(Seen.events).values()) <= 2, Counter(Seen.events)
    # and the gateway says all is well again
    wait_until(lambda: client.get("/readyz").status_code == 200, timeout=15)
