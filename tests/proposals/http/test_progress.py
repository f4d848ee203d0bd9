"""The progress line (issue 16) in the API answers and on the applicant's and the public page:
"tahap x dari n", what happens next and who acts."""

from __future__ import annotations

from tests.proposals.conftest import act, citizen, submitted_proposal
from tests.proposals.http.test_reached_forms import browser_of, page
from tests.support.factories import auth


def test_the_progress_line_follows_the_proposal_in_the_api_and_on_both_pages(
    platform, client, staff
):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    line = proposal["progress"]
    assert (line["step"], line["of"], line["label"]) == (2, 10, "Tahap 2 dari 10")
    assert line["next"] == {
        "action": "complete",
        "label": "Administrasi lengkap",
        "actor": "Bagian Kesra",
    }

    moved = act(client, staff["kesra"], pid, "complete")
    assert moved.status_code == 200, moved.get_json()
    agency = moved.get_json()["agency"]
    public = client.get(f"/api/v1/registry/proposals/{pid}").get_json()["progress"]
    mine = client.get(f"/api/v1/proposals/{pid}", headers=auth(owner["token"])).get_json()
    assert public == mine["progress"]
    assert public["step"] == 3 and public["next"]["actor"] == f"Verifikator OPD {agency}"
    assert [s["state"] for s in public["steps"][:4]] == ["done", "done", "current", "todo"]

    for html in (
        page(client, f"/usulan/{pid}"),
        page(browser_of(platform, owner), f"/saya/usulan/{pid}"),
    ):
        assert "tahap 3 dari 10" in html
        assert f"Selanjutnya: Direkomendasikan (oleh Verifikator OPD {agency})." in html
        assert 'aria-current="step"' in html

    listed = client.get("/api/v1/registry/proposals", query_string={"per_page": 100}).get_json()
    item = next(i for i in listed["items"] if i["public_id"] == pid)
    assert item["progress"]["label"] == "Tahap 3 dari 10"
