"""Filing throughput with one replica of complaints and gis against two, in the same run.

On the running platform (bench.platform), file_report (POST /api/v1/complaints through the
gateway, which calls complaints, which calls gis) is loaded with one process of each; then a
second `nameko run` of complaints and of gis is started here, as the Procfile's lines start
them (independent of the supervisor that runs the platform), and the same load runs again once
both queues have two consumers. The extra processes are stopped afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from kombu import Connection

from bench.platform import BIN, CURRENT, ROOT
from servicekit.apps import installed_apps
from servicekit.config import amqp_uri

SERVICES = ("complaints", "gis")


def _consumers(queue: str) -> int:
    with Connection(amqp_uri(), connect_timeout=3) as conn:
        _, _, consumers = conn.channel().queue_declare(queue=queue, passive=True)
        return consumers


def _argv(service: str) -> list[str]:
    for spec in installed_apps():
        for process in spec.processes:
            if process.name == service:
                return [str(BIN / process.argv[0]), *process.argv[1:]]
    raise LookupError(service)


def start_extra(workdir: Path, services=SERVICES) -> list[subprocess.Popen]:
    """One more process of each service, waited for until its RPC queue has two consumers."""
    started = []
    for service in services:
        log = (workdir / f"replica-{service}.log").open("w")
        started.append(
            subprocess.Popen(
                _argv(service),
                cwd=ROOT,
                env=CURRENT.get("env", os.environ) | {"GAWE_SERVICE_NAME": service},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    for service, process in zip(services, started, strict=True):
        while _consumers(f"rpc-{service}") < 2:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(started)
                raise SystemExit(f"the second {service} did not start; see {workdir}")
            time.sleep(0.2)
    return started


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(url: str, run_locust: Callable, users: int, seconds: int, workdir: Path):
    """file_report req/s with 1 and with 2 processes of complaints and gis; the extra
    processes' pids while they run are not kept (the memory figures are of the platform)."""
    figures = {}
    # each run's users first sign up and in (argon2id, seconds): give the filing time to show
    seconds = max(seconds, int(os.environ.get("BENCH_REPLICAS_SECONDS", "30")))
    for replicas in (1, 2):
        subdir = workdir / f"replicas-{replicas}"
        subdir.mkdir(exist_ok=True)
        extra = start_extra(subdir) if replicas == 2 else []
        try:
            rows = run_locust(url, "file_report", users, seconds, subdir)
        finally:
            stop(extra)
        row = next(r for r in rows if r["Type"] == "POST" and r["Name"] == "/api/v1/complaints")
        figures[replicas] = {
            "per_second": float(row["Requests/s"]),
            "failures": int(row["Failure Count"]),
            "requests": int(row["Request Count"]),
            "p95_ms": row["95%"],
        }
    one, two = figures[1]["per_second"], figures[2]["per_second"]
    print(f"\n== filing throughput: {', '.join(SERVICES)} x1 vs x2 ({users} users, {seconds} s) ==")
    for replicas, row in figures.items():
        print(
            f"x{replicas}: {row['per_second']:.1f} reports/s ({row['requests']} requests, "
            f"{row['failures']} failed, p95 {row['p95_ms']} ms)"
        )
    if one:
        print(f"x2 = {two / one:.0%} of the x1 figure (same run; {os.cpu_count()} CPU cores)")
    return figures
