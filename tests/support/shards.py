"""The whole suite in several pytest processes at once (`make test`; issue #18, item 6).

Why not pytest-xdist: every test process is eventlet-monkey-patched (nameko needs it, see
tests/conftest.py), and xdist's workers talk to their controller through execnet threads that
the patched process deadlocks (`-n 2` hangs at "bringing up nodes"). So this runs whole pytest
processes instead, each on a chunk of test files: each process has its own run id, hence its own
vhosts and databases (tests/conftest.py), exactly as one `pytest` run has.

- A unit of work is a test file, except tests/browser/ and tests/e2e/, each one unit: their
  modules share one running platform per package.
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

    python -m tests.support.shards [--jobs N] [--record] [-- pytest arguments]
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
OUT = ROOT / "var" / "test-shards"
# tests/support/fixtures.py: the backend is the last part of a test's id ([sqlite], [x-postgres])
BACKENDS = ("sqlite", "postgres")


def units(tests: Path = TESTS) -> list[str]:
    """Every test file under `tests` as a path from the repository's root, the packages in
    PACKAGES as one unit each."""
    found: set[str] = set()
    for pattern in ("test_*.py", "*_test.py"):
        for path in tests.rglob(pattern):
            relative = path.relative_to(tests.parent).as_posix()
            if relative.startswith("tests/support/"):
                continue
            package = next((p for p in PACKAGES if relative.startswith(p + "/")), None)
            found.add(package or relative)
    return sorted(found)


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
    files: list[str]
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


def unit_of(classname: str, files: list[str]) -> str:
    """The unit a junit test case belongs to (its classname is the module's dotted path,
    with the class after it when there is one)."""
    for name in files:
        stem = name.removesuffix(".py").replace("/", ".")
        if classname == stem or classname.startswith(stem + "."):
            return name
    return files[0] if len(files) == 1 else "?"


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
        unit = unit_of(case.get("classname", ""), result.files)
        result.times[unit] = result.times.get(unit, 0.0) + float(case.get("time", 0))
    result.counts = counts


def run_chunk(number: int, files: list[str], extra: list[str]) -> Result:
    result = Result(number, files)
    junit = OUT / f"chunk-{number}.xml"
    env = dict(os.environ, GAWE_REACH_REPORT=str(OUT / f"reach-{number}.json"))
    command = [sys.executable, "-m", "pytest", "-q", f"--junitxml={junit}", *extra, *files]
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


def describe(files: list[str]) -> str:
    return files[0] if len(files) == 1 else f"{files[0]} and {len(files) - 1} more"


def run(jobs: int, extra: list[str], record: bool) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    durations = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    names = units()
    plan = chunks(weights(names, durations), jobs)
    print(f"{len(names)} test files in {len(plan)} chunks, {jobs} at a time (logs: {OUT})")
    work: queue.Queue = queue.Queue()
    for number, files in enumerate(plan, 1):
        work.put((number, files))
    results: list[Result] = []
    lock = threading.Lock()
    started = time.monotonic()

    def slot() -> None:
        while True:
            try:
                number, files = work.get_nowait()
            except queue.Empty:
                return
            result = run_chunk(number, files, extra)
            with lock:
                results.append(result)
                c = result.counts
                status = "FAILED" if result.failed else "ok"
                print(
                    f"[{len(results)}/{len(plan)}] {status} chunk {number}: {c['tests']} tests, "
                    f"{c['failures'] + c['errors']} failed, {c['skipped']} skipped, "
                    f"{result.seconds:.0f} s ({describe(files)})",
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
    times = {unit: t for r in results for unit, t in r.times.items() if unit != "?"}
    (OUT / "durations.json").write_text(json.dumps(dict(sorted(times.items())), indent=1) + "\n")
    if record:
        DURATIONS.write_text(
            json.dumps({k: round(v, 1) for k, v in sorted(times.items())}, indent=1) + "\n"
        )
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
        print(f"  files: {' '.join(result.files)}")
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
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to every pytest")
    args = parser.parse_args(argv)
    return run(max(1, args.jobs), args.pytest_args, args.record)


if __name__ == "__main__":
    sys.exit(main())
