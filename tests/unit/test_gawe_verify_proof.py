"""`python -m gawe_verify <url> --proof <chain>` (verifier/gawe_verify/proof.py) against the fake
site (tests/support/transparency_site.py), which answers inclusion proofs as the transparency
service does: one chain checked with its trail, the proof of its head in the latest digest
that committed it and that digest's signed header, reading nothing else. An honest proof holds;
a wrong path, a proof for another root or tree, a committed head that is no longer the chain's
entry, a header signed by another key, and a digest changed after a kept run are each caught
and named, exit 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit import trail
from tests.support.transparency_site import (
    SO12,
    SO13,
    SRG42,
    FakeSite,
    lines,
    small_site,
    verify,
    wib_day,
)

PROOF_LINE = (
    "(bukti Merkle: entri ke-{seq} di digest {date}, daun {leaf} dari {size}, {hashes} hash)"
)


@pytest.fixture
def site() -> FakeSite:
    return small_site()


def run(site: FakeSite, tmp_path, *args: str, state: bool = False):
    with site.serve() as url:
        site.requests.clear()
        return verify(url, *(() if state else ("--no-state",)), *args, cwd=tmp_path)


def test_one_chain_holds_with_its_proof_reading_nothing_else(site, tmp_path):
    done = run(site, tmp_path, "--proof", SO12)
    assert done.returncode == 0, done.stdout + done.stderr
    proof = PROOF_LINE.format(seq=5, date="2027-01-21", leaf=2, size=2, hashes=1)
    assert lines(done.stdout) == {SO12: f"OK {SO12}: 5 entri, 1 di digest {proof}"}
    assert done.stdout.splitlines()[-2].startswith(
        "Ringkasan: 1 digest (0 rusak), 1 rantai (1 OK, 0 rusak), 5 entri (0 belum di digest)"
    )
    assert done.stdout.splitlines()[-1] == "Hasil: SEMUA COCOK"
    # the key, the chain's trail, its proof: no digest list, no digest's heads, no other trail
    assert site.requests == [
        "/api/v1/transparency/key",
        "/api/v1/registry/proposals/SO-2027-000012/trail",
        "/api/v1/transparency/proof?chain=proposals%2FSO-2027-000012",
    ]


def test_a_public_id_alone_a_withheld_chain_and_entries_after_the_head(site, tmp_path):
    done = run(site, tmp_path, "--proof", "SRG-2026-000042")  # a report: its data withheld
    assert done.returncode == 0, done.stdout + done.stderr
    proof = PROOF_LINE.format(seq=2, date="2027-01-20", leaf=1, size=3, hashes=2)
    assert lines(done.stdout)[SRG42] == f"OK {SRG42}: 2 entri, 1 di digest {proof}"
    done = run(site, tmp_path, "--proof", SO13, "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True
    (result,) = report["results"]
    assert result == {
        "chain": SO13,
        "ok": True,
        "entries": 4,
        "anchored": 1,
        "pending": 1,  # its step on the 22nd: no digest yet
        "reasons": [],
        "proof": {"date": "2027-01-20", "seq": 3, "index": 2, "size": 3, "path_length": 1},
    }


def test_a_wrong_path_does_not_lead_to_the_root(site, tmp_path):
    good = site.proof(SRG42)["path"]
    site.proof_changes[SRG42] = {"path": [good[0], "ab" * 32]}
    done = run(site, tmp_path, "--proof", SRG42)
    assert done.returncode == 1
    assert lines(done.stdout)[SRG42] == (
        f"RUSAK {SRG42}: bukti Merkle tidak sampai ke root digest 2027-01-20: entri ke-2 "
        f"tidak terbukti tercatat di sana"
    )
    assert done.stdout.splitlines()[-1] == "Hasil: ADA YANG RUSAK (1)"
    site.proof_changes[SRG42] = {"path": good[:1]}  # a step short
    assert "bukti Merkle tidak sah" in lines(run(site, tmp_path, "--proof", SRG42).stdout)[SRG42]
    site.proof_changes[SRG42] = {"index": 1}  # another leaf's place, as high
    assert "tidak sampai ke root" in lines(run(site, tmp_path, "--proof", SRG42).stdout)[SRG42]


def test_a_proof_for_another_root_or_tree(site, tmp_path):
    """The chain rewritten and a proof made for its new head, from a tree of the digest's heads
    with that head put in: the path leads to a root, not to the one the key signed."""
    rewritten = [dict(h) for h in site.digests[0]["heads"]]
    index = next(i for i, h in enumerate(rewritten) if h["chain"] == SO13)
    rewritten[index]["hash"] = "f" * 64
    leaves = [trail.leaf_hash(h["chain"], h["seq"], h["hash"]) for h in rewritten]
    forged = {"hash": "f" * 64, "path": trail.inclusion_proof(leaves, index)}
    site.proof_changes[SO13] = forged | {"root": trail.merkle_root(leaves)}
    done = run(site, tmp_path, "--proof", SO13)
    assert done.returncode == 1
    found = lines(done.stdout)[SO13]
    assert "bukti menyebut root yang bukan root digest 2027-01-20" in found
    assert "bukti Merkle tidak sampai ke root digest 2027-01-20" in found
    # the proof of the 21st's tree (2 heads) served with the 20th's header (3 heads)
    site.proof_changes[SO13] = {k: site.proof(SO12)[k] for k in ("index", "size", "path")}
    found = lines(run(site, tmp_path, "--proof", SO13).stdout)[SO13]
    assert found.startswith(f"RUSAK {SO13}: bukti untuk 2 heads, digest 2027-01-20 mencatat 3")
    site.proof_changes[SO13] = {"chain": SO12}
    assert "bukti untuk rantai lain" in lines(run(site, tmp_path, "--proof", SO13).stdout)[SO13]


def test_a_committed_head_that_is_no_longer_an_entry_of_the_chain(site, tmp_path):
    """The chain rewritten consistently after the digest committed it: the proof still holds
    for the signed head, which is not the chain's entry any more."""
    original = site.chains.pop(SO13)
    for entry in original:
        data = entry["data"] | {"note": "Catatan yang ditulis ulang"}
        site.append(SO13, _at(entry["at"]), data)
    done = run(site, tmp_path, "--proof", SO13)
    assert done.returncode == 1
    assert lines(done.stdout)[SO13] == (
        f"RUSAK {SO13}: entri ke-3 tidak sama dengan yang tercatat di digest 2027-01-20 "
        f"(rantai ditulis ulang)"
    )
    del site.chains[SO12][3:]  # cut short below the head the 21st committed
    done = run(site, tmp_path, "--proof", SO12)
    assert (
        "entri ke-5 yang tercatat di digest 2027-01-21 tidak ada lagi" in lines(done.stdout)[SO12]
    )
    del site.chains[SO12]  # gone altogether
    done = run(site, tmp_path, "--proof", SO12)
    assert lines(done.stdout)[SO12].startswith(f"RUSAK {SO12}: rantai hilang: digest 2027-01-21")


def test_the_header_must_be_signed_by_the_known_key_and_kept_unchanged(site, tmp_path):
    state = ("--state", str(tmp_path / "state"))
    assert run(site, tmp_path, "--proof", SO12, *state, state=True).returncode == 0
    kept = json.loads((tmp_path / "state" / "state.json").read_text())
    assert list(kept["digests"]) == ["2027-01-21"] and kept["key"]["key_id"]
    # the newest digest rewritten and re-signed by the key's holder: consistent in itself
    last = site.digests[-1]
    last["digest"]["issued"] = "2027-01-22T09:00:00.000000Z"
    site.sign(last)
    done = run(site, tmp_path, "--proof", SO12, *state, state=True)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-21"].startswith(
        "RUSAK digest 2027-01-21: berubah setelah diterbitkan: hash "
    )
    # signed by a key the site never announced, and then a signature that does not hold
    other, own = Ed25519PrivateKey.generate(), last["digest"]["key_id"]
    last["digest"]["key_id"] = "0123456789abcdef"
    site.sign(last, other)
    done = run(site, tmp_path, "--proof", SO12)
    assert lines(done.stdout)["digest 2027-01-21"] == (
        "RUSAK digest 2027-01-21: ditandatangani kunci 0123456789abcdef yang tidak diumumkan"
    )
    # the chain is then not anchored by anything signed: its entries are only "not yet in one"
    assert lines(done.stdout)[SO12] == f"OK {SO12}: 5 entri, 0 di digest, 5 belum di digest"
    last["digest"]["key_id"] = own
    site.sign(last, other)  # the site's key id, another key's signature
    done = run(site, tmp_path, "--proof", SO12)
    assert lines(done.stdout)["digest 2027-01-21"].startswith(
        "RUSAK digest 2027-01-21: tanda tangan tidak sah"
    )


def test_a_chain_no_digest_holds_yet_and_a_chain_the_site_does_not_know(site, tmp_path):
    new = "proposals/SO-2027-000099"
    site.append(new, wib_day("2027-01-22")[0], {"to": "submitted"})
    done = run(site, tmp_path, "--proof", new)
    assert done.returncode == 0, done.stdout
    found = lines(done.stdout)
    assert found[new] == f"OK {new}: 1 entri, 0 di digest, 1 belum di digest"
    assert f"PERINGATAN {new}: menurut situs belum ada digest yang mencatat rantai ini" in (
        done.stdout
    )
    unknown = run(site, tmp_path, "--proof", "SO-2099-000001")
    assert unknown.returncode == 2
    assert "situs tidak mengenal SO-2099-000001" in unknown.stderr
    refused = run(site, tmp_path, "--proof", "letters/X-1")
    assert refused.returncode == 2 and "--proof" in refused.stderr
    both = run(site, tmp_path, "--proof", SO12, "--only", "proposals")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
