"""Serang Open figures through the gateway: the public registry over 20,000 proposals (filters and
totals) p50/p95/p99, full lifecycles (create → submit → every stage → LPJ verified) per second,
and issue #17's figures: the size of a day's signed digest and the time `python -m gawe_verify`
takes over the whole site (the seeded proposals carry their public trails, as the service writes
them, so the first digest commits 20,000 chains).

`python -m bench.proposals` (also run by `make bench` after the HTTP scenarios). It starts its
own platform exactly as `make run` does (supervisord, servicekit.supervise) on fresh SQLite databases
under var/bench-proposals, with the demo accounts, and seeds the proposals directly into the
database. Environment: BENCH_PROPOSALS (20000), BENCH_REGISTRY_REQUESTS (400),
BENCH_REGISTRY_THREADS (8), BENCH_LIFECYCLES (20), BENCH_LIFECYCLE_THREADS (4).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.platform import ROOT, gateway_url, running_platform
from servicekit.config import database_url
from servicekit.database import make_engine
from servicekit.migrate import main as migrate
from servicekit.trail_store import backfill_rows
from services.accounts.demo import load_demo_accounts
from services.proposals.contract import CATEGORIES, STAGES
from services.proposals.models import Applicant, Proposal, StageChange, TrailEntry
from services.proposals.store import trail_chain, trail_data

WORKDIR = ROOT / "var" / "bench-proposals"
BOUNDARIES = ROOT.parent / "shared" / "data" / "serang" / "kab_serang_boundaries.geojson"
PASSWORD = "bench-Serang-2026"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)
KECAMATAN = [(f"36.04.{n:02d}", f"Kecamatan {n:02d}") for n in range(1, 30)]


def seed(count: int) -> None:
    engine = make_engine(database_url("proposals"))
    rng = random.Random(2026)
    now = datetime.now(UTC)
    public = [s for s in STAGES if s != "draft"]
    with Session(engine) as session:
        applicants = []
        for i in range(2_000):
            kind = "organisation" if i % 4 else "individual"
            applicants.append(
                {
                    "id": i + 1,
                    "kind": kind,
                    "name": f"Lembaga Uji Beban {i}"
                    if kind == "organisation"
                    else f"Warga Uji {i}",
                    "phone": "081200000000",
                    "bank_account_number": f"{i:010d}",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        session.execute(insert(Applicant), applicants)
        for start in range(0, count, 5_000):
            rows, steps = [], []
            for n in range(start + 1, min(start + 5_000, count) + 1):
                applicant = applicants[n % len(applicants)]
                kind = "hibah" if applicant["kind"] == "organisation" else "bansos"
                category = rng.choice([c for c in CATEGORIES.values() if kind in c.kinds])
                kec_code, kec_name = rng.choice(KECAMATAN)
                amount = rng.randint(1, 500) * 1_000_000
                submitted = now - timedelta(days=rng.randint(1, 700))
                stage = rng.choice(public)
                rows.append(
                    {
                        "id": n,
                        "public_id": f"SO-{submitted.year}-{n:06d}",
                        "applicant_id": applicant["id"],
                        "kind": kind,
                        "bansos_type": "planned" if kind == "bansos" else None,
                        "budget_year": rng.choice([2025, 2026, 2027]),
                        "title": f"Usulan uji beban {n}",
                        "purpose": "Data uji beban registri publik.",
                        "activities": "",
                        "category": category.code,
                        "agency_code": category.agency,
                        "requested_amount": amount,
                        "recommended_amount": amount * 9 // 10
                        if stage not in ("submitted",)
                        else None,
                        "approved_amount": amount * 8 // 10
                        if stage.startswith(("approved", "lpj", "disb", "agree"))
                        else None,
                        "cost_lines": [{"item": "Semua", "amount": amount}],
                        "lat": rng.uniform(-6.3, -5.9),
                        "lon": rng.uniform(105.9, 106.4),
                        "kecamatan_code": kec_code,
                        "kecamatan_name": kec_name,
                        "stage": stage,
                        "stage_since": submitted,
                        "created_at": submitted,
                        "updated_at": submitted,
                        "submitted_at": submitted,
                        "integrity_pact": False,
                        "lpj_reminders_sent": 0,
                    }
                )
                steps.append(
                    {
                        "proposal_id": n,
                        "at": submitted,
                        "action": "submit",
                        "from_stage": "draft",
                        "to_stage": "submitted",
                        "actor_label": "Pemohon",
                    }
                )
                if stage != "submitted":
                    steps.append(
                        {
                            "proposal_id": n,
                            "at": submitted + timedelta(days=5),
                            "action": "complete",
                            "from_stage": "submitted",
                            "to_stage": stage,
                            "actor_label": "KESRA",
                        }
                    )
            session.execute(insert(Proposal), rows)
            session.execute(insert(StageChange), steps)
            session.execute(insert(TrailEntry), trail_rows(rows, steps))
        session.commit()
    engine.dispose()


def trail_rows(rows: list[dict], steps: list[dict]) -> list[dict]:
    """The public trail of the seeded proposals, as the service writes it (servicekit.trail)."""
    public_ids = {row["id"]: row["public_id"] for row in rows}
    lines = (
        (
            trail_chain(public_ids[step["proposal_id"]]),
            step["at"],
            trail_data(StageChange(note=None, amount=None, **step)),
        )
        for step in steps
    )
    return backfill_rows(lines)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def registry_latencies(url: str, total: int, threads: int) -> tuple[list[float], float]:
    rng = random.Random(7)
    agencies = sorted({c.agency for c in CATEGORIES.values()})

    def one(_):
        params = {"per_page": rng.choice([20, 50, 100]), "page": rng.randint(1, 20)}
        for key, values in (
            ("year", [2025, 2026, 2027]),
            ("kind", ["hibah", "bansos"]),
            ("stage", ["submitted", "evaluation,recommended", "disbursed"]),
            ("agency", agencies),
            ("kecamatan", [k for k, _ in KECAMATAN]),
        ):
            if rng.random() < 0.4:
                params[key] = rng.choice(values)
        started = time.perf_counter()
        response = requests.get(f"{url}/api/v1/registry/proposals", params=params, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.text[:200]
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        timings = list(pool.map(one, range(total)))
    return timings, total / (time.perf_counter() - started)


class Http:
    def __init__(self, url: str, email: str):
        self.url, self.session = url, requests.Session()
        token = self.call("post", "/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        self.session.headers["Authorization"] = f"Bearer {token['access_token']}"

    def call(self, method: str, path: str, status: int | None = None, **kwargs) -> dict:
        response = self.session.request(method, self.url + path, timeout=30, **kwargs)
        if response.status_code >= 400 or (status and response.status_code != status):
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def upload(self, pid: str, doc_type: str, content: bytes = PDF, name: str = "a.pdf") -> dict:
        return self.call(
            "post",
            f"/api/v1/proposals/{pid}/documents",
            data={"doc_type": doc_type},
            files={"files": (name, content)},
        )


def open_round(kesra: Http, year: int) -> None:
    """This year's bansos round, opened by Kesra once (by the warm-up lifecycle): submitting
    needs an open round (issue 16)."""
    rounds = kesra.call("get", "/api/v1/proposals/rounds")
    if not any(r["budget_year"] == year and r["kind"] == "bansos" for r in rounds):
        dates = {"opens_on": f"{year}-01-01", "closes_on": f"{year}-12-31"}
        body = {"budget_year": year, "kind": "bansos"} | dates
        kesra.call("post", "/api/v1/proposals/rounds", json=body)


def lifecycle(url: str, point: dict, n: int) -> None:
    """One bansos from a citizen's draft to a verified LPJ, every step over HTTP."""
    warga, kesra = Http(url, "warga@gawe.example"), Http(url, "kesra@gawe.example")
    dinsos, tapd = Http(url, "verifikator.dinsos@gawe.example"), Http(url, "tapd@gawe.example")
    year = datetime.now(UTC).year
    person = warga.call(
        "post",
        "/api/v1/proposals/individuals",
        json={
            "name": f"Warga Bench {n}",
            "nik": f"3604{n:012d}",
            "address": "Kp. Bench",
            "lat": point["lat"],
            "lon": point["lon"],
        },
    )
    amount = 3_000_000
    draft = warga.call(
        "post",
        "/api/v1/proposals",
        json={
            "applicant_id": person["id"],
            "kind": "bansos",
            "budget_year": year,
            "title": f"Bansos bench {n}",
            "purpose": "Uji beban siklus lengkap usulan.",
            "category": "sosial",
            "requested_amount": amount,
            "cost_lines": [{"item": "Sembako", "amount": amount}],
            "lat": point["lat"],
            "lon": point["lon"],
        },
    )
    pid = draft["public_id"]
    for item in draft["checklist"]:
        warga.upload(pid, item["doc_type"])
    open_round(kesra, year)
    warga.call("post", f"/api/v1/proposals/{pid}/submit", json={})

    def act(who: Http, action: str, **extra):
        who.call("post", f"/api/v1/proposals/{pid}/transitions", json={"action": action, **extra})

    act(kesra, "complete")
    dinsos.call("post", f"/api/v1/proposals/{pid}/declarations", json={"decision": "no_conflict"})
    photo = dinsos.upload(pid, "foto_verifikasi", PNG, "f.png")
    photo_ids = [d["id"] for d in photo["documents"] if d["doc_type"] == "foto_verifikasi"]
    dinsos.call(
        "post",
        f"/api/v1/proposals/{pid}/field-checks",
        json={
            "checked_on": f"{year}-06-01",
            "findings": "Sesuai di lapangan.",
            "photo_ids": photo_ids,
        },
    )
    act(dinsos, "recommend", amount=amount)
    tapd.call("post", f"/api/v1/proposals/{pid}/declarations", json={"decision": "no_conflict"})
    act(tapd, "accept", amount=amount)
    act(kesra, "approve", amount=amount, decree_number=f"SK/{pid}", decree_date=f"{year}-02-01")
    act(
        dinsos,
        "sign_agreement",
        nphd_number=f"NPHD/{pid}",
        nphd_date=f"{year}-02-10",
        integrity_pact=True,
    )
    act(tapd, "disburse", amount=amount, disbursed_on=f"{year}-03-01", sp2d_ref=f"SP2D/{pid}")
    warga.upload(pid, "lpj_laporan")
    warga.call("post", f"/api/v1/proposals/{pid}/lpj", json={})
    act(dinsos, "verify_lpj")


def inside_point(url: str) -> dict:
    rng = random.Random(11)
    for _ in range(200):
        lat, lon = rng.uniform(-6.25, -6.0), rng.uniform(106.1, 106.35)
        found = requests.get(
            f"{url}/api/v1/gis/locate", params={"lat": lat, "lon": lon}, timeout=10
        )
        if found.ok and found.json().get("inside"):
            return {"lat": lat, "lon": lon}
    raise SystemExit("no point inside the regency found for the lifecycle bench")


def main() -> None:
    count = int(os.environ.get("BENCH_PROPOSALS", "20000"))
    requests_total = int(os.environ.get("BENCH_REGISTRY_REQUESTS", "400"))
    registry_threads = int(os.environ.get("BENCH_REGISTRY_THREADS", "8"))
    lifecycles = int(os.environ.get("BENCH_LIFECYCLES", "20"))
    lifecycle_threads = int(os.environ.get("BENCH_LIFECYCLE_THREADS", "4"))
    saved = dict(os.environ)
    shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir(parents=True)
    os.environ["GAWE_VAR_DIR"] = str(WORKDIR)
    if BOUNDARIES.exists():
        os.environ.setdefault("GIS_BOUNDARIES_FILE", str(BOUNDARIES))
    try:
        migrate([])
        engine = make_engine(database_url("accounts"))
        with Session(engine) as session:
            load_demo_accounts(session, PASSWORD)
        engine.dispose()
        started = time.perf_counter()
        seed(count)
        print(f"seeded {count:,} proposals in {time.perf_counter() - started:.1f} s")
        with running_platform(Path(WORKDIR) / "platform.log"):
            url = gateway_url()
            registry_latencies(url, 20, 2)  # warm-up
            for threads in sorted({1, registry_threads}):
                timings, rate = registry_latencies(url, requests_total, threads)
                print(
                    f"registry over {count:,} proposals (filters + totals), {threads} client "
                    f"thread(s): p50 {statistics.median(timings):.0f} ms, "
                    f"p95 {percentile(timings, 0.95):.0f} ms, "
                    f"p99 {percentile(timings, 0.99):.0f} ms, {rate:.1f} req/s"
                )
            verifier_figures(url, count)
            point = inside_point(url)
            lifecycle(url, point, 0)  # warm-up
            started = time.perf_counter()
            with ThreadPoolExecutor(lifecycle_threads) as pool:
                list(pool.map(lambda n: lifecycle(url, point, n), range(1, lifecycles + 1)))
            elapsed = time.perf_counter() - started
            print(
                f"full lifecycles (create → submit → every stage → LPJ verified, ~25 HTTP calls "
                f"each), {lifecycle_threads} threads: {lifecycles / elapsed:.2f} per second "
                f"({lifecycles} in {elapsed:.1f} s)"
            )
    finally:
        os.environ.clear()
        os.environ.update(saved)


def verifier_figures(url: str, count: int) -> None:
    """Issue #17's figures on this platform: the size of the first day's digest (it commits the
    head of every chain, the seeded proposals' included) and of a day's digest as the demo's
    pace makes it, and the time `python -m gawe_verify` takes over the whole site."""
    listed = wait_for_digest(url)
    first = requests.get(url + listed["url"], timeout=60)
    print(
        f"digest {listed['date']}: {listed['heads']:,} chain heads, {len(first.content):,} bytes "
        f"({len(first.content) / max(listed['heads'], 1):.0f} bytes a head); a day with 100 "
        f"changed chains: about {len(canonical_digest(first.json(), 100)):,} bytes"
    )
    with tempfile.TemporaryDirectory() as outside:
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "verifier")}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "gawe_verify", url, "--no-state"],
            env=env,
            cwd=outside,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    held = sum(line.startswith("OK ") for line in lines)
    print(
        f"python -m gawe_verify over {count:,} proposals: {elapsed:.1f} s, exit "
        f"{done.returncode}, {held:,} chains OK; " + " | ".join(lines[-2:])
    )


def wait_for_digest(url: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = requests.get(url + "/api/v1/transparency/digests", timeout=30).json()["digests"]
        if listed:
            return max(listed, key=lambda d: d["heads"])
        time.sleep(1)
    raise SystemExit("no digest was published within two minutes")


def canonical_digest(whole: dict, heads: int) -> bytes:
    """The same digest with `heads` heads: the size of a quieter day."""
    return json.dumps(whole | {"heads": whole["heads"][:heads]}).encode()


if __name__ == "__main__":
    main()
