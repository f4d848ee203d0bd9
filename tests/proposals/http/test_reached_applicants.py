"""GET /api/v1/proposals/applicants (proposals.my_applicants), which only the authorisation
matrix called before (issue #18): a citizen lists the organisations and individual profiles they
may act for, their own and those they were made a member of, and nobody else's."""

from __future__ import annotations

from tests.proposals.conftest import citizen, create_applicant
from tests.support.factories import auth

PATH = "/api/v1/proposals/applicants"


def listed(client, token: str) -> list[dict]:
    response = client.get(PATH, headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_citizen_lists_the_profiles_they_act_for_with_their_details(client):
    owner = citizen(client)
    assert listed(client, owner["token"]) == []

    organisation = create_applicant(client, owner["token"])
    person = create_applicant(client, owner["token"], "individual")

    mine = {a["id"]: a for a in listed(client, owner["token"])}
    assert set(mine) == {organisation["id"], person["id"]}
    assert mine[organisation["id"]] == organisation  # the same view as the profile's own
    assert mine[person["id"]]["kind"] == "individual"
    assert mine[person["id"]]["nik"] == person["nik"]  # their own personal data, to them
    assert mine[organisation["id"]]["member_user_ids"] == [owner["id"]]


def test_nobody_else_sees_a_profile_until_made_a_member(client):
    owner, helper, stranger = citizen(client), citizen(client), citizen(client)
    organisation = create_applicant(client, owner["token"])
    create_applicant(client, owner["token"], "individual")
    assert listed(client, helper["token"]) == []

    added = client.post(
        f"{PATH}/{organisation['id']}/members",
        json={"user_id": helper["id"]},
        headers=auth(owner["token"]),
    )
    assert added.status_code == 200, added.get_json()

    [shared] = listed(client, helper["token"])  # the organisation, not the owner's own profile
    assert shared["id"] == organisation["id"] and shared["name"] == organisation["name"]
    assert sorted(shared["member_user_ids"]) == sorted([owner["id"], helper["id"]])
    assert listed(client, stranger["token"]) == []


def test_signed_out_nobody_is_listed(client):
    owner = citizen(client)
    organisation = create_applicant(client, owner["token"])

    response = client.get(PATH)

    assert response.status_code == 401
    assert organisation["name"] not in response.get_data(as_text=True)
    assert [a["id"] for a in listed(client, owner["token"])] == [organisation["id"]]
