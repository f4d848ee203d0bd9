"""The independent verifier's time over a large site (issue #17): `python -m bench.verifier`.

A fake site (tests/support/transparency_site.py, built with servicekit.trail and a test key) with
20,000 proposals of 6 entries each and one digest anchoring every chain, served on a local port
from answers serialised once (so the figure is the verifier's, not the fake server's); then
`python -m gawe_verify <site> --quiet` in a process of its own, as its users run it, timed.
Options: --chains, --entries, --jobs, --runs (the best of them is printed), --page-seconds (a
slower site: each page of trails takes that long to make, as the platform's would).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.support.transparency_site import FakeSite, verify, wib_day


def large_site(chains: int, entries: int) -> FakeSite:
    site = FakeSite()
    start = wib_day("2027-01-20")[0]
    for n in range(chains):
        chain = f"proposals/SO-2027-{n:06d}"
        for seq in range(entries):
            site.append(
                chain,
                start + timedelta(minutes=seq),
                {
                    "action": "advance",
                    "to": f"stage_{seq}",
                    "by": "KESRA",
                    "note": "Catatan publik — tahap berikutnya",
                    "amount": 45_000_000 + n,
                },
            )
    site.seal("2027-01-20")
    site.cache = {}  # every answer serialised once, on its first request
    return site


def main() -> None:
    parse = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parse.add_argument("--chains", type=int, default=20_000)
    parse.add_argument("--entries", type=int, default=6)
    parse.add_argument("--jobs", type=int, default=4)
    parse.add_argument("--runs", type=int, default=3)
    parse.add_argument("--page-seconds", type=float, default=0.0)
    args = parse.parse_args()
    began = time.monotonic()
    site = large_site(args.chains, args.entries)
    site.page_seconds = args.page_seconds
    print(
        f"site built: {args.chains} chains x {args.entries} entries, one digest "
        f"({time.monotonic() - began:.1f} s)"
    )
    with site.serve() as url, tempfile.TemporaryDirectory() as home:
        verify(url, "--no-state", "--only", "proposals", "--quiet", cwd=Path(home))  # warm up
        figures = []
        for _ in range(args.runs):
            began, cpu = time.monotonic(), _children_cpu()
            done = verify(
                url,
                "--no-state",
                "--only",
                "proposals",
                "--json",
                "--quiet",
                "--jobs",
                str(args.jobs),
                cwd=Path(home),
            )
            wall, cpu = time.monotonic() - began, _children_cpu() - cpu
            report = json.loads(done.stdout)
            assert done.returncode == 0 and report["chains"]["count"] == args.chains, done.stdout
            figures.append((wall, report["seconds"], cpu))
    wall, inside, cpu = min(figures)
    total = args.chains * args.entries
    print(
        f"gawe_verify --jobs {args.jobs} (pages of trails made in {args.page_seconds} s): "
        f"{args.chains} chains, {total} entries verified in {wall:.2f} s wall "
        f"({inside:.2f} s inside the run, {cpu:.2f} s of CPU, {inside / total * 1e6:.1f} us "
        f"per entry); best of {args.runs}: {', '.join(f'{f[0]:.2f}' for f in figures)} s"
    )


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
