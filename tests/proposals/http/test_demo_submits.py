"""The demo's flows still submit (issue 16): make demo's organisations hold their standing
documents on their profiles, so the demo citizen's new proposal for Karang Taruna needs only its
own documents uploaded (surat permohonan, RAB, rekening), and so does the demo's returned one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.proposals.contract.catalogue import STANDING_KINDS, proposal_documents
from services.proposals.demo import ORGANISATIONS, OWNED_BY_DEMO_CITIZEN, add_demo_member
from tests.proposals.conftest import (
    THIS_YEAR,
    citizen,
    create_draft,
    load_demo,
    standing_documents,
    upload,
)
from tests.support.factories import auth

OWN = proposal_documents("hibah", "organisation")


def make_member(platform, user_id: int) -> None:
    """What make demo does for warga@gawe.example, for this test's citizen."""
    engine = make_engine(platform.config["PROPOSALS_DATABASE_URL"])
    with Session(engine) as session:
        add_demo_member(session, user_id)
    engine.dispose()


def test_the_demo_organisations_proposals_submit_with_only_their_own_documents(
    platform, client, blob_dir
):
    load_demo(platform)
    person = citizen(client)
    make_member(platform, person["id"])
    token = person["token"]
    mine = client.get("/api/v1/proposals/applicants", headers=auth(token)).get_json()
    [organisation] = [a for a in mine if a["name"] == ORGANISATIONS[OWNED_BY_DEMO_CITIZEN][0]]

    listing = standing_documents(client, token, organisation["id"])
    assert [i["kind"] for i in listing["items"]] == list(STANDING_KINDS)
    assert {i["status"] for i in listing["items"]} == {"valid"}
    first = listing["items"][0]["document"]
    assert client.get(first["url"], headers=auth(token)).get_data().startswith(b"%PDF-")

    # a bansos: Karang Taruna's hibah of this year forbids another in the years next to it
    draft = create_draft(client, token, organisation["id"], "bansos", budget_year=THIS_YEAR)
    for doc_type in proposal_documents("bansos", "organisation"):
        assert upload(client, token, draft["public_id"], doc_type).status_code == 201
    submitted = client.post(
        f"/api/v1/proposals/{draft['public_id']}/submit", json={}, headers=auth(token)
    )
    assert submitted.status_code == 200, submitted.get_json()
    used = {d["kind"]: d["id"] for d in submitted.get_json()["standing_documents"]}
    held = {i["kind"]: i["document"]["id"] for i in listing["items"]}
    assert used == {k: held[k] for k in ("sk_kepengurusan", "ktp_ketua", "surat_domisili")}

    # the demo's returned proposal of Karang Taruna: its own documents, then resubmitted
    page = client.get("/api/v1/proposals/mine?per_page=100", headers=auth(token)).get_json()
    [returned] = [p for p in page["items"] if p["stage"] == "returned"]
    checklist = {i["doc_type"]: i for i in returned["checklist"]}
    assert all(
        checklist[k]["uploaded"] and checklist[k]["source"] == "profile" for k in STANDING_KINDS
    )
    assert [d for d in OWN if not checklist[d]["uploaded"]] == list(OWN)
    for doc_type in OWN:
        assert upload(client, token, returned["public_id"], doc_type).status_code == 201
    again = client.post(
        f"/api/v1/proposals/{returned['public_id']}/resubmit", json={}, headers=auth(token)
    )
    # its documents are complete; what refuses it is the demo's hibah of the year before
    assert again.status_code == 422 and set(again.get_json()["errors"]) == {"hibah_berturut"}
