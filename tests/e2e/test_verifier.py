"""`python -m gawe_verify <base-url>` (issue #17) against the platform as `make run` starts it: real
processes, PostgreSQL, the demo data (whose trails go back to 2024), over HTTP. The verifier runs
as a process of its own with only verifier/ on its path, in a folder outside the project, as
anyone who downloaded it would. It holds the honest platform, and catches a rewritten entry, a
chain rewritten consistently, and a digest changed (and re-signed with the server's own key)
after it was published.

Here a digest is sealed every 2 seconds (a WIB day in production)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from servicekit.database import make_engine
from servicekit.trail import canonical, heads_root, sha256
from tests.e2e.conftest import started_platform
from tests.e2e.live import ROOT
from tests.support.trails import change_entry, rewrite_chain
from tests.support.waiting import wait_until

SEALING = {
    "TRANSPARENCY_DIGEST_SECONDS": "2",
    "TRANSPARENCY_SEAL_DELAY_SECONDS": "0.5",
    "TRANSPARENCY_SEAL_INTERVAL": "0.5",
}


@pytest.fixture(scope="module")
def live(module_vhost, databases, tmp_path_factory):
    with started_platform(
        module_vhost["AMQP_URI"], databases, tmp_path_factory, extra_env=SEALING
    ) as platform:
        platform.run("-m", "servicekit.apps", "demo")
        yield platform


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """A folder outside the project: the verifier's working folder and its kept state."""
    return tmp_path_factory.mktemp("verifier")


def verify(live, outside, *options: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "verifier"), "HOME": str(outside)}
    return subprocess.run(
        [sys.executable, "-m", "gawe_verify", live.base, "--state", str(outside / "state")]
        + list(options),
        env=env,
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=300,
    )


def chains(live) -> list[str]:
    found = []
    for path in ("/api/v1/registry/trails", "/api/v1/complaints/trails"):
        after = None
        while True:
            answer = live.api.get(path, params={"limit": 1000, "after": after})
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:500])
            page = answer.json()
            found += [trail["chain"] for trail in page["trails"]]
            if (after := page["next"]) is None:
                break
    return found


def anchored(live) -> set[str]:
    listed = live.api.get("/api/v1/transparency/digests", params={"per_page": 366}).json()
    return {
        head["chain"]
        for digest in listed["digests"]
        for head in live.api.get(digest["url"]).json()["heads"]
    }


def rows(url: str, sql: str, **params) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_the_verifier_holds_the_honest_platform(live, outside):
    every = chains(live)
    assert sum(c.startswith("proposals/") for c in every) == 15  # the demo's
    assert sum(c.startswith("complaints/") for c in every) >= 10
    wait_until(lambda: set(every) <= anchored(live), timeout=60)
    done = verify(live, outside)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    for chain in every:
        assert f"OK {chain}" in done.stdout, chain
    assert "RUSAK" not in done.stdout
    report = json.loads(verify(live, outside, "--json").stdout)
    assert report  # the same run, for machines


def test_it_catches_a_rewritten_entry_and_a_rewritten_chain(live, outside):
    url = live.env["PROPOSALS_DATABASE_URL"]
    first, second = sorted(c for c in chains(live) if c.startswith("proposals/"))[:2]
    change_entry(url, first, 2, "Catatan yang diubah diam-diam.")
    rewrite_chain(url, second, "Riwayat yang ditulis ulang.")
    done = verify(live, outside, "--quiet")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    broken = {
        line.split()[1].rstrip(":") for line in done.stdout.splitlines() if line.startswith("RUSAK")
    }
    assert {first, second} <= broken
    line = next(x for x in done.stdout.splitlines() if x.startswith(f"RUSAK {first}"))
    assert "diubah" in line
    line = next(x for x in done.stdout.splitlines() if x.startswith(f"RUSAK {second}"))
    assert "ditulis ulang" in line or "digest" in line


def test_it_catches_a_digest_changed_after_publication(live, outside):
    url = live.env["TRANSPARENCY_DATABASE_URL"]
    (digest,) = rows(
        url,
        "SELECT id, header, heads FROM digests WHERE heads_count > 0 ORDER BY period_start LIMIT 1",
    )
    heads = json.loads(digest["heads"])[1:]  # a chain's head quietly dropped
    header = json.loads(digest["header"]) | {"root": heads_root(heads), "heads": len(heads)}
    body = canonical(header)
    key_file = ROOT / live.env["GAWE_VAR_DIR"] / "transparency" / "signing.key"
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(key_file.read_text().strip()))
    rows(
        url,
        "UPDATE digests SET header = :h, hash = :d, signature = :s, heads = :heads WHERE id = :i",
        h=body.decode(),
        d=sha256(body),
        s=base64.b64encode(key.sign(body)).decode(),
        heads=canonical(heads).decode(),
        i=digest["id"],
    )
    done = verify(live, outside, "--quiet")
    assert done.returncode == 1
    assert "berubah setelah diterbitkan" in done.stdout, done.stdout[-3000:]
    # without the kept copy the next digest's `previous` still names the old one
    fresh = verify(live, outside, "--quiet", "--no-state")
    assert fresh.returncode == 1 and "previous" in fresh.stdout, fresh.stdout[-3000:]
