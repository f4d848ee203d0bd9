"""A service whose own database is down requeues the events it receives, however often they come
back (never acknowledged and lost, never parked as a bad event), and handles each exactly once
when the database answers again.

PostgreSQL only: its database is made to refuse connections (ALLOW_CONNECTIONS false, the
open ones ended) while the service keeps running; SQLite has no such outage to make.
"""

from __future__ import annotations

import uuid

import pytest

from servicekit.events import make_event
from servicekit.reliable_events import queue_name
from services.notifications.contract import TEST_REQUESTED
from tests.support.databases import require_backend
from tests.support.factories import register_citizen
from tests.support.faults import (
    database_refusing_connections,
    log_records,
    nameko_headers,
    publish_raw,
    ready_messages,
    rows,
)
from tests.support.platform import running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.postgres  # the module runs on PostgreSQL

HANDLER = "notifications.handle_event"
MAX_DELIVERIES = 2  # a bad event would be parked at the second delivery; this one must not be


@pytest.fixture(scope="module")
def platform(module_vhost, databases, tmp_path_factory):
    require_backend("postgres")
    config = {
        "EVENT_REQUEUE_DELAY": 0.05,
        "EVENT_REQUEUE_DELAY_MAX": 0.2,
        "EVENT_MAX_DELIVERIES": MAX_DELIVERIES,
        "NOTIFY_OUTBOX_DIR": str(tmp_path_factory.mktemp("eml")),
    }
    with running_platform(
        module_vhost,
        databases,
        "postgres",
        services=["accounts", "notifications"],
        service_config=config,
    ) as platform:
        yield platform


def consumer_lines(rid: str, message: str) -> list[dict]:
    return [
        r
        for r in log_records(request_id=rid, logger="servicekit.reliable_events", handler=HANDLER)
        if r["message"].startswith(message)
    ]


def test_an_event_is_requeued_while_the_postgres_database_is_down_then_handled_once(platform):
    user = register_citizen(platform.client)
    db = platform.config["NOTIFICATIONS_DATABASE_URL"]
    evt = make_event(TEST_REQUESTED, user_id=user["id"], note="basis data mati")
    rid = f"uji-db-{uuid.uuid4().hex}"

    with database_refusing_connections(db):
        publish_raw(platform.config["AMQP_URI"], TEST_REQUESTED, evt, nameko_headers(rid))
        # delivered, failed on its database, requeued, again and again: past the delivery
        # count at which an event the handler cannot read is parked
        requeues = wait_until(
            lambda: (
                len(found := consumer_lines(rid, "event not stored, requeued")) > MAX_DELIVERIES
                and found
            ),
            timeout=20,
        )
        assert all(r["event_id"] == evt["event_id"] for r in requeues)
        assert [r["deliveries"] for r in requeues][:3] == [1, 2, 3]
        assert consumer_lines(rid, "event parked") == []
        assert consumer_lines(rid, "event handled") == []

    [handled] = wait_until(lambda: consumer_lines(rid, "event handled"), timeout=20)
    assert handled["event_id"] == evt["event_id"] and handled["deliveries"] > MAX_DELIVERIES

    def delivered():
        found = rows(db, "SELECT * FROM notifications WHERE event_id = :e", e=evt["event_id"])
        return found if found and all(n["status"] == "sent" for n in found) else None

    sent = wait_until(delivered)
    assert sorted(n["channel"] for n in sent) == ["email", "inbox"]
    assert all(n["attempts"] <= 1 for n in sent)  # the email went out once
    [event] = rows(db, "SELECT * FROM inbound_events WHERE event_id = :e", e=evt["event_id"])
    assert event["status"] == "done" and event["attempts"] == 1 and event["request_id"] == rid
    inbox = rows(db, "SELECT * FROM inbox_messages WHERE user_id = :u", u=user["id"])
    assert len(inbox) == 1
    assert (
        ready_messages(platform.config["AMQP_URI"], queue_name("notifications", "handle_event"))
        == 0
    )
    assert len(consumer_lines(rid, "event handled")) == 1
