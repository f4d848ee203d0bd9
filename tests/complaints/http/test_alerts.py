"""Area alerts (issue 16), through the gateway with every real service: HTTP → complaints →
outbox → RabbitMQ → notifications (→ complaints.alert_contact for the address) → the real SMTP
server in this process; and complaints' own handler of new reports → one alert email each."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import road_report
from tests.notifications.conftest import FAST, part
from tests.support.factories import auth, login, register_citizen, unique_email
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

CONFIRM = re.compile(r"/pengaduan/peringatan/konfirmasi\?kode=([A-Za-z0-9_-]+)")
STOP = re.compile(r"/pengaduan/peringatan/berhenti\?kode=([A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def platform_options(smtp):
    return {"service_config": {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}}


@pytest.fixture(scope="module")
def client(platform):
    return platform.client


@pytest.fixture(scope="module")
def reporter(client):
    return login(client, register_citizen(client)["email"])


def places(index: int = 5) -> tuple[dict, dict, dict]:
    """Two desa of one kecamatan, and a desa of another kecamatan far enough away."""
    points = desa_points()
    first = points[index]
    same = next(d for d in points if d["kecamatan_code"] == first["kecamatan_code"] and d != first)
    other = next(d for d in points if d["kecamatan_code"] != first["kecamatan_code"])
    return first, same, other


def subscribe(client, **area) -> str:
    address = unique_email("peringatan")
    body = {"email": address, "categories": ["jalan-rusak"]} | area
    response = client.post("/api/v1/alerts", json=body)
    assert response.status_code == 202, response.get_json()
    assert address not in response.get_data(as_text=True)
    return address


def mails(smtp, address: str) -> list:
    return smtp.to(address)


def link(pattern, message) -> str:
    return pattern.search(part(message, "plain").get_content()).group(0)


def file(client, token, point, **overrides) -> str:
    body = road_report(point=point, **overrides)
    response = client.post("/api/v1/complaints", json=body, headers=auth(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["public_id"]


def alerts_about(smtp, address: str) -> set[str]:
    found = set()
    for message in mails(smtp, address):
        match = re.search(r"\((SRG-\d{4}-\d+)\)", message["Subject"])
        if match:
            found.add(match.group(1))
    return found


def confirm(client, smtp, address: str) -> None:
    [message] = wait_until(lambda: mails(smtp, address), timeout=20)
    assert message["Subject"].startswith("Konfirmasi peringatan laporan")
    page = client.get(link(CONFIRM, message))
    assert page.status_code == 200
    assert "Mulai sekarang Anda menerima email" in page.get_data(as_text=True)


def test_an_alert_emails_each_new_report_of_its_area_once_until_it_is_ended(client, smtp, reporter):
    here, same_kecamatan, elsewhere = places()
    address = subscribe(client, kecamatan=here["kecamatan_code"])
    nearby = subscribe(client, lat=here["lat"], lon=here["lon"], radius_m=1000)
    [request] = wait_until(lambda: mails(smtp, address), timeout=20)
    assert "Kecamatan" in request["Subject"]

    before = file(client, reporter, here)  # not confirmed yet: never alerted
    confirm(client, smtp, address)
    confirm(client, smtp, nearby)

    inside = file(client, reporter, same_kecamatan)
    bridge = file(
        client,
        reporter,
        here,
        category="jembatan-rusak",
        attributes={"tingkat_kerusakan": "berat"},
    )
    outside = file(client, reporter, elsewhere)
    last = file(client, reporter, here)
    wait_until(lambda: last in alerts_about(smtp, address), timeout=20)
    wait_until(lambda: last in alerts_about(smtp, nearby), timeout=20)
    time.sleep(1.5)  # anything else due has had its time
    assert alerts_about(smtp, address) == {inside, last}
    assert before not in alerts_about(smtp, address) and bridge not in alerts_about(smtp, address)
    assert outside not in alerts_about(smtp, nearby) and inside not in alerts_about(smtp, nearby)
    alert = next(m for m in mails(smtp, address) if last in m["Subject"])
    assert len([m for m in mails(smtp, address) if last in m["Subject"]]) == 1
    text = part(alert, "plain").get_content()
    assert f"/pengaduan/{last}" in text and "Berhenti berlangganan" in text

    ended = client.get(link(STOP, alert))  # no sign-in
    assert ended.status_code == 200
    assert "tidak lagi menerima" in ended.get_data(as_text=True)
    assert client.get(link(STOP, alert)).status_code == 200  # a second click changes nothing

    after = file(client, reporter, here)
    wait_until(lambda: after in alerts_about(smtp, nearby), timeout=20)
    time.sleep(1.5)
    assert after not in alerts_about(smtp, address)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kecamatan": "36.04.99"}, "kecamatan"),
        ({"desa": "36.04.99.9999"}, "desa"),
        ({"lat": -6.1, "lon": 106.2, "radius_m": 20_000}, "radius_m"),
        ({"lat": -6.1, "lon": 106.2}, "radius_m"),
        ({}, "kecamatan"),
        ({"kecamatan": "x", "desa": "y"}, "kecamatan"),
        ({"desa": "36.04.05.2001", "categories": ["lotre"]}, "categories"),
        ({"desa": "36.04.05.2001", "categories": []}, "categories"),
        ({"desa": "36.04.05.2001", "email": "bukan-email"}, "email"),
    ],
)
def test_bad_alerts_are_refused_naming_the_field(client, body, field):
    request = {"email": unique_email("salah"), "categories": ["jalan-rusak"]} | body
    response = client.post("/api/v1/alerts", json=request)
    assert response.status_code == 422, response.get_json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]


def test_links_without_a_known_code_are_refused(client):
    assert client.get("/pengaduan/peringatan/konfirmasi").status_code == 400
    assert client.get("/pengaduan/peringatan/berhenti?kode=tidak-ada").status_code == 404
    assert client.get("/pengaduan/peringatan/konfirmasi?kode=tidak-ada").status_code == 404


def test_an_address_gets_at_most_ten_alerts_and_the_answer_never_tells(client, smtp, platform):
    here = desa_points()[11]
    address = unique_email("banyak")
    answers = set()
    for _ in range(11):
        body = {"email": address, "categories": ["jalan-rusak"], "desa": here["code"]}
        response = client.post("/api/v1/alerts", json=body)
        assert response.status_code == 202
        answers.add(response.get_data(as_text=True))
    assert len(answers) == 1
    wait_until(lambda: len(mails(smtp, address)) >= 10, timeout=30)
    time.sleep(1.5)
    assert len(mails(smtp, address)) == 10

    # never confirmed for a day: they stop counting, so nobody fills another's quota for good
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE alerts SET created_at = :at WHERE email = :e"),
            {"at": datetime.now(UTC) - timedelta(days=2), "e": address},
        )
    engine.dispose()
    body = {"email": address, "categories": ["jalan-rusak"], "desa": here["code"]}
    assert client.post("/api/v1/alerts", json=body).status_code == 202
    wait_until(lambda: len(mails(smtp, address)) == 11, timeout=30)
