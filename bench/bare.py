"""The yardstick of `make bench` (issue #15): a bare Flask app with one route, served by
gunicorn with the gateway's own settings (deploy/gunicorn.conf.py: gthread, GATEWAY_WORKERS x
GATEWAY_THREADS), measured in the same run as the platform. Every scenario is then printed as
a share of it: absolute figures on a shared machine are noise, the shares are the contract.

The targets are issue #15's, each a share of the bare app's requests per second (and a p99
where the issue names one); `shares()` says for each row of the run whether it meets its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


ROOT = Path(__file__).resolve().parents[1]
# row name (locust's "<method> <name>") -> (least share of the bare app's req/s, p99 ms at most)
TARGETS = {
    "GET /healthz": (0.80, None),
    "GET /api/v1/me": (0.25, None),
    "POST /api/v1/complaints": (0.12, 250),
    "GET /api/v1/complaints?bbox": (0.15, None),
    "GET /api/v1/complaints?per_page=100": (0.15, None),
    "GET /api/v1/registry/proposals": (0.15, None),
    "GET /collections/desa/items?bbox": (0.30, None),
    "GET /collections/desa/items/{id}": (0.30, None),
}
PEER_TIMES = 2.0  # every OGC query at least this many times pygeoapi's req/s, the whole layer too
P99_MS = 300  # no endpoint's p99 above this at 32 connections


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    gunicorn_bin: Path, app: str, env: dict, probe: str, log_path: Path, what: str, port: int = 0
):
    """`app` under gunicorn with the gateway's configuration (deploy/gunicorn.conf.py) on
    `port` (a free one by default), in a session of its own; yields its base URL once `probe`
    answers."""
    port = port or free_port()
    env = env | {"GATEWAY_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "warning"}
    log = log_path.open("w")
    process = subprocess.Popen(
        [str(gunicorn_bin), "-c", "deploy/gunicorn.conf.py", app],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + probe, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{what} did not start; see {log.name}") from None
                time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def running(bin_dir: Path, workdir: Path):
    """The bare app under gunicorn with the gateway's configuration; yields its base URL."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus-bare")}
    return gunicorn(
        bin_dir / "gunicorn",
        "bench.bare:app",
        env,
        "/healthz",
        workdir / "bare.log",
        "the bare app",
    )


def shares(rows: list[dict], bare_rps: float) -> list[dict]:
    """Each row's req/s as a share of the bare app's, its p99, and whether it meets issue #15's
    target for it (None where the issue sets only the p99 ceiling)."""
    out = []
    for row in rows:
        name = f"{row['Type']} {row['Name']}"
        rps, p99 = float(row["Requests/s"]), float(row["99%"])
        least, p99_target = TARGETS.get(name, (None, None))
        share = rps / bare_rps if bare_rps else 0.0
        met = p99 <= min(P99_MS, p99_target or P99_MS)
        if least is not None:
            met = met and share >= least
        out.append(
            {"name": name, "rps": rps, "p99": p99, "share": share, "least": least, "met": met}
        )
    return out


def print_shares(rows: list[dict], bare_rps: float, bare_p99: float) -> None:
    print(
        f"\nShares of a bare Flask app under the gateway's gunicorn settings, same run "
        f"({bare_rps:.0f} req/s, p99 {bare_p99:.0f} ms):"
    )
    print(f"{'endpoint':<46}{'req/s':>9}{'p99 ms':>8}{'share':>8}  {'target':<22}met")
    for row in shares(rows, bare_rps):
        target = f">= {row['least']:.0%}" if row["least"] is not None else "-"
        target += f", p99 <= {TARGETS.get(row['name'], (0, P99_MS))[1] or P99_MS}"
        print(
            f"{row['name'][:45]:<46}{row['rps']:>9.1f}{row['p99']:>8.0f}{row['share']:>8.1%}"
            f"  {target:<22}{'yes' if row['met'] else 'NO'}"
        )


def versus_peer(ours: dict[str, list[dict]], theirs: dict[str, list[dict]]) -> list[dict]:
    """Per OGC scenario: Gawe's and pygeoapi's req/s and p99 on the same queries, the ratio, and
    whether Gawe serves at least PEER_TIMES as many (the setup rows left out)."""
    out = []
    for scenario, rows in ours.items():
        [mine] = [r for r in rows if "(setup)" not in r["Name"]]
        [peer] = [r for r in theirs.get(scenario, []) if "(setup)" not in r["Name"]] or [None]
        if peer is None:
            continue
        rps, peer_rps = float(mine["Requests/s"]), float(peer["Requests/s"])
        ratio = rps / peer_rps if peer_rps else float("inf")
        out.append(
            {
                "name": f"{mine['Type']} {mine['Name']}",
                "rps": rps,
                "p99": float(mine["99%"]),
                "peer_rps": peer_rps,
                "peer_p99": float(peer["99%"]),
                "ratio": ratio,
                "met": ratio >= PEER_TIMES,
            }
        )
    return out


def print_peer(ours: dict[str, list[dict]], theirs: dict[str, list[dict]]) -> None:
    print(
        "\nOGC API Features, the same desa and queries: Gawe vs pygeoapi 0.21 (PostgreSQL provider)"
    )
    print(f"{'query':<46}{'Gawe r/s':>9}{'p99':>7}{'peer r/s':>9}{'p99':>7}{'ratio':>7}  >= 2x")
    for row in versus_peer(ours, theirs):
        print(
            f"{row['name'][:45]:<46}{row['rps']:>9.1f}{row['p99']:>7.0f}{row['peer_rps']:>9.1f}"
            f"{row['peer_p99']:>7.0f}{row['ratio']:>6.1f}x  {'yes' if row['met'] else 'NO'}"
        )
