"""Complaints events become email and inbox messages, end to end with every real service.

HTTP → complaints (→ gis.locate) → outbox → RabbitMQ → notifications (→ accounts, and
complaints for an anonymous reporter's contact) → the real SMTP server in this process.
"""

from __future__ import annotations

import pytest

from tests.complaints.conftest import file_report, make_staff
from tests.notifications.conftest import FAST, citizen, part, rows
from tests.support.factories import auth, create_admin, login
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def platform_options(smtp):
    return {"service_config": {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}}


@pytest.fixture(scope="module")
def client(platform):
    return platform.client


@pytest.fixture(scope="module")
def officer(platform, client):
    admin = login(client, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
    token = make_staff(client, admin, "officer", "DPUPR")
    me = client.get("/api/v1/me", headers=auth(token)).get_json()
    return {"token": token, "email": me["email"]}


def act(client, token, public_id, action, note):
    response = client.post(
        f"/api/v1/complaints/{public_id}/transitions",
        json={"action": action, "note": note},
        headers=auth(token),
    )
    assert response.status_code == 200, response.get_json()


def about(smtp, address: str, public_id: str) -> list:
    return [m for m in smtp.to(address) if public_id in m["Subject"]]


def test_new_report_reaches_the_agency_officers_and_the_reporter_gets_a_receipt(
    client, smtp, officer
):
    reporter = citizen(client)
    report = file_report(client, reporter["token"])
    public_id = report["public_id"]

    [to_officer] = wait_until(lambda: about(smtp, officer["email"], public_id))
    assert to_officer["Subject"].startswith(f"Laporan baru {public_id}: Jalan")
    text = part(to_officer, "plain").get_content()
    assert "menunggu verifikasi" in text and f"/pengaduan/{public_id}" in text

    [receipt] = wait_until(lambda: about(smtp, reporter["email"], public_id))
    assert receipt["Subject"] == f"Laporan Anda diterima: {public_id}"
    assert "DPUPR" in part(receipt, "plain").get_content()

    inbox = client.get("/api/v1/inbox", headers=auth(reporter["token"])).get_json()
    assert any(public_id in item["subject"] for item in inbox["items"])


def test_each_status_change_emails_the_reporter_once_with_the_officers_note(client, smtp, officer):
    reporter = citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    wait_until(lambda: about(smtp, reporter["email"], public_id))

    act(client, officer["token"], public_id, "verify", "Sudah dicek di lokasi <hari ini>")
    act(client, officer["token"], public_id, "forward", "Diteruskan ke UPT Jalan Wilayah I")

    subjects = {f"Laporan {public_id}: Terverifikasi", f"Laporan {public_id}: Diteruskan ke OPD"}
    wait_until(
        lambda: subjects <= {m["Subject"] for m in about(smtp, reporter["email"], public_id)}
    )
    mails = about(smtp, reporter["email"], public_id)
    assert len(mails) == 3  # the receipt and one per change, never a second copy
    verified = next(m for m in mails if m["Subject"].endswith("Terverifikasi"))
    assert "Sudah dicek di lokasi <hari ini>" in part(verified, "plain").get_content()
    assert "&lt;hari ini&gt;" in part(verified, "html").get_content()  # escaped in HTML


def test_an_anonymous_reporter_is_reached_at_the_contact_email_they_left(client, smtp, officer):
    address = "anonim.pelapor@example.id"
    public_id = file_report(client, contact_email=address, contact_name="Pak RT")["public_id"]

    [receipt] = wait_until(lambda: about(smtp, address, public_id))
    assert "Yth. Pak RT" in part(receipt, "plain").get_content()

    act(client, officer["token"], public_id, "reject", "Lokasi berada di jalan nasional")
    wait_until(lambda: len(about(smtp, address, public_id)) == 2)
    rejected = about(smtp, address, public_id)[-1]
    assert rejected["Subject"] == f"Laporan {public_id}: Ditolak"
    assert "jalan nasional" in part(rejected, "plain").get_content()


def test_a_report_with_no_way_to_reach_its_reporter_still_reaches_the_agency(
    platform, client, smtp, officer
):
    public_id = file_report(client)["public_id"]
    wait_until(lambda: about(smtp, officer["email"], public_id))
    act(client, officer["token"], public_id, "verify", "ok")

    db = platform.config["NOTIFICATIONS_DATABASE_URL"]
    [changed] = wait_until(
        lambda: rows(
            db,
            "SELECT * FROM inbound_events WHERE event_type = 'complaints.status_changed'"
            " AND status = 'done' AND CAST(payload AS TEXT) LIKE :p",
            p=f'%"{public_id}"%',
        )
    )
    assert rows(db, "SELECT id FROM notifications WHERE event_id = :e", e=changed["event_id"]) == []
    assert {m["To"] for m in smtp.messages if public_id in m["Subject"]} == {officer["email"]}
