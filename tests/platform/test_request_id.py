"""One request id from the HTTP request to every service it reaches, through RPCs and events.

A citizen files a report through the gateway: the gateway logs the request, the complaints
service logs the filing and writes the event into its outbox with the request id, and the
services that consume the event (notifications, gis) handle it under the same id, as their log
lines and the notifications' inbound event row show. Everything runs in-process on the real
bus; the log lines are the ones production writes (tests/support/logcapture.py).
"""

from __future__ import annotations

import json
import uuid

import pytest
from nameko.runners import ServiceRunner
from nameko.standalone.rpc import ClusterRpcProxy

from servicekit.context import CallContext, request_id_var, working_for
from servicekit.entrypoints import rpc
from servicekit.events import make_event
from servicekit.rpc import ServiceRpc
from services.complaints.contract import REPORT_CREATED
from services.notifications.contract import TEST_REQUESTED
from tests.support.factories import auth, login, register_citizen
from tests.support.faults import log_records, nameko_headers, publish_raw, rows
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

CONSUMERS = ("notifications.handle_event", "gis.feed_layers")


@pytest.fixture(scope="module")
def platform_options(tmp_path_factory):
    fast_retries = {
        "NOTIFY_SWEEP_INTERVAL": 0.2,
        "NOTIFY_RETRY_BASE_SECONDS": 0.2,
        "NOTIFY_RETRY_MAX_SECONDS": 0.5,
        "SERVICE_RPC_TIMEOUT": 0.5,
        "NOTIFY_OUTBOX_DIR": str(tmp_path_factory.mktemp("eml")),
    }
    return {
        "services": ["accounts", "complaints", "gis", "notifications"],
        "service_config": fast_retries,
    }


@pytest.fixture(scope="module")
def citizen(platform):
    user = register_citizen(platform.client)
    return user | {"token": login(platform.client, user["email"])}


def report(point: dict) -> dict:
    return {
        "category": "jalan-rusak",
        "lat": point["lat"],
        "lon": point["lon"],
        "description": "Jalan desa berlubang di depan sekolah, berbahaya bagi anak-anak.",
        "attributes": {
            "panjang_kerusakan_m": 150,
            "tingkat_kerusakan": "sedang",
            "jenis_jalan": "desa",
        },
        "ignore_duplicates": True,
    }


def outbox_row(platform, public_id: str) -> dict:
    found = []
    for row in rows(
        platform.config["COMPLAINTS_DATABASE_URL"],
        "SELECT * FROM outbox WHERE event_type = :t",
        t=REPORT_CREATED,
    ):
        payload = row["payload"]
        payload = json.loads(payload) if isinstance(payload, str) else payload
        if payload["public_id"] == public_id:
            found.append(row | {"payload": payload})
    [row] = found
    return row


def consumers_handled(rid: str, event_id: str) -> dict[str, dict]:
    """The consumers that logged handling `event_id`, under request id `rid`, by handler."""
    records = log_records(request_id=rid, message="event handled", event_id=event_id)
    return {r["handler"]: r for r in records}


def file_report(platform, citizen, point, headers=None):
    response = platform.client.post(
        "/api/v1/complaints", json=report(point), headers=auth(citizen["token"]) | (headers or {})
    )
    assert response.status_code == 201, response.get_json()
    return response


def follow(platform, rid: str, public_id: str) -> None:
    """Assert that `rid` reached every hop of the filing of `public_id`."""
    [access] = log_records(request_id=rid, logger="gateway.access")
    assert access["path"] == "/api/v1/complaints" and access["status"] == 201
    [filed] = log_records(request_id=rid, logger="services.complaints.filing")
    assert filed["message"] == "report filed" and filed["public_id"] == public_id

    row = outbox_row(platform, public_id)
    assert row["request_id"] == rid
    event_id = row["payload"]["event_id"]

    handled = wait_until(
        lambda: (found := consumers_handled(rid, event_id)).keys() >= set(CONSUMERS) and found
    )
    assert {handled[c]["event_type"] for c in CONSUMERS} == {REPORT_CREATED}
    [inbound] = rows(
        platform.config["NOTIFICATIONS_DATABASE_URL"],
        "SELECT request_id FROM inbound_events WHERE event_id = :e",
        e=event_id,
    )
    assert inbound["request_id"] == rid


def test_the_request_id_given_by_the_client_reaches_the_event_consumers(platform, citizen):
    rid = f"uji-jejak-{uuid.uuid4().hex}"
    point = desa_points()[11]

    response = file_report(platform, citizen, point, {"X-Request-ID": rid})

    assert response.headers["X-Request-ID"] == rid
    follow(platform, rid, response.get_json()["public_id"])


def test_a_request_id_made_by_the_gateway_travels_the_same_way(platform, citizen):
    response = file_report(platform, citizen, desa_points()[23])

    rid = response.headers["X-Request-ID"]
    assert rid and not rid.startswith("uji-")
    follow(platform, rid, response.get_json()["public_id"])


def test_a_stored_event_retried_later_keeps_the_request_id_it_came_with(platform, citizen):
    """notifications stores an event whose recipients it cannot resolve yet (accounts is down)
    and its sweep retries it: every attempt, the first and the retried ones, says which request
    it belongs to."""
    rid = f"uji-ulang-{uuid.uuid4().hex}"
    db = platform.config["NOTIFICATIONS_DATABASE_URL"]
    evt = make_event(TEST_REQUESTED, user_id=citizen["id"], note="jejak")

    def attempts() -> list[dict]:
        """The outcome lines of the event's failed attempts (first delivery, then sweeps)."""
        return log_records(logger="services.notifications.expansion", event_id=evt["event_id"])

    platform.stop("accounts")
    try:
        publish_raw(platform.config["AMQP_URI"], TEST_REQUESTED, evt, nameko_headers(rid))
        failed = wait_until(lambda: len(found := attempts()) >= 2 and found, timeout=20)
    finally:
        platform.start("accounts")

    assert all(r["message"] == "recipients not resolved yet, event will be retried" for r in failed)
    [stored] = rows(db, "SELECT * FROM inbound_events WHERE event_id = :e", e=evt["event_id"])
    assert stored["request_id"] == rid and stored["attempts"] >= 2
    # the sweep's attempts (which run in its timer's worker) speak for the event's request
    assert {r["request_id"] for r in attempts()} == {rid}
    wait_until(
        lambda: (
            rows(db, "SELECT status FROM inbound_events WHERE id = :i", i=stored["id"])
            == [{"status": "done"}]
        ),
        timeout=20,
    )
    assert {r["request_id"] for r in attempts()} == {rid}


class Echo:
    """A test-only service: which request a call it receives works for."""

    name = "uji_gema"
    actor = CallContext()

    @rpc
    def request_id(self) -> str | None:
        return request_id_var.get()


class Caller:
    """A test-only service that takes up stored work for another request, and calls Echo."""

    name = "uji_pemanggil"
    actor = CallContext()
    echo = ServiceRpc("uji_gema")

    @rpc
    def ask(self, stored_request_id: str) -> dict:
        with working_for(stored_request_id):
            for_stored = self.echo.request_id()
        return {
            "own": request_id_var.get(),
            "for_stored": for_stored,
            "after": self.echo.request_id(),
        }


def test_a_call_made_for_stored_work_carries_that_work_s_request_id(module_vhost):
    runner = ServiceRunner(module_vhost)
    runner.add_service(Echo)
    runner.add_service(Caller)
    runner.start()
    try:
        with ClusterRpcProxy(module_vhost, context_data={"request_id": "uji-kini"}) as cluster:
            answer = cluster.uji_pemanggil.ask("uji-tersimpan")
    finally:
        runner.kill()
    assert answer == {"own": "uji-kini", "for_stored": "uji-tersimpan", "after": "uji-kini"}
