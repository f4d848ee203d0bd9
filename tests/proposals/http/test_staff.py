"""Staff work: queues per role and agency with waiting time, emergency bansos, LPJ reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    citizen,
    db_rows,
    emails_about,
    fresh_point,
    individual_body,
    submitted_proposal,
    upload,
)
from tests.support.factories import auth
from tests.support.snapshots import proposals_unchanged
from tests.support.waiting import wait_until


def queue_ids(client, who: dict, **query) -> dict[str, dict]:
    response = client.get("/api/v1/proposals/queue", query_string=query, headers=auth(who["token"]))
    assert response.status_code == 200, response.get_json()
    return {p["public_id"]: p for p in response.get_json()["items"]}


def test_each_role_and_agency_sees_its_own_queue_with_waiting_time(client, staff):
    applicant = citizen(client)
    hibah = submitted_proposal(client, applicant["token"], "hibah")
    bansos = submitted_proposal(client, applicant["token"], "bansos")
    kesra = queue_ids(client, staff["kesra"])
    assert {hibah["public_id"], bansos["public_id"]} <= set(kesra)
    assert kesra[hibah["public_id"]]["waiting_days"] >= 0
    assert hibah["public_id"] not in queue_ids(client, staff["dispora"])

    assert act(client, staff["kesra"], hibah["public_id"], "complete").status_code == 200
    assert hibah["public_id"] in queue_ids(client, staff["dispora"], stage="evaluation")
    assert hibah["public_id"] not in queue_ids(client, staff["dinsos"])
    assert hibah["public_id"] not in queue_ids(client, staff["kesra"])
    assert (
        client.get("/api/v1/proposals/queue", headers=auth(applicant["token"])).status_code == 403
    )


def test_staff_open_an_emergency_bansos_on_a_kepala_desa_report(client, staff, platform):
    point = fresh_point()
    body = {
        "beneficiary": individual_body(point),
        "reported_by": "Kepala Desa, laporan kebakaran rumah 2 Maret",
        "budget_year": THIS_YEAR,
        "title": "Bantuan korban kebakaran rumah",
        "purpose": "Bantuan darurat bagi keluarga yang rumahnya terbakar.",
        "category": "sosial",
        "requested_amount": 7_500_000,
        "cost_lines": [{"item": "Bahan bangunan darurat", "amount": 7_500_000}],
        "lat": point["lat"],
        "lon": point["lon"],
    }
    with proposals_unchanged(platform):
        wrong = client.post(
            "/api/v1/proposals/emergency",
            json=body,
            headers=auth(staff["dispora_officer"]["token"]),
        )
        assert wrong.status_code == 403
    opened = client.post(
        "/api/v1/proposals/emergency", json=body, headers=auth(staff["dinsos_officer"]["token"])
    )
    assert opened.status_code == 201, opened.get_json()
    proposal = opened.get_json()
    assert (proposal["bansos_type"], proposal["stage"]) == ("unplanned", "submitted")
    public = client.get(f"/api/v1/registry/proposals/{proposal['public_id']}").get_json()
    assert public["recipient_name"] == "S.N.W." and public["bansos_type"] == "unplanned"
    assert body["beneficiary"]["nik"] not in str(public)


def test_lpj_reminders_reach_the_recipient_before_the_deadline(client, platform, smtp):
    applicant = citizen(client)
    proposal = submitted_proposal(client, applicant["token"], "bansos")
    pid = proposal["public_id"]
    due = datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=20)
    db_rows(
        platform.config["PROPOSALS_DATABASE_URL"],
        "UPDATE proposals SET stage = 'disbursed', lpj_due = :due WHERE public_id = :p",
        due=due.isoformat(),
        p=pid,
    )
    [reminder] = wait_until(
        lambda: [m for m in emails_about(smtp, applicant["email"], pid) if "LPJ" in m["Subject"]],
        timeout=10,
    )
    assert "20 hari lagi" in reminder["Subject"]
    # the 4-week reminder is sent once, not on every sweep
    assert upload(client, applicant["token"], pid, "lpj_laporan").status_code == 201
    lpj = client.post(f"/api/v1/proposals/{pid}/lpj", json={}, headers=auth(applicant["token"]))
    assert lpj.status_code == 200 and lpj.get_json()["lpj_status"] == "diserahkan"
    assert (
        len([m for m in emails_about(smtp, applicant["email"], pid) if "LPJ" in m["Subject"]]) == 1
    )
