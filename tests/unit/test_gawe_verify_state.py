"""The verifier across runs and as a command (verifier/, `python -m gawe_verify`): the digests
and the first key it keeps (`--state`) catch a digest changed or removed after publication and a
signing key swapped quietly, while an announced key change is only a warning; `--key` pins a
key; `--quiet`, `--json` and `--only`; exit 2 when the site cannot be read; every page of a
large site is read; and it needs nothing of the platform."""

from __future__ import annotations

import ast
import json
import socket
import sys
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from servicekit import trail
from tests.support.transparency_site import (
    SO12,
    SRG1,
    VERIFIER,
    FakeSite,
    key_id,
    lines,
    public_key_text,
    small_site,
    verify,
    wib_day,
)


@pytest.fixture
def site() -> FakeSite:
    return small_site()


def test_a_digest_changed_after_publication_is_caught_by_the_copy_kept(site, tmp_path):
    state = str(tmp_path / "state")
    with site.serve() as url:
        assert verify(url, "--state", state, cwd=tmp_path).returncode == 0
        last = site.digests[-1]  # the newest: no later digest names its hash
        last["heads"] = [h for h in last["heads"] if h["chain"] != SRG1]
        last["digest"]["heads"] = len(last["heads"])
        last["digest"]["root"] = trail.heads_root(last["heads"])
        site.sign(last)  # re-signed with the site's own key: consistent in itself
        again = verify(url, "--state", state, cwd=tmp_path)
        fresh = verify(url, "--no-state", cwd=tmp_path)
        still = verify(url, "--state", state, cwd=tmp_path)
    assert again.returncode == 1
    assert lines(again.stdout)["digest 2027-01-21"].startswith(
        "RUSAK digest 2027-01-21: berubah setelah diterbitkan: hash "
    )
    assert still.returncode == 1  # the first copy is kept, not the changed one
    # Without the copy only the day's head is missing from it, which a verifier cannot tell
    # from an entry sealed late: a warning.
    assert fresh.returncode == 0
    assert "PERINGATAN digest: 1 entri belum masuk digest" in fresh.stdout


def test_a_digest_that_disappeared_after_publication(site, tmp_path):
    state = str(tmp_path / "state")
    with site.serve() as url:
        assert verify(url, "--state", state, cwd=tmp_path).returncode == 0
        site.digests.pop()
        done = verify(url, "--state", state, cwd=tmp_path)
    assert done.returncode == 1
    assert lines(done.stdout)["digest 2027-01-21"].startswith(
        "RUSAK digest 2027-01-21: hilang: pernah diterbitkan"
    )


def test_a_new_key_announced_with_its_history_is_a_warning(site, tmp_path):
    state = str(tmp_path / "state")
    old = site.key
    with site.serve() as url:
        assert verify(url, "--state", state, cwd=tmp_path).returncode == 0
        site.rekey(Ed25519PrivateKey.generate(), since="2027-01-22")
        site.seal("2027-01-22")
        done = verify(url, "--state", state, cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert lines(done.stdout)["kunci"].startswith(
        f"PERINGATAN kunci: kunci penanda tangan berganti: dari {key_id(old)} yang dipercaya ke "
        f"{key_id(site.key)} (dipakai sejak 2027-01-22)"
    )
    assert "RUSAK" not in done.stdout  # the older digests verify with the key in `keys`


def test_a_key_swapped_quietly_is_a_failure(site, tmp_path):
    state = str(tmp_path / "state")
    with site.serve() as url:
        assert verify(url, "--state", state, cwd=tmp_path).returncode == 0
        old = site.key
        site.rekey(Ed25519PrivateKey.generate(), since="2027-01-22", announce=False)
        site.seal("2027-01-22")
        done = verify(url, "--state", state, cwd=tmp_path)
    assert done.returncode == 1
    found = lines(done.stdout)
    assert found["kunci"] == (
        f"RUSAK kunci: kunci penanda tangan diganti diam-diam: kunci {key_id(site.key)} "
        f"diterbitkan, sedangkan kunci {key_id(old)} yang dipercaya tidak tercantum di riwayat keys"
    )
    assert "yang tidak diumumkan" in found["digest 2027-01-20"]


def test_a_pinned_key(site, tmp_path):
    with site.serve() as url:
        right = verify(url, "--no-state", "--key", public_key_text(site.key), cwd=tmp_path)
        other = Ed25519PrivateKey.generate()
        wrong = verify(url, "--no-state", "--key", public_key_text(other), cwd=tmp_path)
        garbage = verify(url, "--no-state", "--key", "bukan-kunci", cwd=tmp_path)
    assert right.returncode == 0
    assert wrong.returncode == 1
    assert lines(wrong.stdout)["kunci"].startswith("RUSAK kunci: kunci penanda tangan diganti")
    assert garbage.returncode == 2 and "--key" in garbage.stderr


def test_quiet_prints_failures_only(site, tmp_path):
    with site.serve() as url:
        honest = verify(url, "--no-state", "--quiet", cwd=tmp_path)
        site.chains[SO12][0]["data"]["note"] = "diubah"
        broken = verify(url, "--no-state", "--quiet", cwd=tmp_path)
    assert (honest.returncode, honest.stdout) == (0, "")
    assert broken.returncode == 1
    assert broken.stdout.splitlines() == [
        f"RUSAK {SO12}: entri ke-1: isi entri telah diubah (data_hash tidak cocok)"
    ]


def test_the_json_report(site, tmp_path):
    with site.serve() as url:
        honest = verify(url, "--no-state", "--json", cwd=tmp_path)
        site.chains[SO12][0]["data"]["note"] = "diubah"
        broken = verify(url, "--no-state", "--json", "--quiet", cwd=tmp_path)
    report = json.loads(honest.stdout)
    assert honest.returncode == 0 and report["ok"] and report["exit_code"] == 0
    assert report["key"]["published"] == report["key"]["trusted"] == key_id(site.key)
    assert report["digests"] == {
        "count": 2,
        "broken": 0,
        "sealed_until": "2027-01-21T17:00:00.000000Z",
    }
    assert report["chains"] == {"count": 4, "broken": 0, "entries": 12, "pending": 1}
    assert {r["chain"]: (r["entries"], r["anchored"], r["pending"]) for r in report["results"]}[
        "proposals/SO-2027-000013"
    ] == (4, 1, 1)
    assert report["failures"] == report["warnings"] == []
    assert report["seconds"] >= 0
    report = json.loads(broken.stdout)
    assert broken.returncode == 1 and not report["ok"] and report["exit_code"] == 1
    assert [(r["chain"], r["ok"]) for r in report["results"]] == [(SO12, False)]


def test_only_one_kind_and_a_site_that_cannot_be_read(site, tmp_path):
    site.failing["/api/v1/complaints/trails"] = 404  # as if the complaints app were not there
    with site.serve() as url:
        everything = verify(url, "--no-state", cwd=tmp_path)
        proposals = verify(url, "--no-state", "--only", "proposals", cwd=tmp_path)
        site.failing["/api/v1/transparency/key"] = 500
        failing = verify(url, "--no-state", "--json", cwd=tmp_path)
    assert everything.returncode == 2
    assert "TIDAK TERBACA" in everything.stderr and "complaints/trails" in everything.stderr
    assert proposals.returncode == 0, proposals.stdout
    assert "complaints/" not in proposals.stdout and f"OK {SO12}" in proposals.stdout
    assert failing.returncode == 2 and json.loads(failing.stdout)["exit_code"] == 2


def test_an_unreachable_site(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = verify(f"http://127.0.0.1:{port}", "--timeout", "2", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("TIDAK TERBACA: ") and done.stdout == ""
    assert verify("bukan-alamat", cwd=tmp_path).returncode == 2


def test_the_state_is_kept_per_site_by_default(site, tmp_path):
    with site.serve() as url:
        assert verify(url, cwd=tmp_path).returncode == 0  # HOME is tmp_path
    host = url.removeprefix("http://")
    kept = json.loads((tmp_path / ".cache" / "gawe_verify" / host / "state.json").read_text())
    assert kept["digests"] == {d["digest"]["date"]: d["hash"] for d in site.digests}
    assert kept["key"]["public_key"] == public_key_text(site.key)


def larger_site(chains: int = 2500, days: int = 130) -> FakeSite:
    """Three pages of trails and two pages of the digest list, most days with no change (no
    heads: the root of nothing)."""
    site = FakeSite()
    start = wib_day("2027-01-01")[0]
    for n in range(chains):
        site.append(f"proposals/SO-2027-{n:06d}", start, {"to": "submitted", "n": n})
    for day in range(days):
        site.seal((date(2027, 1, 1) + timedelta(days=day)).isoformat())
    return site


@pytest.mark.parametrize("jobs", ["1", "4"])
def test_every_page_of_a_larger_site(tmp_path, jobs):
    """One page after the other, or (4 threads) in segments between the chains anchored."""
    site = larger_site()
    assert site.digests[1]["heads"] == [] and site.digests[1]["digest"]["root"].startswith("e3b0")
    site.append("proposals/SO-2027-000900", wib_day("2027-05-11")[0], {"to": "approved"})
    with site.serve() as url:
        done = verify(url, "--no-state", "--only", "proposals", "--jobs", jobs, cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "Ringkasan: 130 digest (0 rusak), 2500 rantai (2500 OK, 0 rusak), 2501 entri " in (
        done.stdout
    )
    assert "OK proposals/SO-2027-000900: 2 entri, 1 di digest, 1 belum di digest" in done.stdout
    assert "PERINGATAN" not in done.stdout
    read = sorted(unquote(r) for r in site.requests if r.startswith("/api/v1/registry/trails"))
    if jobs == "1":  # the cursor of each page from the one before
        assert read == [
            "/api/v1/registry/trails?limit=1000",
            "/api/v1/registry/trails?limit=1000&after=proposals/SO-2027-000999",
            "/api/v1/registry/trails?limit=1000&after=proposals/SO-2027-001999",
        ]
    else:  # three segments from the 900th and 1800th chain anchored, each its first page
        assert read == [
            "/api/v1/registry/trails?limit=1000",
            "/api/v1/registry/trails?limit=1000&after=proposals/SO-2027-000899",
            "/api/v1/registry/trails?limit=1000&after=proposals/SO-2027-001799",
        ]


def test_a_site_ordering_chains_otherwise_is_read_again_in_its_own_order(tmp_path):
    """Segments rely on pages in code-point order; a site ordering its chains otherwise (its
    database's collation, say) is read again one page after the other, and nothing is lost."""
    site = larger_site(days=2)
    site.order = lambda chain: chain[::-1]  # by the last digit first
    del site.chains["proposals/SO-2027-001234"]
    with site.serve() as url:
        done = verify(url, "--no-state", "--only", "proposals", "--jobs", "4", cwd=tmp_path)
    assert done.returncode == 1
    assert "PERINGATAN jejak: halaman jejak proposals tidak urut kode karakter" in done.stdout
    assert "Ringkasan: 2 digest (0 rusak), 2500 rantai (2499 OK, 1 rusak)" in done.stdout
    assert "RUSAK proposals/SO-2027-001234: rantai hilang" in done.stdout


def test_the_verifier_imports_the_standard_library_and_cryptography_alone():
    allowed = set(sys.stdlib_module_names) | {"cryptography", "gawe_verify", "__future__"}
    imported = set()
    for path in (VERIFIER / "gawe_verify").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert imported and imported <= allowed, imported - allowed
