"""Who receives the money cannot change silently: once a proposal is submitted, a change of the
applicant's bank account or responsible people is re-checked against the account-name rule,
written to each submitted proposal's audit chain (without the values), and a proposal already
awarded but not yet paid goes back to the OPD's verification in public view. While every
proposal is a draft, the profile changes freely.
"""

from __future__ import annotations

from tests.proposals.conftest import (
    THIS_YEAR,
    act,
    assert_nothing_private,
    citizen,
    create_applicant,
    create_draft,
    declare,
    field_check,
    nik,
    registry_item,
    submitted_proposal,
)
from tests.proposals.forms import PROFILE_KEYS
from tests.support.factories import auth
from tests.support.snapshots import proposals_unchanged


def profile_body(applicant: dict, **changes) -> dict:
    """The profile as its owner would send it back, with `changes`."""
    keys = (*(k for k in PROFILE_KEYS if k != "nik"), "responsible_people")
    return {k: applicant[k] for k in keys} | changes


def put_profile(client, token: str, applicant: dict, **changes):
    return client.put(
        f"/api/v1/proposals/organisations/{applicant['id']}",
        json=profile_body(applicant, **changes),
        headers=auth(token),
    )


def audit(client, who: str, public_id: str) -> list[dict]:
    response = client.get(f"/api/v1/proposals/{public_id}/audit", headers=auth(who))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["entries"]


def chain_ok(client, who: str, public_id: str) -> bool:
    verdict = client.get(f"/api/v1/proposals/{public_id}/audit/verify", headers=auth(who))
    return verdict.get_json()["ok"]


def test_a_draft_only_profile_changes_freely(client, admin):
    owner = citizen(client)
    organisation = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], organisation["id"])
    changed = put_profile(client, owner["token"], organisation, bank_account_number="0099887766")
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["bank_account_number"] == "0099887766"
    actions = [e["action"] for e in audit(client, admin, draft["public_id"])]
    assert "applicant_changed" not in actions
    mine = client.get(f"/api/v1/proposals/{draft['public_id']}", headers=auth(owner["token"]))
    assert mine.get_json()["stage"] == "draft"


def test_after_submission_an_account_change_is_checked_and_audited(client, staff, platform):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid, organisation = proposal["public_id"], proposal["applicant"]
    kesra = staff["kesra"]["token"]
    entries_before = len(audit(client, kesra, pid))

    # an account in a private person's name is refused, and nothing changes
    with proposals_unchanged(platform):
        personal = put_profile(
            client,
            owner["token"],
            organisation,
            bank_account_number="0011223344",
            bank_account_name="Haji Ahmad Pribadi",
        )
        assert personal.status_code == 422, personal.get_json()
    assert "bank_account_name" in personal.get_json()["errors"]
    profile = client.get(
        f"/api/v1/proposals/applicants/{organisation['id']}", headers=auth(owner["token"])
    ).get_json()
    assert profile["bank_account_number"] == organisation["bank_account_number"]
    assert len(audit(client, kesra, pid)) == entries_before

    # an account in the organisation's own name is accepted, and written to the audit chain
    accepted = put_profile(client, owner["token"], organisation, bank_account_number="0011223344")
    assert accepted.status_code == 200, accepted.get_json()
    entries = audit(client, kesra, pid)
    [change] = [e for e in entries if e["action"] == "applicant_changed"]
    assert change["data"]["fields"] == ["bank_account_number"]
    assert change["data"]["bank_account_after"] == "****3344"
    assert change["actor_user_id"] == owner["id"]
    log_text = str(entries)
    assert "0011223344" not in log_text and organisation["bank_account_number"] not in log_text
    assert chain_ok(client, kesra, pid)
    # before the decree the proposal stays where it is
    assert registry_item(client, pid)["stage"] == "submitted"


def run_to_approved(client, staff, public_id: str) -> None:
    steps = [
        (staff["kesra"], "complete", {}),
        (staff["dispora"], "recommend", {"amount": 25_000_000}),
        (staff["tapd"], "accept", {"amount": 25_000_000}),
        (
            staff["kesra"],
            "approve",
            {
                "amount": 25_000_000,
                "decree_number": f"SK/{public_id}",
                "decree_date": f"{THIS_YEAR}-03-02",
            },
        ),
    ]
    for who, action, extra in steps:
        if action == "recommend":
            declare(client, staff["dispora"], public_id)
            field_check(client, staff["dispora"], public_id)
        if action == "accept":
            declare(client, staff["tapd"], public_id)
        response = act(client, who, public_id, action, **extra)
        assert response.status_code == 200, (action, response.get_json())


def test_after_approval_a_change_of_responsible_people_returns_it_to_verification(client, staff):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid, organisation = proposal["public_id"], proposal["applicant"]
    run_to_approved(client, staff, pid)
    assert registry_item(client, pid)["stage"] == "approved"

    new_chair = {
        "name": "Dadang Suhendar Pengganti",
        "position": "Ketua",
        "nik": nik(),
        "phone": "081377788899",
    }
    changed = put_profile(client, owner["token"], organisation, responsible_people=[new_chair])
    assert changed.status_code == 200, changed.get_json()

    item = registry_item(client, pid)
    assert item["stage"] == "evaluation"
    last = item["timeline"][-1]
    assert (last["action"], last["from_stage"], last["to_stage"]) == (
        "reverify",
        "approved",
        "evaluation",
    )
    assert "diverifikasi ulang" in last["note"]
    # the public sees that it went back, not to whom the money would now go
    current = client.get(f"/api/v1/proposals/{pid}", headers=auth(owner["token"])).get_json()
    texts = assert_nothing_private(client, current)
    for body in texts.values():
        assert new_chair["name"] not in body and new_chair["nik"] not in body
    entries = audit(client, staff["dispora"]["token"], pid)
    actions = [e["action"] for e in entries]
    assert actions[-2:] == ["applicant_changed", "reverify"]
    assert entries[-2]["data"]["fields"] == ["responsible_people"]
    assert new_chair["nik"] not in str(entries) and new_chair["name"] not in str(entries)
    assert chain_ok(client, staff["dispora"]["token"], pid)
    # the OPD verifies again; the awarded decision is taken anew
    again = act(client, staff["dispora"], pid, "recommend", amount=20_000_000)
    assert again.status_code == 200, again.get_json()
    assert registry_item(client, pid)["stage"] == "recommended"


def test_a_change_that_touches_nothing_guarded_is_not_an_event(client, staff):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid, organisation = proposal["public_id"], proposal["applicant"]
    entries_before = len(audit(client, staff["kesra"]["token"], pid))
    response = put_profile(client, owner["token"], organisation, phone="081200011122")
    assert response.status_code == 200, response.get_json()
    assert len(audit(client, staff["kesra"]["token"], pid)) == entries_before
