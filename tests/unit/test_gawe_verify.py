"""The independent verifier (`python -m gawe_verify`, verifier/) against a small fake site that
publishes trails and signed digests exactly as docs/transparency.md says
(tests/support/transparency_site.py, built with servicekit.trail): it holds an honest site and
catches each rewriting of docs/transparency.md §3 — an entry's data changed, an entry changed
with its hash recomputed, a whole chain rewritten after a digest anchored it, a digest's heads
rewritten, a digest re-signed, a broken `previous`, a deleted chain — each named in its line,
with exit code 1; every other chain still OK."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit import trail
from tests.support.transparency_site import (
    SO12,
    SO13,
    SRG1,
    SRG42,
    FakeSite,
    lines,
    small_site,
    verify,
)


@pytest.fixture
def site() -> FakeSite:
    return small_site()


def run(site: FakeSite, tmp_path, *args: str):
    with site.serve() as url:
        return verify(url, "--no-state", *args, cwd=tmp_path)


def test_an_honest_site_holds_chain_by_chain(site, tmp_path):
    done = run(site, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    found = lines(done.stdout)
    assert found[SO12] == f"OK {SO12}: 5 entri, 2 di digest"
    assert found[SO13] == f"OK {SO13}: 4 entri, 1 di digest, 1 belum di digest"
    assert found[SRG42] == f"OK {SRG42}: 2 entri, 1 di digest"  # its data withheld (null)
    assert found[SRG1] == f"OK {SRG1}: 1 entri, 1 di digest"
    assert len(found) == 4, done.stdout
    summary = done.stdout.splitlines()[-2]
    assert summary.startswith(
        "Ringkasan: 2 digest (0 rusak), 4 rantai (4 OK, 0 rusak), 12 entri (1 belum di digest)"
    )
    assert summary.endswith(" detik")
    assert done.stdout.splitlines()[-1] == "Hasil: SEMUA COCOK"


def test_an_entrys_data_changed_is_caught_by_its_data_hash(site, tmp_path):
    site.chains[SO12][1]["data"]["amount"] = 450_000_000
    done = run(site, tmp_path)
    assert done.returncode == 1
    found = lines(done.stdout)
    assert (
        found[SO12] == f"RUSAK {SO12}: entri ke-2: isi entri telah diubah (data_hash tidak cocok)"
    )
    assert all(found[c].startswith("OK ") for c in (SO13, SRG42, SRG1))
    assert done.stdout.splitlines()[-1] == "Hasil: ADA YANG RUSAK (1)"


def test_an_entry_changed_with_its_hashes_recomputed_is_caught_by_the_next_ones_prev(
    site, tmp_path
):
    entry = site.chains[SO12][1]
    entry["data"]["note"] = "Catatan yang diganti"
    entry["data_hash"] = trail.data_hash(entry["data"])
    entry["hash"] = trail.entry_hash(SO12, 2, entry["at"], entry["data_hash"], entry["prev"])
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)[SO12].startswith(
        f"RUSAK {SO12}: entri ke-3: prev tidak sama dengan hash entri sebelumnya"
    )


def test_a_whole_chain_rewritten_consistently_is_caught_by_the_digest_that_anchored_it(
    site, tmp_path
):
    original = site.chains.pop(SO12)
    for entry in original:  # the same steps, one amount changed, every hash recomputed
        data = entry["data"] | ({"amount": 90_000_000} if entry["data"]["amount"] else {})
        at = datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        site.append(SO12, at, data)
    assert site.chains[SO12][-1]["hash"] != original[-1]["hash"]
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)[SO12] == (
        f"RUSAK {SO12}: entri ke-3 tidak sama dengan yang tercatat di digest 2027-01-20 "
        f"(rantai ditulis ulang)"
    )
    assert lines(done.stdout)[SO13].startswith("OK ")


def test_a_chain_cut_short_after_a_digest_anchored_it(site, tmp_path):
    del site.chains[SO12][3:]
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert (
        "entri ke-5 yang tercatat di digest 2027-01-21 tidak ada lagi" in lines(done.stdout)[SO12]
    )


def test_a_deleted_chain_is_missing_by_the_digest_that_names_it(site, tmp_path):
    del site.chains[SO13]
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)[SO13] == (
        f"RUSAK {SO13}: rantai hilang: digest 2027-01-20 mencatat entri ke-3, "
        f"tetapi situs tidak lagi menerbitkan rantai ini"
    )


def test_a_digests_heads_rewritten_are_caught_by_its_root(site, tmp_path):
    first = site.digests[0]
    first["heads"][0]["hash"] = "f" * 64  # as if the chain had been rewritten with its head
    done = run(site, tmp_path)
    assert done.returncode == 1
    found = lines(done.stdout)
    assert (
        found["digest 2027-01-20"] == "RUSAK digest 2027-01-20: root tidak cocok dengan heads-nya"
    )


def test_a_digest_with_a_bad_signature(site, tmp_path):
    forged = Ed25519PrivateKey.generate().sign(trail.canonical(site.digests[0]["digest"]))
    site.digests[0]["signature"] = base64.b64encode(forged).decode()
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-20"].startswith(
        "RUSAK digest 2027-01-20: tanda tangan tidak sah"
    )


def test_a_digest_signed_by_a_key_the_site_never_announced(site, tmp_path):
    other = Ed25519PrivateKey.generate()
    site.digests[1]["digest"]["key_id"] = "0123456789abcdef"
    site.sign(site.digests[1], other)
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-21"] == (
        "RUSAK digest 2027-01-21: ditandatangani kunci 0123456789abcdef yang tidak diumumkan"
    )


def test_a_broken_previous_link(site, tmp_path):
    site.digests[1]["digest"]["previous"] = "a" * 64
    site.sign(site.digests[1])  # signed as it is: only the link is wrong
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-21"] == (
        "RUSAK digest 2027-01-21: previous tidak sama dengan hash digest sebelumnya (2027-01-20)"
    )
    assert "digest 2027-01-20" not in lines(done.stdout)


def test_a_past_digest_rewritten_and_re_signed_breaks_the_next_ones_previous(site, tmp_path):
    """Whoever holds the key can re-sign a rewritten digest; the one after it still names the
    old hash."""
    first = site.digests[0]
    first["heads"] = [h for h in first["heads"] if h["chain"] != SO13]
    first["digest"]["heads"] = len(first["heads"])
    first["digest"]["root"] = trail.heads_root(first["heads"])
    site.sign(first)
    done = run(site, tmp_path)
    assert done.returncode == 1
    found = lines(done.stdout)
    assert found["digest 2027-01-21"].startswith("RUSAK digest 2027-01-21: previous tidak sama")
    assert "digest 2027-01-20" not in found  # signed and consistent in itself
    assert found[SO13] == f"OK {SO13}: 4 entri, 0 di digest, 4 belum di digest"


def test_a_digest_listed_twice(site, tmp_path):
    site.digests.insert(1, site.digests[0])
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert "tercantum dua kali di daftar digest" in lines(done.stdout)["digest 2027-01-20"]


def test_a_digest_listed_but_not_served(site, tmp_path):
    site.failing["/api/v1/transparency/digests/2027-01-20"] = 404
    done = run(site, tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-20"] == (
        "RUSAK digest 2027-01-20: tercantum di daftar tetapi digest-nya tidak ada (404)"
    )


def test_entries_out_of_sequence_or_not_in_the_format(site, tmp_path):
    site.chains[SRG1][0]["seq"] = "1"  # a string where the number was
    del site.chains[SO13][2]  # a gap: 1, 2, 4
    site.chains[SO12][0]["at"] = 1737342000  # signed over a time text, now a number
    done = run(site, tmp_path)
    found = lines(done.stdout)
    assert done.returncode == 1
    assert (
        found[SRG1] == f"RUSAK {SRG1}: entri ke-1: urutan entri terputus (entri ke-1 bernomor '1')"
    )
    assert found[SO13].startswith(f"RUSAK {SO13}: entri ke-3: urutan entri terputus")
    assert found[SO12].startswith(f"RUSAK {SO12}: entri ke-1: format entri tidak sah")
