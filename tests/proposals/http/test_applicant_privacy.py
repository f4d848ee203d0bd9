"""An applicant's profile (NIK, bank account, NPWP, phone, email, address) is personal data: its
members see it, an admin does, and staff only while one of its submitted proposals is their
agency's (or waits for Bagian Kesra or BPKAD at a stage they act on). Anyone else is told it
does not exist (404), the same answer as for an id that does not exist.

Also the authorisation of every applicant route: GET /applicants/<id>, PUT /organisations/<id>
and /individuals/<id>, POST /applicants/<id>/members, GET /mine.
"""

from __future__ import annotations

import pytest

from tests.proposals.conftest import (
    act,
    citizen,
    create_applicant,
    create_draft,
    individual_body,
    make_staff,
    organisation_body,
    submitted_proposal,
    upload_checklist,
)
from tests.support.factories import auth
from tests.support.snapshots import proposals_unchanged
from tests.support.web import web_login

PRIVATE_KEYS = ("nik", "phone", "email", "npwp", "bank_account_number", "address")


@pytest.fixture(scope="module")
def dpupr(client, admin):
    return make_staff(client, admin, "officer", "DPUPR")


def get_applicant(client, token: str, applicant_id: int):
    return client.get(f"/api/v1/proposals/applicants/{applicant_id}", headers=auth(token))


def secrets_of(applicant: dict) -> list[str]:
    values = [applicant.get(k) for k in PRIVATE_KEYS]
    values += [p.get("nik") for p in applicant.get("responsible_people") or []]
    return [v for v in values if v]


def assert_not_found(response, applicant: dict) -> None:
    assert response.status_code == 404, response.get_json()
    body = response.get_data(as_text=True)
    assert not [s for s in secrets_of(applicant) if s in body]


def test_staff_read_an_applicant_only_while_their_agency_handles_a_submitted_proposal(
    client, staff, admin, dpupr
):
    recipient = citizen(client)
    bansos = submitted_proposal(client, recipient["token"], "bansos")  # DINSOS
    person = bansos["applicant"]
    drafter = citizen(client)
    draft_only = create_applicant(client, drafter["token"])
    create_draft(client, drafter["token"], draft_only["id"])

    # the reported hole: an officer of another agency read both
    assert_not_found(get_applicant(client, dpupr["token"], person["id"]), person)
    assert_not_found(get_applicant(client, dpupr["token"], draft_only["id"]), draft_only)
    # no staff reads a profile whose proposals are all drafts, not even a fixed agency's
    for who in ("dinsos", "kesra", "tapd", "dispora"):
        assert_not_found(get_applicant(client, staff[who]["token"], draft_only["id"]), draft_only)
    # other citizens are told it does not exist, in the words an unknown id gets
    stranger = citizen(client)
    refused = get_applicant(client, stranger["token"], person["id"])
    assert_not_found(refused, person)
    unknown = get_applicant(client, stranger["token"], 99_999_999).get_json()
    assert refused.get_json()["detail"] == unknown["detail"]
    assert refused.get_json()["title"] == unknown["title"]

    # the agency handling it, its members and an admin read it
    for token in (staff["dinsos"]["token"], staff["dinsos_officer"]["token"], recipient["token"]):
        response = get_applicant(client, token, person["id"])
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["nik"] == person["nik"]
    assert get_applicant(client, admin, person["id"]).status_code == 200
    assert get_applicant(client, admin, draft_only["id"]).status_code == 200
    assert get_applicant(client, drafter["token"], draft_only["id"]).status_code == 200

    # Bagian Kesra reads it while the proposal waits for its administrative check, not after
    assert get_applicant(client, staff["kesra"]["token"], person["id"]).status_code == 200
    assert get_applicant(client, staff["tapd"]["token"], person["id"]).status_code == 404
    assert act(client, staff["kesra"], bansos["public_id"], "complete").status_code == 200
    assert_not_found(get_applicant(client, staff["kesra"]["token"], person["id"]), person)
    assert get_applicant(client, staff["dinsos"]["token"], person["id"]).status_code == 200


def test_staff_following_a_proposal_at_a_stage_they_do_not_act_on_see_no_personal_data(
    client, staff
):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "bansos")
    pid = proposal["public_id"]
    kesra = auth(staff["kesra"]["token"])
    before = client.get(f"/api/v1/proposals/{pid}", headers=kesra).get_json()
    assert before["applicant_withheld"] is False and before["applicant"]["nik"]
    document = before["documents"][0]["url"]
    assert client.get(document, headers=kesra).status_code == 200

    assert act(client, staff["kesra"], pid, "complete").status_code == 200
    after = client.get(f"/api/v1/proposals/{pid}", headers=kesra)
    assert after.status_code == 200  # Kesra still follows the proposal...
    view = after.get_json()
    assert view["applicant_withheld"] is True and view["documents"] == []
    body = after.get_data(as_text=True)
    leaked = [
        s for s in secrets_of(proposal["applicant"]) + [proposal["applicant"]["name"]] if s in body
    ]
    assert not leaked, leaked  # ...but not the person's identity, contacts, account, files
    assert client.get(document, headers=kesra).status_code == 403
    # the agency evaluating it sees everything
    own = client.get(f"/api/v1/proposals/{pid}", headers=auth(staff["dinsos"]["token"]))
    assert own.get_json()["applicant"]["nik"] == proposal["applicant"]["nik"]


def test_the_staff_desk_page_shows_the_applicant_only_to_those_who_may_see_it(
    platform, client, staff
):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid, phone = proposal["public_id"], proposal["applicant"]["phone"]
    act(client, staff["kesra"], pid, "complete")
    kesra = platform.client
    web_login(kesra, staff["kesra"]["email"])
    page = kesra.get(f"/staf/usulan/{pid}")
    assert page.status_code == 200 and phone not in page.get_data(as_text=True)
    assert "hanya untuk OPD yang menangani" in page.get_data(as_text=True)
    verifier = platform.client
    web_login(verifier, staff["dispora"]["email"])
    assert phone in verifier.get(f"/staf/usulan/{pid}").get_data(as_text=True)


# --- the authorisation of each applicant route ------------------------------------------------


def test_an_organisation_profile_is_changed_by_its_members_only(client, staff, dpupr, platform):
    owner = citizen(client)
    organisation = create_applicant(client, owner["token"])
    path = f"/api/v1/proposals/organisations/{organisation['id']}"
    stranger = citizen(client)
    forged = organisation_body(
        name="Yayasan Pengambil Alih", bank_account_name="Yayasan Pengambil Alih"
    )
    with proposals_unchanged(platform):
        assert client.put(path, json=forged, headers=auth(stranger["token"])).status_code == 404
        assert client.put(path, json=forged, headers=auth(dpupr["token"])).status_code == 404
    unchanged = get_applicant(client, owner["token"], organisation["id"]).get_json()
    assert unchanged["name"] == organisation["name"]
    assert unchanged["bank_account_number"] == organisation["bank_account_number"]

    mine = organisation_body(name=organisation["name"], bank_account_name=organisation["name"])
    response = client.put(path, json=mine, headers=auth(owner["token"]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["bank_account_number"] == mine["bank_account_number"]

    # staff who may see it (its agency, once submitted) still may not change it
    proposal = create_draft(client, owner["token"], organisation["id"])
    upload_checklist(client, owner["token"], proposal)
    submit = client.post(
        f"/api/v1/proposals/{proposal['public_id']}/submit", json={}, headers=auth(owner["token"])
    )
    assert submit.status_code == 200, submit.get_json()
    with proposals_unchanged(platform):
        dispora = auth(staff["dispora"]["token"])
        assert client.put(path, json=forged, headers=dispora).status_code == 403
    assert (
        get_applicant(client, owner["token"], organisation["id"]).get_json()["name"]
        == (organisation["name"])
    )


def test_an_individual_profile_is_changed_by_its_owner_only(client, staff, platform):
    owner = citizen(client)
    person = create_applicant(client, owner["token"], "individual")
    path = f"/api/v1/proposals/individuals/{person['id']}"
    forged = individual_body(name="Orang Lain Sekali", bank_account_name="Orang Lain Sekali")
    stranger = citizen(client)
    with proposals_unchanged(platform):
        for token in (stranger["token"], staff["dinsos"]["token"]):
            assert client.put(path, json=forged, headers=auth(token)).status_code == 404
    assert get_applicant(client, owner["token"], person["id"]).get_json()["nik"] == person["nik"]

    own = individual_body(name=person["name"], bank_account_name=person["name"])
    response = client.put(path, json=own, headers=auth(owner["token"]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["nik"] == own["nik"]
    # an organisation's route does not change an individual
    with proposals_unchanged(platform):
        wrong_kind = client.put(
            f"/api/v1/proposals/organisations/{person['id']}",
            json=organisation_body(),
            headers=auth(owner["token"]),
        )
        assert wrong_kind.status_code == 409


def test_members_are_added_by_members_only(client, staff, platform):
    owner = citizen(client)
    helper = citizen(client)
    organisation = create_applicant(client, owner["token"])
    path = f"/api/v1/proposals/applicants/{organisation['id']}/members"
    intruder = citizen(client)
    with proposals_unchanged(platform):
        for token in (intruder["token"], staff["dispora"]["token"]):
            response = client.post(path, json={"user_id": intruder["id"]}, headers=auth(token))
            assert response.status_code == 404, response.get_json()
    members = get_applicant(client, owner["token"], organisation["id"]).get_json()
    assert members["member_user_ids"] == [owner["id"]]
    assert get_applicant(client, intruder["token"], organisation["id"]).status_code == 404

    added = client.post(path, json={"user_id": helper["id"]}, headers=auth(owner["token"]))
    assert added.status_code == 200, added.get_json()
    assert sorted(added.get_json()["member_user_ids"]) == sorted([owner["id"], helper["id"]])
    assert get_applicant(client, helper["token"], organisation["id"]).status_code == 200
    person = create_applicant(client, owner["token"], "individual")
    with proposals_unchanged(platform):
        single = client.post(
            f"/api/v1/proposals/applicants/{person['id']}/members",
            json={"user_id": helper["id"]},
            headers=auth(owner["token"]),
        )
        assert single.status_code == 409


def test_mine_lists_the_callers_own_proposals_only(client, staff):
    owner = citizen(client)
    organisation = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], organisation["id"])

    def mine(token: str) -> set[str]:
        response = client.get("/api/v1/proposals/mine", headers=auth(token))
        assert response.status_code == 200, response.get_json()
        return {p["public_id"] for p in response.get_json()["items"]}

    assert draft["public_id"] in mine(owner["token"])
    assert draft["public_id"] not in mine(citizen(client)["token"])
    assert mine(staff["dispora"]["token"]) == set()
    assert client.get("/api/v1/proposals/mine").status_code == 401
