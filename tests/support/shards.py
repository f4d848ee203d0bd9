"""The whole suite in several pytest processes at once (`make test`; issue #18, item 6).

Why not pytest-xdist: every test process is eventlet-monkey-patched (nameko needs it, see
tests/conftest.py), and xdist's workers talk to their controller through execnet threads that
the patched process deadlocks (`-n 2` hangs at "bringing up nodes"). So this runs whole pytest
processes instead, each on a chunk of test files: each process has its own run id, hence its own
vhosts and databases (tests/conftest.py), exactly as one `pytest` run has.

- A unit of work is a test file, except tests/browser/ and tests/e2e/, each one unit: their
  modules share one running platform per package; and the fault suite (issue #14: a killed
  service, the broker cut, poison events, two replicas, SIGTERM...), one unit run
  `--fault-runs` times in a row in one process (3 by default, TEST_FAULT_RUNS).
- Units are handed out longest first, in chunks of about a slot's share, to `--jobs` slots;
  a slot takes the next chunk when its process ends, so one slow chunk does not hold the rest.
  How long a unit takes comes from tests/support/durations.json (`--record` rewrites it from
  this run's times; a new file counts as the median until then).
- Each chunk's output goes to var/test-shards/chunk-<n>.log; a chunk that fails has its
  failures printed as it ends, and again at the end.
- The route and RPC reachability check (tests/support/reach.py) needs the whole suite: each
  process writes what it reached, and this runner checks the union once every chunk ended.
  Given pytest arguments that pick tests (after `--`), it is left out and says so.
- On CI (`CI` set) a skipped test fails its chunk (tests/conftest.py), hence the run.

    python -m tests.support.shards [--jobs N] [--fault-runs N] [--record] [-- pytest args]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DURATIONS = Path(__file__).with_name("durations.json")
PACKAGES = ("tests/browser", "tests/e2e")  # one unit each: a platform shared by their modules
FAULTS = "faults"  # the fault suite's unit
FAULT_FILES = (
    "platform/test_dead_letters.py",
    "platform/test_rpc_redelivery.py",
    "e2e/test_supervision.py",
)
OUT = ROOT / "var" / "test-shards"
# tests/support/fixtures.py: the backend is the last part of a test's id ([sqlite], [x-postgres])
BACKENDS = ("sqlite", "postgres")


def fault_files(tests: Path = TESTS) -> list[str]:
    """The fault suite (issue #14): the in-process fault modules and the real-process kill -9
    and SIGTERM tests."""
    found = [*tests.glob("platform/test_faults_*.py"), *(tests / f for f in FAULT_FILES)]
    return sorted(path.relative_to(tests.parent).as_posix() for path in found if path.exists())


def units(tests: Path = TESTS, fault_runs: int = 1) -> dict[str, list[str]]:
    """Every test file under `tests`, by unit: a file is its own unit, but the files of each
    package in PACKAGES make one, and the fault suite one (its files `fault_runs` times in a
    row, pytest's --keep-duplicates). Paths are from the repository's root."""
    faults = fault_files(tests)
    found: dict[str, list[str]] = {}
    for pattern in ("test_*.py", "*_test.py"):
        for path in tests.rglob(pattern):
            relative = path.relative_to(tests.parent).as_posix()
            if relative.startswith("tests/support/") or relative in faults:
                continue
            package = next((p for p in PACKAGES if relative.startswith(p + "/")), None)
            found.setdefault(package or relative, []).append(relative)
    if faults:
        found[FAULTS] = faults * max(1, fault_runs)
    return {name: sorted(files) if name != FAULTS else files for name, files in found.items()}


def weights(names: list[str], durations: dict[str, float]) -> dict[str, float]:
    known = [durations[name] for name in names if name in durations]
    default = statistics.median(known) if known else 10.0
    return {name: durations.get(name, default) for name in names}


def chunks(weighted: dict[str, float], jobs: int, per_slot: int = 4) -> list[list[str]]:
    """Longest first; a chunk is filled up to about a slot's share of the whole divided by
    `per_slot`, so the end of the run is made of short chunks that even the slots out."""
    target = sum(weighted.values()) / (jobs * per_slot)
    out: list[list[str]] = []
    current: list[str] = []
    load = 0.0
    for name in sorted(weighted, key=lambda n: (-weighted[n], n)):
        current.append(name)
        load += weighted[name]
        if load >= target:
            out.append(current)
            current, load = [], 0.0
    if current:
        out.append(current)
    return out


@dataclass
class Result:
    number: int
    units: dict[str, list[str]]  # its units and their files
    returncode: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)  # unit -> seconds
    backends: dict[str, int] = field(default_factory=dict)  # tests by the backend ending its id

    @property
    def log(self) -> Path:
        return OUT / f"chunk-{self.number}.log"

    @property
    def failed(self) -> bool:
        return self.returncode not in (0, 5)  # 5: nothing collected (all deselected)


def unit_of(classname: str, units: dict[str, list[str]]) -> str:
    """The unit a junit test case belongs to (its classname is the module's dotted path,
    with the class after it when there is one)."""
    for name, files in units.items():
        for file in files:
            stem = file.removesuffix(".py").replace("/", ".")
            if classname == stem or classname.startswith(stem + "."):
                return name
    return "?"


def read_junit(path: Path, result: Result) -> None:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not path.exists():
        result.counts = counts
        return
    root = ET.parse(path).getroot()
    for suite in root.iter("testsuite"):
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    for case in root.iter("testcase"):
        name = case.get("name", "")
        backend = next((b for b in BACKENDS if name.endswith((f"[{b}]", f"-{b}]"))), "no database")
        result.backends[backend] = result.backends.get(backend, 0) + 1
        unit = unit_of(case.get("classname", ""), result.units)
        result.times[unit] = result.times.get(unit, 0.0) + float(case.get("time", 0))
    result.counts = counts


def run_chunk(number: int, chunk: dict[str, list[str]], extra: list[str]) -> Result:
    result = Result(number, chunk)
    files = [file for unit in chunk.values() for file in unit]
    junit = OUT / f"chunk-{number}.xml"
    env = dict(os.environ, GAWE_REACH_REPORT=str(OUT / f"reach-{number}.json"))
    command = [
        *(sys.executable, "-m", "pytest", "-q", "--keep-duplicates", f"--junitxml={junit}"),
        *extra,
        *files,
    ]
    started = time.monotonic()
    with result.log.open("w") as log:
        result.returncode = subprocess.call(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    result.seconds = time.monotonic() - started
    read_junit(junit, result)
    return result


def failures_of(result: Result, limit: int = 400) -> str:
    """The failure section of a chunk's log (or its end when pytest stopped before one)."""
    lines = result.log.read_text(errors="replace").splitlines()
    for marker in ("= FAILURES =", "= ERRORS =", "short test summary"):
        start = next((i for i, line in enumerate(lines) if marker in line), None)
        if start is not None:
            return "\n".join(lines[start : start + limit])
    return "\n".join(lines[-80:])


def describe(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def run(jobs: int, extra: list[str], record: bool, fault_runs: int) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    durations = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    found = units(fault_runs=fault_runs)
    plan = chunks(weights(list(found), durations), jobs)
    files = sum(len(set(f)) for f in found.values())
    print(
        f"{files} test files in {len(plan)} chunks, {jobs} at a time, the fault suite "
        f"{fault_runs} times in a row (logs: {OUT})"
    )
    work: queue.Queue = queue.Queue()
    for number, names in enumerate(plan, 1):
        work.put((number, {name: found[name] for name in names}))
    results: list[Result] = []
    lock = threading.Lock()
    started = time.monotonic()

    def slot() -> None:
        while True:
            try:
                number, chunk = work.get_nowait()
            except queue.Empty:
                return
            result = run_chunk(number, chunk, extra)
            with lock:
                results.append(result)
                c = result.counts
                status = "FAILED" if result.failed else "ok"
                print(
                    f"[{len(results)}/{len(plan)}] {status} chunk {number}: {c['tests']} tests, "
                    f"{c['failures'] + c['errors']} failed, {c['skipped']} skipped, "
                    f"{result.seconds:.0f} s ({describe(list(chunk))})",
                    flush=True,
                )
                if result.failed:
                    print(failures_of(result), flush=True)

    threads = [threading.Thread(target=slot) for _ in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    totals = {key: sum(r.counts.get(key, 0) for r in results) for key in ("tests", "skipped")}
    bad = sorted((r for r in results if r.failed), key=lambda r: r.number)
    failed = sum(r.counts.get("failures", 0) + r.counts.get("errors", 0) for r in results)
    times = {unit: round(t, 1) for r in results for unit, t in r.times.items() if unit != "?"}
    measured = json.dumps(dict(sorted(times.items())), indent=1) + "\n"
    for path in (OUT / "durations.json", *([DURATIONS] if record else [])):
        path.write_text(measured)
    status = reachability(extra)
    print(
        f"{totals['tests']} tests: {totals['tests'] - failed - totals['skipped']} passed, "
        f"{failed} failed, {totals['skipped']} skipped in {elapsed / 60:.1f} min "
        f"({len(plan)} chunks, {jobs} at a time)"
    )
    backends = {b: sum(r.backends.get(b, 0) for r in results) for b in (*BACKENDS, "no database")}
    print("tests by backend: " + ", ".join(f"{n} {b}" for b, n in backends.items()))
    for result in bad:
        print(f"chunk {result.number} failed (exit {result.returncode}): {result.log}")
        print(f"  units: {' '.join(result.units)}")
    return 1 if bad or status else 0


def reachability(extra: list[str]) -> int:
    """The whole-suite check on the union of what every chunk reached."""
    if extra:
        print("reach: pytest arguments given, the whole-suite reachability check left out")
        return 0
    reports = sorted(OUT.glob("reach-*.json"))
    return subprocess.call(
        [sys.executable, "-m", "tests.support.reach", *map(str, reports)], cwd=ROOT
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=int(os.environ.get("TEST_JOBS", "3")),
        help="pytest processes at once (TEST_JOBS, 3 by default)",
    )
    parser.add_argument(
        "--record", action="store_true", help=f"write this run's times to {DURATIONS.name}"
    )
    parser.add_argument(
        "--fault-runs",
        type=int,
        default=int(os.environ.get("TEST_FAULT_RUNS", "3")),
        help="times in a row the fault suite runs (TEST_FAULT_RUNS, 3 by default)",
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to every pytest")
    args = parser.parse_args(argv)
    return run(max(1, args.jobs), args.pytest_args, args.record, max(1, args.fault_runs))


if __name__ == "__main__":
    sys.exit(main())
