"""`make bench`: start the platform, load it over HTTP with locust, print the figures.

Environment: BENCH_USERS (default 32), BENCH_SECONDS per scenario (default 20),
BENCH_REPLICAS (default 1: file_report with complaints and gis x1 vs x2, bench/replicas.py),
BENCH_SCENARIOS (default: all of DEFAULT_SCENARIOS; a scenario whose API does not answer yet is
skipped). list_reports runs over 50,000 reports loaded first. The OGC scenarios run against
pygeoapi too (bench/peer.py, its own virtualenv and PostGIS database; BENCH_PEER=0 skips it).
Scenario modules of other services (bench/gis.py, bench/notifications.py, ...) are
run after the HTTP scenarios when they exist.
"""

from __future__ import annotations

import csv
import importlib
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench import bare, complaints, gis, hops, memory, pages, peer, replicas, rpc_overhead
from bench.platform import BIN, CURRENT, ROOT, running_platform
from servicekit.apps import installed_apps, load
from services.accounts.demo import demo_password
from services.gis import importer

PROBES = {
    "locate": "/api/v1/gis/locate?lat=-6.1&lon=106.1",
    "file_report": "/gis/collections/desa/items?limit=1",
    "list_reports": "/api/v1/complaints?per_page=1",
}
DEFAULT_SCENARIOS = (
    "login,me,healthz,locate,file_report,list_reports,registry,ogc_bbox,ogc_item,ogc_layer"
)
OGC = ("ogc_bbox", "ogc_item", "ogc_layer")
EXTRA_MODULES = ("bench.gis", "bench.notifications", "bench.proposals")


def run_locust(
    url: str,
    scenario: str,
    users: int,
    seconds: int,
    workdir: Path,
    label: str = "",
    env: dict | None = None,
) -> list[dict]:
    prefix = workdir / (label or scenario)
    env = os.environ | {"BENCH_SCENARIO": scenario, "BENCH_PASSWORD": demo_password()} | (env or {})
    subprocess.run(
        [
            BIN / "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / f"locust-{label or scenario}.log").open("w"),
    )
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(
            f"locust failed for {scenario}; see {workdir}/locust-{label or scenario}.log"
        )
    with open(f"{prefix}_stats.csv") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


def print_table(rows: list[dict], users: int) -> None:
    print(
        f"\n{'endpoint':<34}{'users':>6}{'requests':>10}{'fail':>6}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    for row in rows:
        print(
            f"{row['Type'] + ' ' + row['Name']:<34}{users:>6}{row['Request Count']:>10}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )


def main() -> int:
    users = int(os.environ.get("BENCH_USERS", "32"))
    seconds = int(os.environ.get("BENCH_SECONDS", "20"))
    scenarios = os.environ.get("BENCH_SCENARIOS", DEFAULT_SCENARIOS).split(",")
    workdir = Path(tempfile.mkdtemp(prefix="gawe-bench-"))
    results: dict[str, list[dict]] = {}
    if gis.REAL.exists():  # the regency's 326 desa and 29 kecamatan, as issue #15 measured
        importer.main([str(gis.REAL), "--version", "bench-326-desa"])
    with running_platform(workdir / "platform.log") as url:
        print(f"Platform ready at {url}; {users} concurrent users, {seconds} s per scenario.")
        idle = memory.snapshot(CURRENT["pid"])  # after start (make bench loaded the demo)
        with bare.running(BIN, workdir) as bare_url:  # the yardstick, in the same run
            [bare_row] = run_locust(bare_url, "healthz", users, seconds, workdir, "bare")
        bare_row["Name"] = "/healthz (bare Flask app)"
        print_table([bare_row], users)
        for scenario in scenarios:
            probe = PROBES.get(scenario)
            if probe and not _answers(url + probe):
                print(f"(skipping {scenario}: {probe} does not answer)")
                continue
            if scenario == "list_reports":
                print(f"loading {complaints.seed_reports(50_000)} reports for list_reports ...")
            before, cpu_before = hops.snapshot(url), hops.cpu_snapshot(CURRENT["pid"])
            results[scenario] = run_locust(url, scenario, users, seconds, workdir)
            cpu_after = hops.cpu_snapshot(CURRENT["pid"])
            print_table(results[scenario], users)
            found = hops.hops(before, hops.snapshot(url))
            hops.print_hops(scenario, found)
            hops.print_cpu(hops.cpu_per_request(cpu_before, cpu_after, found.get("requests", 0)))
        loaded = memory.snapshot(CURRENT["pid"])  # after the load run, before anything else
        measured = [r for rows in results.values() for r in rows if "(setup)" not in r["Name"]]
        bare.print_shares(measured, float(bare_row["Requests/s"]), float(bare_row["99%"]))
        ogc = [s for s in OGC if s in results]
        if ogc and os.environ.get("BENCH_PEER", "1") != "0":
            with peer.running(url, workdir) as peer_url:
                if peer_url:
                    theirs = {
                        s: run_locust(
                            peer_url,
                            s,
                            users,
                            seconds,
                            workdir,
                            f"peer-{s}",
                            {"BENCH_OGC_BASE": ""},
                        )
                        for s in ogc
                    }
                    bare.print_peer({s: results[s] for s in ogc}, theirs)
        memory.print_table(idle, loaded)
        if os.environ.get("BENCH_REPLICAS", "1") != "0":
            replicas.measure(url, run_locust, users, seconds, workdir)
        pages.print_weights(pages.weights(url, demo_password()))
        overhead = rpc_overhead.measure()
        baseline = float(results["healthz"][0]["Requests/s"]) if "healthz" in results else 0.0
        for spec in installed_apps():  # each app's own rows (AppSpec.bench), same platform
            if spec.bench:
                print(f"\n== {spec.name} ({spec.title}) ==")
                sys.stdout.flush()
                for row in load(spec.bench)(url, baseline):
                    share = f" = {row['per_second'] / baseline:.2%} of /healthz" if baseline else ""
                    print(f"{row['name']}: {row['per_second']:.1f}/s{share}")
    print(
        f"\nRPC overhead (accounts.health, {overhead['calls']} sequential calls): over RabbitMQ p50 "
        f"{overhead['rpc_p50_ms']:.2f} ms (p99 {overhead['rpc_p99_ms']:.2f} ms), in-process p50 "
        f"{overhead['in_process_p50_ms']:.3f} ms, ratio {overhead['ratio']:.0f}x"
    )
    if "locate" in results and "healthz" in results:
        locate = float(results["locate"][0]["Requests/s"])
        healthz = float(results["healthz"][0]["Requests/s"])
        print(
            f"gis locate vs /healthz through the gateway: {locate:.0f} / {healthz:.0f} req/s = {healthz / locate:.2f}x"
        )
    extras = os.environ.get("BENCH_EXTRAS", ",".join(m.split(".")[1] for m in EXTRA_MODULES))
    for module_name in (f"bench.{name}" for name in extras.split(",") if name):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        print(f"\n== {module_name} ==")
        sys.stdout.flush()
        module.main()
    print(f"\n(locust CSVs and the platform log: {workdir})")
    return 0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
