"""A poison event (its handler always fails) is retried a bounded number of times, then parked
in `gawe.dead-letter` with its error, while the events behind it in the same queue are handled;
an admin lists it over HTTP (payload with personal fields hidden) and replays it once the
condition is fixed: handled once, gone from the dead-letter queue. Non-admins get 403.

Reports are filed over HTTP on the real complaints service; their `complaints.report_created`
events reach a test-only service (`penanda`) on the module's vhost, whose handler fails for the
one point the test plants (the error names an email and a phone number: they must not show).
"""

from __future__ import annotations

import pytest
from nameko.runners import ServiceRunner

from servicekit.reliable_events import queue_name, reliable_event_handler
from services.complaints.contract import REPORT_CREATED
from tests.complaints.conftest import file_report, fresh_point
from tests.support.factories import auth, create_admin, login, register_citizen
from tests.support.faults import ready_messages
from tests.support.waiting import wait_until
from tests.support.web import web_login

MAX_DELIVERIES = 3
FAST = {
    "EVENT_REQUEUE_DELAY": 0.3,
    "EVENT_REQUEUE_DELAY_MAX": 0.6,
    "EVENT_MAX_DELIVERIES": MAX_DELIVERIES,
}
API = "/api/v1/admin/dead-letters"


class Penanda:
    """Counts each report it is told of; fails on the reports at a planted point."""

    name = "penanda"
    broken: set = set()
    handled: list = []
    attempts: list = []

    @reliable_event_handler(event_types=[REPORT_CREATED])
    def take(self, event_type, payload):
        Penanda.attempts.append(payload["public_id"])
        if (payload["lat"], payload["lon"]) in Penanda.broken:
            raise ValueError("titik beracun; hubungi budi.santoso@example.id atau 081234567890")
        Penanda.handled.append(payload["public_id"])


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts", "complaints", "gis"], "service_config": FAST}


@pytest.fixture(scope="module")
def penanda(platform):
    Penanda.broken.clear()
    Penanda.handled.clear()
    Penanda.attempts.clear()
    runner = ServiceRunner(platform.config)
    runner.add_service(Penanda)
    runner.start()
    try:
        yield Penanda
    finally:
        runner.kill()


def letters(client, token, **query):
    response = client.get(API, query_string=query, headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_poison_event_is_parked_with_its_error_and_replayed_once_fixed(
    platform, penanda, admin_token
):
    client = platform.client
    citizen = register_citizen(client)
    token = login(client, citizen["email"])
    poison_point = fresh_point()
    penanda.broken.add((poison_point["lat"], poison_point["lon"]))

    poison = file_report(client, token, point=poison_point)["public_id"]
    behind = [file_report(client, token)["public_id"] for _ in range(3)]

    # the events behind it are handled while it is being retried
    wait_until(lambda: set(behind) <= set(penanda.handled), timeout=20)
    parked = wait_until(lambda: letters(client, admin_token)["items"], timeout=30)
    assert len(parked) == 1
    [letter] = parked
    assert penanda.attempts.count(poison) == MAX_DELIVERIES  # bounded, then parked
    assert poison not in penanda.handled
    assert letter["event_type"] == REPORT_CREATED
    assert letter["source_service"] == "complaints"
    assert letter["queue"] == queue_name("penanda", "take")
    assert letter["handler"] == "penanda.take"
    assert letter["deliveries"] == MAX_DELIVERIES
    assert letter["error_type"] == "ValueError"
    assert "titik beracun" in letter["error"]
    assert letter["first_failure"] <= letter["last_failure"]
    assert letter["payload"]["public_id"] == poison
    body = str(letter)  # nothing personal: not the error's email and phone
    assert "budi.santoso@example.id" not in body and "081234567890" not in body
    assert ready_messages(platform.config["AMQP_URI"], letter["queue"]) == 0
    # listing leaves it parked
    assert [d["id"] for d in letters(client, admin_token)["items"]] == [letter["id"]]

    # non-admins are refused, and cannot replay it
    assert client.get(API, headers=auth(token)).status_code == 403
    assert client.get(API).status_code == 401
    refused = client.post(f"{API}/{letter['id']}/replay", headers=auth(token))
    assert refused.status_code == 403
    assert client.post(f"{API}/replay", headers=auth(token)).status_code == 403

    # fixed, replayed: handled once, and no longer parked
    penanda.broken.clear()
    response = client.post(f"{API}/{letter['id']}/replay", headers=auth(admin_token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"replayed": [letter["id"]]}
    wait_until(lambda: poison in penanda.handled, timeout=20)
    assert letters(client, admin_token) == {"items": [], "total": 0, "page": 1, "per_page": 20}
    again = client.post(f"{API}/{letter['id']}/replay", headers=auth(admin_token))
    assert again.status_code == 404
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert sorted(penanda.handled) == sorted([*behind, poison])  # each handled once


def test_an_admin_replays_from_the_admin_page(platform, penanda, admin_token):
    client = platform.client
    citizen = register_citizen(client)
    token = login(client, citizen["email"])
    point = fresh_point()
    penanda.broken.add((point["lat"], point["lon"]))
    public_id = file_report(client, token, point=point)["public_id"]
    [letter] = wait_until(lambda: letters(client, admin_token)["items"], timeout=30)

    browser = platform.client
    web_login(browser, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
    page = browser.get("/admin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Peristiwa terparkir" in html and letter["handler"] in html
    assert "budi.santoso@example.id" not in html
    form = f"/admin/peristiwa-parkir/{letter['id']}/ulang"
    assert form in html
    assert browser.post(form, data={}).status_code in (400, 403)  # no CSRF token: refused
    penanda.broken.clear()
    done = browser.post(form, data={"csrf": csrf_of(html)})
    assert done.status_code == 303
    wait_until(lambda: public_id in penanda.handled, timeout=20)
    assert "Tidak ada. Semua peristiwa tertangani." in browser.get("/admin").get_data(as_text=True)


def csrf_of(html: str) -> str:
    import re

    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)
