""" "Sudah diperbaiki?" (issue 16): after a report is resolved its reporter gets an email with two
links, confirm (closed) and reopen (back to the agency's queue), working without signing in by
a single-use token; through notifications and its template, the event carrying ids only."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import file_report
from tests.complaints.http.test_lifecycle import act
from tests.notifications.conftest import FAST, citizen, part
from tests.support.factories import auth
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until

LINK = re.compile(r"(/pengaduan/[A-Z0-9-]+/tanggapan\?token=[\w-]+&jawaban=(?:sudah|belum))")


@pytest.fixture(scope="module")
def platform_options(smtp):
    return {"service_config": {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}}


def resolve(client, staff, public_id):
    for action in ("verify", "forward", "start", "resolve"):
        assert act(client, staff, public_id, action).status_code == 200


def links_of(smtp, address, public_id) -> dict[str, str]:
    """The two links of the question's email: {"sudah": path, "belum": path}."""

    def asked():
        return [
            m for m in smtp.to(address) if m["Subject"] == f"Sudah diperbaiki? Laporan {public_id}"
        ]

    [mail] = wait_until(asked, timeout=20)
    found = LINK.findall(part(mail, "plain").get_content())
    return {parse_qs(urlsplit(link).query)["jawaban"][0]: link for link in found}


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def test_the_reporter_confirms_from_the_email_without_signing_in_and_the_link_works_once(
    client, smtp, dpupr, platform
):
    reporter = citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    resolve(client, dpupr, public_id)
    links = links_of(smtp, reporter["email"], public_id)
    assert set(links) == {"sudah", "belum"}
    assert token_of(links["sudah"]) == token_of(links["belum"])

    page = client.get(links["sudah"])  # no session: the link is the permission
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sudah diperbaiki?" in html and 'value="sudah" checked' in html
    done = client.post(
        f"/pengaduan/{public_id}/tanggapan",
        data={"token": token_of(links["sudah"]), "jawaban": "sudah"},
    )
    assert done.status_code == 200
    assert "Laporan ditutup" in done.get_data(as_text=True)
    report = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert report["status"] == "closed"
    last = report["timeline"][-1]
    assert (last["action"], last["actor"], last["to_status"]) == ("confirm", "Pelapor", "closed")

    with nothing_written(platform, "complaints"):
        again = client.post(
            f"/pengaduan/{public_id}/tanggapan",
            data={"token": token_of(links["belum"]), "jawaban": "belum"},
        )
        assert again.status_code == 422
    # only the token's hash is kept
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        hashes = conn.execute(text("SELECT token_hash FROM feedback_tokens")).scalars().all()
    engine.dispose()
    token = token_of(links["sudah"])
    assert token not in hashes and hashlib.sha256(token.encode()).hexdigest() in hashes


def test_an_anonymous_reporter_reopens_by_the_link_and_the_report_is_back_in_the_queue(
    client, smtp, dpupr
):
    address = "warga.tanggapan@example.id"
    public_id = file_report(client, contact_email=address)["public_id"]
    resolve(client, dpupr, public_id)
    token = token_of(links_of(smtp, address, public_id)["belum"])

    body = {"token": token, "answer": "reopen", "note": "Lubangnya masih ada di ujung jalan."}
    reopened = client.post(f"/api/v1/complaints/{public_id}/feedback", json=body)
    assert reopened.status_code == 200, reopened.get_json()
    report = reopened.get_json()
    assert report["status"] == "forwarded" and report["due_at"] is not None
    assert "contact_email" not in report and address not in str(report)
    assert report["timeline"][-1]["note"] == "Lubangnya masih ada di ujung jalan."
    queue = client.get("/api/v1/complaints/queue?per_page=100", headers=auth(dpupr)).get_json()
    assert public_id in [r["public_id"] for r in queue["items"]]
    spent = client.post(
        f"/api/v1/complaints/{public_id}/feedback", json=body | {"answer": "confirm"}
    )
    assert spent.status_code == 422 and "token" in spent.get_json()["errors"]


def test_wrong_expired_or_stale_tokens_change_nothing(client, smtp, dpupr, platform):
    reporter = citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    other_id = file_report(client, reporter["token"])["public_id"]
    resolve(client, dpupr, public_id)
    token = token_of(links_of(smtp, reporter["email"], public_id)["sudah"])

    def answer(pid, **body):
        return client.post(f"/api/v1/complaints/{pid}/feedback", json=body)

    with nothing_written(platform, "complaints"):
        assert answer(public_id, token="x" * 32, answer="confirm").status_code == 422
        assert answer(other_id, token=token, answer="confirm").status_code == 422  # not its own
        missing = answer(public_id, token=token)
        assert missing.status_code == 422 and "answer" in missing.get_json()["errors"]
        wrong = client.post(
            f"/pengaduan/{public_id}/tanggapan", data={"token": token, "jawaban": "mungkin"}
        )
        assert wrong.status_code == 422 and "jawaban" in wrong.get_data(as_text=True)

    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE feedback_tokens SET expires_at = :at"),
            {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)},
        )
    engine.dispose()
    expired = answer(public_id, token=token, answer="confirm")
    assert expired.status_code == 422 and "token" in expired.get_json()["errors"]
    assert client.get(f"/api/v1/complaints/{public_id}").get_json()["status"] == "resolved"


def test_a_report_closed_by_staff_meanwhile_is_not_answered(client, smtp, dpupr, platform):
    reporter = citizen(client)
    public_id = file_report(client, reporter["token"])["public_id"]
    resolve(client, dpupr, public_id)
    token = token_of(links_of(smtp, reporter["email"], public_id)["belum"])
    assert act(client, dpupr, public_id, "close").status_code == 200
    with nothing_written(platform, "complaints"):
        stale = client.post(
            f"/api/v1/complaints/{public_id}/feedback", json={"token": token, "answer": "reopen"}
        )
    assert stale.status_code == 409
