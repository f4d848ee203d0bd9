"""Events a handler cannot take are parked, never lost and never retried forever; the events
after them are still handled. Raw messages on the real bus, real services, on both backends.

- notifications: an event without its `event_id` is kept as a parked inbound event (under a
  stable `tanpa-id-…` id), acknowledged once, and makes no message;
- gis: an event without the id of the report it speaks of (`public_id`) makes its handler fail
  on every delivery; after EVENT_MAX_DELIVERIES it leaves the queue for the dead-letter queue
  (`gawe.dead-letter`, with its error in its headers), and the map is unchanged.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from servicekit.events import make_event
from servicekit.reliable_events import queue_name
from services.complaints.contract import REPORT_CREATED
from services.notifications.contract import TEST_REQUESTED
from tests.support.bus import temporary_vhost
from tests.support.databases import BACKENDS, require_backend
from tests.support.factories import register_citizen
from tests.support.faults import (
    install_dead_letter,
    log_records,
    nameko_headers,
    publish_raw,
    ready_messages,
    rows,
    take_messages,
)
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

MAX_DELIVERIES = 3
FAST = {
    "EVENT_REQUEUE_DELAY": 0.05,
    "EVENT_REQUEUE_DELAY_MAX": 0.2,
    "EVENT_MAX_DELIVERIES": MAX_DELIVERIES,
    "NOTIFY_SWEEP_INTERVAL": 0.2,
    "NOTIFY_TEMPLATE_CACHE_SECONDS": 0.0,
}


@pytest.fixture(scope="module", params=BACKENDS)
def platform(request, rabbit_manager, databases, run_id, tmp_path_factory):
    backend = require_backend(request.param)
    name = f"gawe_{run_id}_faults_events_{backend}"
    with temporary_vhost(rabbit_manager, request.config, name) as vhost:
        # before the services declare their queues, so that the policy is theirs from the start
        dead_letter = install_dead_letter(rabbit_manager, vhost["vhost"])
        config = FAST | {"NOTIFY_OUTBOX_DIR": str(tmp_path_factory.mktemp("eml"))}
        with running_platform(
            vhost,
            databases,
            backend,
            services=["accounts", "notifications", "gis"],
            service_config=config,
        ) as platform:
            platform.dead_letter = dead_letter
            yield platform


def request_id() -> str:
    return f"uji-{uuid.uuid4().hex}"


def inbound_events(platform, event_type: str) -> list[dict]:
    return rows(
        platform.config["NOTIFICATIONS_DATABASE_URL"],
        "SELECT * FROM inbound_events WHERE event_type = :t ORDER BY id",
        t=event_type,
    )


def outcomes(rid: str, handler: str, message: str) -> list[dict]:
    """What the reliable consumer of `handler` logged of the event carrying request id `rid`."""
    return [
        r
        for r in log_records(request_id=rid, logger="servicekit.reliable_events", handler=handler)
        if r["message"].startswith(message)
    ]


def handled(rid: str, handler: str) -> list[dict]:
    return outcomes(rid, handler, "event handled")


def requeued(rid: str, handler: str) -> list[dict]:
    return outcomes(rid, handler, "event not stored, requeued")


def parked(rid: str, handler: str) -> list[dict]:
    return outcomes(rid, handler, "event parked")


def test_an_event_without_an_id_is_parked_once_and_the_next_event_is_handled(platform):
    user = register_citizen(platform.client)
    amqp_uri = platform.config["AMQP_URI"]
    bad = make_event(TEST_REQUESTED, user_id=user["id"], note="tanpa id")
    del bad["event_id"]
    bad_rid = request_id()

    publish_raw(amqp_uri, TEST_REQUESTED, bad, nameko_headers(bad_rid))

    [kept] = wait_until(lambda: inbound_events(platform, TEST_REQUESTED))
    assert kept["status"] == "parked"
    assert kept["event_id"].startswith("tanpa-id-")
    assert "event_id" in kept["last_error"]
    payload = kept["payload"]
    assert (json.loads(payload) if isinstance(payload, str) else payload) == bad  # as it came
    assert kept["request_id"] == bad_rid
    db = platform.config["NOTIFICATIONS_DATABASE_URL"]
    assert rows(db, "SELECT id FROM notifications WHERE event_id = :e", e=kept["event_id"]) == []

    good = make_event(TEST_REQUESTED, user_id=user["id"], note="dengan id")
    good_rid = request_id()
    publish_raw(amqp_uri, TEST_REQUESTED, good, nameko_headers(good_rid))

    def good_done():
        found = [
            e for e in inbound_events(platform, TEST_REQUESTED) if e["event_id"] == good["event_id"]
        ]
        return found and found[0]["status"] == "done" and found[0]

    wait_until(good_done)
    sent = rows(db, "SELECT channel FROM notifications WHERE event_id = :e", e=good["event_id"])
    assert sorted(n["channel"] for n in sent) == ["email", "inbox"]
    # The bad event was taken once: acknowledged, never requeued, nothing left in the queue.
    handler = "notifications.handle_event"
    assert len(handled(bad_rid, handler)) == 1
    assert requeued(bad_rid, handler) == parked(bad_rid, handler) == []
    assert [e["event_id"] for e in inbound_events(platform, TEST_REQUESTED)] == [
        kept["event_id"],
        good["event_id"],
    ]
    assert ready_messages(amqp_uri, queue_name("notifications", "handle_event")) == 0
    assert rows(db, "SELECT id FROM notifications WHERE event_id = :e", e=kept["event_id"]) == []


def report_facts(public_id: str) -> dict:
    return {
        "report_id": 900001,
        "public_id": public_id,
        "category": "jalan",
        "category_name": "Jalan rusak",
        "agency": "DPUPR",
        "status": "diterima",
        "lat": -6.12,
        "lon": 106.15,
        "is_open": True,
        "requested_at": datetime.now(UTC),
    }


def map_points(platform) -> list[str]:
    response = platform.client.get("/gis/collections/complaints/items?limit=100")
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(f["id"] for f in response.get_json()["features"])


def test_an_event_without_its_report_id_is_dead_lettered_and_the_next_is_handled(platform):
    amqp_uri = platform.config["AMQP_URI"]
    queue = queue_name("gis", "feed_layers")
    before = map_points(platform)
    bad = make_event(REPORT_CREATED, **report_facts("SRG-2026-900001"))
    del bad["public_id"]
    bad_rid = request_id()

    publish_raw(amqp_uri, REPORT_CREATED, bad, nameko_headers(bad_rid))

    [dead] = wait_until(lambda: take_messages(amqp_uri, platform.dead_letter), timeout=20)
    assert dead.payload == bad
    # parked with its error (servicekit.dead_letters), by the handler itself
    assert dead.headers["x-gawe-queue"] == queue
    assert dead.headers["x-gawe-handler"] == "gis.feed_layers"
    assert dead.headers["x-gawe-deliveries"] == MAX_DELIVERIES
    assert dead.headers["x-gawe-error-type"] and dead.headers["x-gawe-error"]
    assert dead.headers["nameko.request_id"] == bad_rid
    # tried MAX_DELIVERIES times (each failure but the last requeued it), then parked
    handler = "gis.feed_layers"
    assert len(requeued(bad_rid, handler)) == MAX_DELIVERIES - 1
    [last] = parked(bad_rid, handler)
    assert last["deliveries"] == MAX_DELIVERIES and last["event_type"] == REPORT_CREATED
    assert handled(bad_rid, handler) == []
    assert map_points(platform) == before

    good = make_event(REPORT_CREATED, **report_facts("SRG-2026-900002"))
    publish_raw(amqp_uri, REPORT_CREATED, good, nameko_headers(request_id()))

    wait_until(lambda: "SRG-2026-900002" in map_points(platform))
    assert map_points(platform) == sorted([*before, "SRG-2026-900002"])
    assert ready_messages(amqp_uri, queue) == 0
    assert take_messages(amqp_uri, platform.dead_letter) == []
