"""Application rounds (issue 16): Kesra opens a round per budget year and kind, anyone reads the
schedule, and a proposal is submitted only while its round is open."""

from __future__ import annotations

from datetime import date, timedelta

from tests.proposals.conftest import (
    THIS_YEAR,
    citizen,
    create_applicant,
    create_draft,
    make_staff,
    upload_checklist,
)
from tests.support.factories import auth

ROUNDS = "/api/v1/proposals/rounds"
LATER = THIS_YEAR + 2  # no round of this module's setup (which opens this year's and next)


def round_body(kind: str = "hibah", year: int = LATER, **dates) -> dict:
    return {
        "budget_year": year,
        "kind": kind,
        "opens_on": f"{THIS_YEAR}-01-01",
        "closes_on": f"{THIS_YEAR}-12-31",
    } | dates


def submit(client, token: str, public_id: str):
    return client.post(f"/api/v1/proposals/{public_id}/submit", json={}, headers=auth(token))


def test_only_kesra_and_admins_keep_rounds(client, staff, admin):
    person = citizen(client)
    for token in (person["token"], staff["dinsos"]["token"], staff["tapd"]["token"]):
        refused = client.post(ROUNDS, json=round_body("bansos"), headers=auth(token))
        assert refused.status_code == 403, refused.get_json()
    assert client.post(ROUNDS, json=round_body("bansos")).status_code == 401

    officer = make_staff(client, admin, "officer", "KESRA")
    opened = client.post(ROUNDS, json=round_body("bansos"), headers=auth(officer["token"]))
    assert opened.status_code == 201, opened.get_json()
    again = client.post(ROUNDS, json=round_body("bansos"), headers=auth(admin))
    assert again.status_code == 409 and "budget_year" in again.get_json()["errors"]

    moved = client.put(
        f"{ROUNDS}/{opened.get_json()['id']}",
        json={"opens_on": f"{THIS_YEAR}-02-01", "closes_on": f"{THIS_YEAR}-12-31"},
        headers=auth(staff["dinsos"]["token"]),
    )
    assert moved.status_code == 403
    missing = client.put(
        f"{ROUNDS}/999999",
        json={"opens_on": f"{THIS_YEAR}-02-01", "closes_on": f"{THIS_YEAR}-12-31"},
        headers=auth(admin),
    )
    assert missing.status_code == 404


def test_bad_rounds_are_refused_naming_the_field(client, staff):
    kesra = auth(staff["kesra"]["token"])
    backwards = round_body(opens_on=f"{THIS_YEAR}-03-01", closes_on=f"{THIS_YEAR}-02-01")
    for body, field in (
        (backwards, "closes_on"),
        (round_body(kind="zakat"), "kind"),
        (round_body(year="2027"), "budget_year"),
        (round_body(opens_on="kemarin"), "opens_on"),
    ):
        response = client.post(ROUNDS, json=body, headers=kesra)
        assert response.status_code == 422, (body, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"]


def test_submitting_follows_the_round_and_its_dates(client, staff):
    kesra = auth(staff["kesra"]["token"])
    owner = citizen(client)
    applicant = create_applicant(client, owner["token"], "organisation")
    draft = create_draft(client, owner["token"], applicant["id"], "hibah", budget_year=LATER)
    upload_checklist(client, owner["token"], draft)
    pid = draft["public_id"]

    none_yet = submit(client, owner["token"], pid)
    assert none_yet.status_code == 422, none_yet.get_json()
    assert none_yet.mimetype == "application/problem+json"
    assert "belum ada masa pengajuan" in none_yet.get_json()["detail"].lower()
    assert "budget_year" in none_yet.get_json()["errors"]

    closed = round_body(opens_on=f"{THIS_YEAR - 1}-01-15", closes_on=f"{THIS_YEAR - 1}-03-31")
    opened = client.post(ROUNDS, json=closed, headers=kesra)
    assert opened.status_code == 201, opened.get_json()
    assert opened.get_json()["status"] == "closed"
    late = submit(client, owner["token"], pid)
    assert late.status_code == 422, late.get_json()
    assert f"15 Januari {THIS_YEAR - 1} s.d. 31 Maret {THIS_YEAR - 1}" in late.get_json()["detail"]

    soon = date.today() + timedelta(days=3)
    upcoming = {"opens_on": soon.isoformat(), "closes_on": (soon + timedelta(days=30)).isoformat()}
    moved = client.put(f"{ROUNDS}/{opened.get_json()['id']}", json=upcoming, headers=kesra)
    assert moved.status_code == 200 and moved.get_json()["status"] == "upcoming"
    assert submit(client, owner["token"], pid).status_code == 422

    extended = {"opens_on": f"{THIS_YEAR}-01-01", "closes_on": f"{THIS_YEAR}-12-31"}
    moved = client.put(f"{ROUNDS}/{opened.get_json()['id']}", json=extended, headers=kesra)
    assert moved.status_code == 200 and moved.get_json()["status"] == "open"
    on_time = submit(client, owner["token"], pid)
    assert on_time.status_code == 200, on_time.get_json()
    assert on_time.get_json()["stage"] == "submitted"


def test_anyone_reads_the_schedule(client):
    response = client.get(ROUNDS)
    assert response.status_code == 200
    rounds = {(r["budget_year"], r["kind"]): r for r in response.get_json()}
    this = rounds[(THIS_YEAR, "hibah")]
    assert this["status"] == "open" and this["kind_label"] == "Hibah"
    assert this["schedule"] == f"1 Januari {THIS_YEAR} s.d. 31 Desember {THIS_YEAR}"
    assert set(this) == {
        "id", "budget_year", "kind", "kind_label", "opens_on", "closes_on", "status",
        "status_label", "schedule",
    }  # fmt: skip
    registry = client.get("/api/v1/registry/proposals").get_json()
    assert any(r["budget_year"] == THIS_YEAR for r in registry["rounds"])
    page = client.get("/usulan").get_data(as_text=True)
    assert "Jadwal masa pengajuan" in page and this["schedule"] in page
