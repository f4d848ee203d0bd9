"""Audit trails anyone can verify (issue #17, docs/transparency.md), through the gateway with the
real services: every public step of a proposal and of a report enters its public hash chain;
the transparency service seals digests of the chains' heads, chained and signed with the key it
publishes; and rewriting an entry, or a whole chain, or a published digest is caught.

This module's platform seals a digest every 2 seconds (TRANSPARENCY_DIGEST_SECONDS=2; a WIB day
in production), so a digest is published within seconds of a change."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from servicekit.trail import GENESIS, canonical, check_chain, heads_root, sha256
from tests.complaints.conftest import road_report
from tests.proposals.conftest import (
    act,
    citizen,
    create_applicant,
    create_draft,
    submitted_proposal,
)
from tests.support.factories import auth
from tests.support.trails import change_entry, rewrite_chain, transparency_config
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def platform_options(smtp, tmp_path_factory):
    key_file = tmp_path_factory.mktemp("transparency") / "signing.key"
    return {"service_config": transparency_config(smtp.port, key_file)}


def trail_of(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


_KEPT: dict[int, dict] = {}  # published digests never change: each is read once


def digests(client) -> list[dict]:
    """Every published digest, whole, oldest first."""
    listed = []
    page = 1
    while True:
        body = client.get(f"/api/v1/transparency/digests?page={page}&per_page=366").get_json()
        listed += body["digests"]
        if page * body["per_page"] >= body["total"]:
            break
        page += 1
    kept = _KEPT.setdefault(id(client.application), {})  # one platform per backend
    for summary in listed:
        if summary["url"] not in kept:
            kept[summary["url"]] = client.get(summary["url"]).get_json()
    return [kept[summary["url"]] for summary in reversed(listed)]


def anchored(client, chain: str) -> dict[int, str]:
    """seq -> hash of every head of `chain` a published digest commits."""
    found = {}
    for digest in digests(client):
        for head in digest["heads"]:
            if head["chain"] == chain:
                found[head["seq"]] = head["hash"]
    return found


def wait_anchored(client, chain: str, seq: int) -> dict[int, str]:
    wait_until(lambda: seq in anchored(client, chain), timeout=60, interval=0.5)
    return anchored(client, chain)


def test_a_proposals_public_steps_form_a_chain_anyone_can_recompute(client, staff):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"])
    pid = proposal["public_id"]
    assert act(client, staff["kesra"], pid, "complete", note="Berkas lengkap.").status_code == 200
    trail = trail_of(client, f"/api/v1/registry/proposals/{pid}/trail")
    timeline = client.get(f"/api/v1/registry/proposals/{pid}").get_json()["timeline"]
    assert trail["chain"] == f"proposals/{pid}" and trail["withheld"] is None
    assert [e["data"]["action"] for e in trail["entries"]] == [t["action"] for t in timeline]
    for entry, line in zip(trail["entries"], timeline, strict=True):
        assert entry["data"] == {
            "action": line["action"],
            "from_stage": line["from_stage"],
            "to_stage": line["to_stage"],
            "actor": line["actor"],
            "note": line["note"],
            "amount": line["amount"],
        }
    assert trail["entries"][0]["prev"] == GENESIS
    assert check_chain(trail["chain"], trail["entries"]).ok
    # the staff step names the agency, never the person; nothing private is in the chain
    assert trail["entries"][-1]["data"]["actor"] == "KESRA"
    text = json.dumps(trail)
    assert owner["email"] not in text and proposal["applicant"]["name"] not in text


def test_a_draft_has_no_public_trail_and_an_unknown_proposal_is_not_found(client):
    owner = citizen(client)
    applicant = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], applicant["id"])
    for pid in (draft["public_id"], "SO-2020-999999"):
        response = client.get(f"/api/v1/registry/proposals/{pid}/trail")
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "application/problem+json"


def test_every_chain_in_pages_with_a_cursor(client):
    owner = citizen(client)
    for _ in range(2):
        submitted_proposal(client, owner["token"])
    chains, after = [], None
    while True:
        query = "limit=1" + (f"&after={after}" if after else "")
        page = trail_of(client, f"/api/v1/registry/trails?{query}")
        assert len(page["trails"]) <= 1
        chains += [t["chain"] for t in page["trails"]]
        after = page["next"]
        if after is None:
            break
    assert len(chains) >= 2 and chains == sorted(chains) and len(set(chains)) == len(chains)
    for bad in ("limit=0", "limit=1001", "limit=x"):
        refused = client.get(f"/api/v1/registry/trails?{bad}")
        assert refused.status_code in (400, 422), bad
        assert "limit" in refused.get_json()["errors"]


def test_a_reports_chain_keeps_its_hashes_when_a_moderator_hides_it(client, admin):
    filed = client.post("/api/v1/complaints", json=road_report()).get_json()
    public_id = filed["public_id"]
    path = f"/api/v1/complaints/{public_id}/trail"
    before = trail_of(client, path)
    assert before["chain"] == f"complaints/{public_id}" and before["withheld"] is None
    assert before["entries"][0]["data"]["action"] == "submit"
    assert check_chain(before["chain"], before["entries"]).ok
    hidden = client.post(
        f"/api/v1/complaints/{public_id}/moderation",
        json={"action": "hide", "reason": "Memuat nomor telepon warga."},
        headers=auth(admin),
    )
    assert hidden.status_code == 200, hidden.get_json()
    after = trail_of(client, path)
    # the staff-only moderation line is not a public step; the data is withheld, the hashes not
    assert len(after["entries"]) == len(before["entries"])
    assert after["withheld"] and all(e["data"] is None for e in after["entries"])
    assert [e["hash"] for e in after["entries"]] == [e["hash"] for e in before["entries"]]
    assert check_chain(after["chain"], after["entries"]).ok
    assert "telepon" not in json.dumps(after)
    assert client.get("/api/v1/complaints/SRG-2020-999999/trail").status_code == 404


def test_digests_commit_the_heads_chained_and_signed_with_the_published_key(client):
    owner = citizen(client)
    pid = submitted_proposal(client, owner["token"])["public_id"]
    report = client.post("/api/v1/complaints", json=road_report()).get_json()["public_id"]
    wait_anchored(client, f"proposals/{pid}", 1)
    wait_anchored(client, f"complaints/{report}", 1)
    key = client.get("/api/v1/transparency/key").get_json()
    raw = base64.b64decode(key["public_key"])
    assert key["algorithm"] == "Ed25519" and key["key_id"] == sha256(raw)[:16]
    assert key["key_id"] in {k["key_id"] for k in key["keys"]}
    public = Ed25519PublicKey.from_public_bytes(raw)
    published = digests(client)
    previous = GENESIS
    for digest in published:
        header = digest["digest"]
        body = canonical(header)
        assert digest["hash"] == sha256(body)
        public.verify(base64.b64decode(digest["signature"]), body)  # raises when wrong
        assert header["previous"] == previous and header["key_id"] == key["key_id"]
        assert header["root"] == heads_root(digest["heads"])
        assert header["heads"] == len(digest["heads"])
        assert header["period_end"] > header["period_start"]
        previous = digest["hash"]
    # a signature over anything else does not verify
    last = published[-1]["digest"]
    tampered = canonical(last | {"heads": last["heads"] + 1})
    with pytest.raises(InvalidSignature):
        public.verify(base64.b64decode(published[-1]["signature"]), tampered)
    # a chain enters a digest once per change: its head is not repeated while it stays
    again = [h for d in published for h in d["heads"] if h["chain"] == f"proposals/{pid}"]
    assert len(again) == 1


def test_a_digest_that_is_not_published_is_not_found(client):
    for date in ("2000-01-01", "kemarin", "2027-13-45T99"):
        response = client.get(f"/api/v1/transparency/digests/{date}")
        assert response.status_code == 404, date
        assert "date" in response.get_json()["errors"]
    refused = client.get("/api/v1/transparency/digests?per_page=0")
    assert refused.status_code in (400, 422) and "per_page" in refused.get_json()["errors"]


def test_a_rewritten_entry_breaks_the_chain_and_a_rewritten_chain_its_digest(client, platform):
    url = platform.config["PROPOSALS_DATABASE_URL"]
    owner = citizen(client)
    first, second = (submitted_proposal(client, owner["token"])["public_id"] for _ in range(2))
    for pid in (first, second):
        wait_anchored(client, f"proposals/{pid}", 1)
    # one entry's data changed in place: its data_hash no longer matches
    change_entry(url, f"proposals/{first}", 1, "diubah")
    trail = trail_of(client, f"/api/v1/registry/proposals/{first}/trail")
    verdict = check_chain(trail["chain"], trail["entries"])
    assert not verdict.ok and verdict.broken_at == 1
    # a whole chain rewritten consistently: it checks, but the digest's head no longer matches
    rewrite_chain(url, f"proposals/{second}", "Catatan yang ditulis ulang.")
    trail = trail_of(client, f"/api/v1/registry/proposals/{second}/trail")
    assert check_chain(trail["chain"], trail["entries"]).ok
    assert trail["entries"][0]["data"]["note"] == "Catatan yang ditulis ulang."
    heads = anchored(client, f"proposals/{second}")
    assert heads[1] != trail["entries"][0]["hash"]


def test_every_reports_chain_in_pages_and_the_page_for_people(client):
    filed = client.post("/api/v1/complaints", json=road_report()).get_json()["public_id"]
    wait_anchored(client, f"complaints/{filed}", 1)
    chains, after = [], None
    while True:
        query = "limit=1000" + (f"&after={after}" if after else "")
        page = trail_of(client, f"/api/v1/complaints/trails?{query}")
        chains += [t["chain"] for t in page["trails"]]
        assert all(check_chain(t["chain"], t["entries"]).ok for t in page["trails"])
        if (after := page["next"]) is None:
            break
    assert f"complaints/{filed}" in chains
    page = client.get("/transparansi")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    key = client.get("/api/v1/transparency/key").get_json()
    newest = client.get("/api/v1/transparency/digests").get_json()["digests"][0]
    assert key["key_id"] in html and key["public_key"] in html
    assert newest["date"] in html and "python -m gawe_verify" in html
