"""Inclusion proofs through the gateway with the real services (docs/transparency.md, section 2):
`GET /api/v1/transparency/proof?chain=...` answers, for a proposal's or a report's chain, the
head that the latest digest committing it holds, its leaf's index, the audit path to the
digest's root and the digest's header as signed; the path leads from that head to the root of
the digest as published, the signature holds with the published key, and the proof follows
the chain to the next digest after a new step. No digest yet: 404 naming the chain; no chain,
or not a chain's name: 422 naming `chain`, in Bahasa Indonesia. And the independent verifier's
`--proof` checks one chain against this gateway over HTTP, and catches it rewritten.

This module's platform seals a digest every 2 seconds (TRANSPARENCY_DIGEST_SECONDS=2; a WIB day
in production), so a digest commits a change within seconds."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from servicekit.trail import canonical, inclusion_proof, leaf_hash, root_from_proof
from tests.complaints.conftest import road_report
from tests.proposals.conftest import act, citizen, make_staff, open_rounds, submitted_proposal
from tests.support.trails import rewrite_chain, transparency_config
from tests.support.transparency_site import lines, verify
from tests.support.waiting import wait_until

PROOF = "/api/v1/transparency/proof"


@pytest.fixture(scope="module")
def platform_options(smtp, tmp_path_factory):
    key_file = tmp_path_factory.mktemp("transparency") / "signing.key"
    return {"service_config": transparency_config(smtp.port, key_file)}


@pytest.fixture(scope="module")
def kesra(platform, admin_token) -> dict:
    """Bagian Kesra, with this year's and next year's rounds open (proposals are submitted)."""
    person = make_staff(platform.client, admin_token, "verifier", "KESRA")
    open_rounds(platform.client, person["token"])
    return person


def proof_of(client, chain: str, seq: int) -> dict:
    """The proof of `chain` once a digest has committed its entry `seq`."""

    def proven():
        response = client.get(PROOF, query_string={"chain": chain})
        assert response.status_code in (200, 404), response.get_json()
        body = response.get_json()
        return body if response.status_code == 200 and body["seq"] >= seq else None

    return wait_until(proven, timeout=60, interval=0.5)


def entries(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["entries"]


def assert_proves(client, proof: dict) -> None:
    """The proof against the digest as published whole, and the published key."""
    digest = client.get(f"/api/v1/transparency/digests/{proof['date']}").get_json()
    heads = digest["heads"]
    assert proof["digest"] == digest["digest"] and proof["signature"] == digest["signature"]
    assert proof["root"] == digest["digest"]["root"] and proof["size"] == len(heads)
    head = heads[proof["index"]]
    assert head == {"chain": proof["chain"], "seq": proof["seq"], "hash": proof["hash"]}
    leaves = [leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
    assert proof["path"] == inclusion_proof(leaves, proof["index"])
    leaf = leaf_hash(proof["chain"], proof["seq"], proof["hash"])
    assert root_from_proof(leaf, proof["index"], proof["size"], proof["path"]) == proof["root"]
    key = client.get("/api/v1/transparency/key").get_json()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(proof["signature"]), canonical(proof["digest"]))
    assert set(proof) == {
        "date", "chain", "seq", "hash", "index", "size", "path", "root", "digest", "signature"
    }  # fmt: skip


def test_a_reports_head_is_proven_in_the_digest_that_committed_it(client):
    public_id = client.post("/api/v1/complaints", json=road_report()).get_json()["public_id"]
    chain = f"complaints/{public_id}"
    proof = proof_of(client, chain, 1)
    trail = entries(client, f"/api/v1/complaints/{public_id}/trail")
    assert proof["chain"] == chain and proof["seq"] == len(trail) == 1
    assert proof["hash"] == trail[0]["hash"]
    assert_proves(client, proof)
    assert proof["size"] >= 1 and len(proof["path"]) <= max(proof["size"] - 1, 0).bit_length()


def test_the_proof_follows_a_proposal_to_the_digest_of_its_next_step(client, kesra):
    owner = citizen(client)
    public_id = submitted_proposal(client, owner["token"])["public_id"]
    chain = f"proposals/{public_id}"
    first = proof_of(client, chain, 1)
    assert_proves(client, first)
    assert act(client, kesra, public_id, "complete", note="Berkas lengkap.").status_code == 200
    trail = entries(client, f"/api/v1/registry/proposals/{public_id}/trail")
    later = proof_of(client, chain, len(trail))
    assert later["seq"] == len(trail) >= 2 and later["hash"] == trail[-1]["hash"]
    assert later["date"] > first["date"]  # the latest digest that committed the chain
    assert_proves(client, later)


def test_a_chain_no_digest_committed_is_not_found_by_its_name(client):
    for chain in ("proposals/SO-2020-999999", "complaints/SRG-2020-999999", "letters/X-1"):
        response = client.get(PROOF, query_string={"chain": chain})
        assert response.status_code == 404, chain
        assert response.headers["Content-Type"] == "application/problem+json"
        (message,) = response.get_json()["errors"]["chain"]
        assert message == f"Belum ada ringkasan yang mencatat rantai {chain}."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Wajib diisi."),
        ({"chain": ""}, "Nama rantai harus berbentuk"),
        ({"chain": "proposals"}, "Nama rantai harus berbentuk"),
        ({"chain": "SO-2027-000012"}, "Nama rantai harus berbentuk"),
        ({"chain": "proposals/"}, "Nama rantai harus berbentuk"),
        ({"chain": "proposals/../digests"}, "Nama rantai harus berbentuk"),
        ({"chain": "proposals/SO 2027"}, "Nama rantai harus berbentuk"),
        ({"chain": "proposals/" + "1" * 80}, "Nama rantai harus berbentuk"),
    ],
)
def test_a_missing_or_malformed_chain_is_unprocessable(client, query, message):
    response = client.get(PROOF, query_string=query)
    assert response.status_code == 422, response.get_json()
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Data tidak valid"
    assert problem["detail"] == "Parameter kueri tidak valid."
    assert any(m.startswith(message) for m in problem["errors"]["chain"]), problem


def test_an_unknown_parameter_is_unprocessable_too(client):
    response = client.get(PROOF, query_string={"chain": "proposals/SO-2027-000001", "x": "1"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"x": ["Kolom tidak dikenal."]}


def test_the_api_document_describes_the_route(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"][PROOF]["get"]
    (parameter,) = operation["parameters"]
    assert parameter["name"] == "chain" and parameter["in"] == "query" and parameter["required"]
    assert parameter["schema"]["pattern"].startswith("^[a-z]")
    assert {"200", "404", "422"} <= set(operation["responses"]) and "400" not in operation[
        "responses"
    ]
    assert "security" not in operation


def test_the_verifier_checks_one_chain_with_its_proof_and_catches_it_rewritten(
    client, kesra, platform, gateway_url, tmp_path
):
    owner = citizen(client)
    public_id = submitted_proposal(client, owner["token"])["public_id"]
    chain = f"proposals/{public_id}"
    proof_of(client, chain, 1)
    done = verify(gateway_url, "--no-state", "--proof", public_id, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    line = lines(done.stdout)[chain]
    assert line.startswith(f"OK {chain}: 1 entri, 1 di digest (bukti Merkle: entri ke-1 di digest")
    rewrite_chain(platform.config["PROPOSALS_DATABASE_URL"], chain, "Catatan yang ditulis ulang.")
    done = verify(gateway_url, "--no-state", "--proof", chain, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert lines(done.stdout)[chain] == (
        f"RUSAK {chain}: entri ke-1 tidak sama dengan yang tercatat di digest "
        f"{proof_of(client, chain, 1)['date']} (rantai ditulis ulang)"
    )
