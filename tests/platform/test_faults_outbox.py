"""A change made while the broker refuses its service is committed with its event in the outbox;
once the broker answers again, the outbox relay publishes that event, once, and its consumers
handle it, under the request id of the HTTP request that made the change.

The shared RabbitMQ keeps running: only the complaints service's outbox is refused by it (it
is pointed at a vhost that is not there, then back; tests/support/faults.py), while the service
keeps answering RPCs. Both backends; the relay runs with no grace period.
"""

from __future__ import annotations

import json
import uuid

import pytest

from services.complaints.contract import REPORT_CREATED
from tests.support.bus import temporary_vhost
from tests.support.databases import BACKENDS, require_backend
from tests.support.factories import auth, login, register_citizen
from tests.support.faults import log_records, outbox_cut_off, rows
from tests.support.platform import running_platform
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

CONSUMERS = ("gis.feed_layers", "notifications.handle_event")


@pytest.fixture(scope="module", params=BACKENDS)
def platform(request, rabbit_manager, databases, run_id, tmp_path_factory):
    backend = require_backend(request.param)
    name = f"gawe_{run_id}_faults_outbox_{backend}"
    with (
        pytest.MonkeyPatch.context() as env,
        temporary_vhost(rabbit_manager, request.config, name) as vhost,
    ):
        env.setenv("OUTBOX_RELAY_GRACE", "0")  # read when the services start
        config = {"NOTIFY_OUTBOX_DIR": str(tmp_path_factory.mktemp("eml"))}
        with running_platform(
            vhost,
            databases,
            backend,
            services=["accounts", "complaints", "gis", "notifications"],
            service_config=config,
        ) as platform:
            yield platform


def report(point: dict) -> dict:
    return {
        "category": "jalan-rusak",
        "lat": point["lat"],
        "lon": point["lon"],
        "description": "Jalan kabupaten amblas di tikungan, kendaraan harus bergantian lewat.",
        "attributes": {
            "panjang_kerusakan_m": 40,
            "tingkat_kerusakan": "berat",
            "jenis_jalan": "kabupaten",
        },
        "ignore_duplicates": True,
    }


def outbox_row(platform, public_id: str) -> dict | None:
    for row in rows(
        platform.config["COMPLAINTS_DATABASE_URL"],
        "SELECT * FROM outbox WHERE event_type = :t",
        t=REPORT_CREATED,
    ):
        payload = row["payload"]
        payload = json.loads(payload) if isinstance(payload, str) else payload
        if payload["public_id"] == public_id:
            return row | {"payload": payload}
    return None


def handled(event_id: str) -> dict[str, list[dict]]:
    """Each consumer's `event handled` lines for `event_id`."""
    found = {c: [] for c in CONSUMERS}
    for record in log_records(logger="servicekit.reliable_events", event_id=event_id):
        if record["message"] == "event handled" and record["handler"] in found:
            found[record["handler"]].append(record)
    return found


def file(platform, token: str, point: dict, rid: str) -> str:
    response = platform.client.post(
        "/api/v1/complaints", json=report(point), headers=auth(token) | {"X-Request-ID": rid}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["public_id"]


def test_an_event_committed_while_the_broker_refused_it_is_relayed_once_when_it_answers(
    platform,
):
    user = register_citizen(platform.client)
    token = login(platform.client, user["email"])
    rid = f"uji-outbox-{uuid.uuid4().hex}"

    with outbox_cut_off(platform.runners["complaints"]):
        public_id = file(platform, token, desa_points()[5], rid)

        # the change is committed, with its event, which could not leave
        assert platform.client.get(f"/api/v1/complaints/{public_id}").status_code == 200
        row = wait_until(
            lambda: (r := outbox_row(platform, public_id)) and r["attempts"] >= 1 and r
        )
        assert row["published_at"] is None and row["request_id"] == rid
        event_id = row["payload"]["event_id"]
        assert handled(event_id) == {c: [] for c in CONSUMERS}

    wait_until(lambda: outbox_row(platform, public_id)["published_at"] is not None)
    seen = wait_until(lambda: all((found := handled(event_id)).values()) and found)
    # what the relay published is the committed event, with the request id of its request
    assert {c: [r["request_id"] for r in lines] for c, lines in seen.items()} == {
        c: [rid] for c in CONSUMERS
    }

    # A later report goes out at once; by the time its event is handled, the first one still
    # has been handled once by each consumer, and nothing is left unpublished.
    later = file(platform, token, desa_points()[6], f"uji-outbox-{uuid.uuid4().hex}")
    later_id = wait_until(lambda: outbox_row(platform, later))["payload"]["event_id"]
    wait_until(lambda: all(handled(later_id).values()))
    assert {c: len(lines) for c, lines in handled(event_id).items()} == {c: 1 for c in CONSUMERS}
    inbound = rows(
        platform.config["NOTIFICATIONS_DATABASE_URL"],
        "SELECT request_id FROM inbound_events WHERE event_id = :e",
        e=event_id,
    )
    assert inbound == [{"request_id": rid}]
    unpublished = rows(
        platform.config["COMPLAINTS_DATABASE_URL"],
        "SELECT id FROM outbox WHERE published_at IS NULL",
    )
    assert unpublished == []
    items = platform.client.get("/gis/collections/complaints/items?limit=100").get_json()
    assert sorted(f["id"] for f in items["features"]) == sorted([public_id, later])
