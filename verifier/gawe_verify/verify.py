"""One run: the key, every digest, every trail, and what the verifier kept from earlier runs.

Fetching runs in threads (`jobs`): the digests in parallel, and the trail pages as
reading.py says, while the main thread checks the pages already read.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from gawe_verify.chains import ChainChecker, ChainResult
from gawe_verify.client import TRAILS, Site
from gawe_verify.digests import Digests, check_digests
from gawe_verify.keys import Key, Keys, read_keys
from gawe_verify.reading import TrailReader, plan
from gawe_verify.state import State

KINDS = tuple(TRAILS)


@dataclass
class Options:
    kinds: tuple[str, ...] = KINDS
    jobs: int = 4
    state_dir: Path | None = None  # None: keep nothing
    pinned: Key | None = None


@dataclass
class Outcome:
    site: str
    keys: Keys
    digests: Digests
    trusted: Key | None
    chains: list[ChainResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (subject, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def broken_chains(self) -> list[ChainResult]:
        return [c for c in self.chains if not c.ok]

    @property
    def holds(self) -> bool:
        return not self.failures and not self.broken_chains


def run(site: Site, options: Options) -> Outcome:
    """Raises client.Unreadable when the site cannot be read, state.StateError when the state
    directory cannot."""
    started = time.monotonic()
    state = State.load(options.state_dir) if options.state_dir else None
    trusted = options.pinned or (state.key if state else None)
    keys = read_keys(site.key(), trusted)
    listing = site.digest_list()
    dates = sorted(
        {i["date"] for i in listing if isinstance(i, dict) and isinstance(i.get("date"), str)}
    )
    with ThreadPoolExecutor(max_workers=max(options.jobs, len(options.kinds))) as pool:
        documents = dict(zip(dates, pool.map(site.digest, dates), strict=True))
        digests = check_digests(listing, documents, keys)
        outcome = Outcome(site.base, keys, digests, trusted or keys.current)
        outcome.failures += [("kunci", why) for why in keys.failures]
        outcome.warnings += [("kunci", why) for why in keys.warnings]
        outcome.failures += [(f"digest {date}", why) for date, why in digests.failures]
        if state:
            changed = state.compare(set(dates), digests.recomputed)
            outcome.failures += [(f"digest {date}", why) for date, why in changed]
        outcome.chains = _check_chains(pool, site, options, ChainChecker(digests), outcome)
    if state:
        state.save(digests.authentic, keys.current)
    outcome.seconds = time.monotonic() - started
    return outcome


def _check_chains(pool, site: Site, options: Options, checker: ChainChecker, outcome) -> list:
    results: dict[str, ChainResult] = {}
    reader = TrailReader(pool, site)
    tasks = [
        task
        for kind in options.kinds
        for task in plan(
            kind, [c for c in checker.anchors if c.startswith(kind + "/")], options.jobs
        )
    ]
    with closing(reader.read(tasks)) as trails:  # closed early too: its threads then stop
        for trail in trails:
            result = checker.check(trail)
            earlier = results.get(result.chain)
            if earlier is None:
                results[result.chain] = result
            elif earlier.fingerprint != result.fingerprint or not result.fingerprint:
                earlier.reasons.append("rantai diterbitkan lebih dari sekali dengan isi berbeda")
    if reader.out_of_order:  # read again, one page after the other; the later reading holds
        kinds = sorted(reader.out_of_order)
        outcome.warnings.append(
            ("jejak", f"halaman jejak {', '.join(kinds)} tidak urut kode karakter; dibaca ulang")
        )
        with closing(reader.read([(kind, None, None) for kind in kinds])) as trails:
            for trail in trails:
                result = checker.check(trail)
                results[result.chain] = result
    _missing_and_late(results, options.kinds, checker, outcome)
    return sorted(results.values(), key=lambda r: r.chain)


def _missing_and_late(results: dict, kinds, checker: ChainChecker, outcome: Outcome) -> None:
    unknown = Counter()
    for chain in checker.anchors:
        kind = chain.partition("/")[0]
        if kind not in KINDS:
            unknown[kind] += 1
        elif kind in kinds and chain not in results:
            results[chain] = checker.missing(chain)
    for kind, count in sorted(unknown.items()):
        outcome.warnings.append(
            (f"rantai {kind}/…", f"{count} rantai berjenis tak dikenal di digest, tidak diperiksa")
        )
    overdue = sum(r.overdue for r in results.values())
    if overdue:
        outcome.warnings.append(
            (
                "digest",
                f"{overdue} entri belum masuk digest padahal bertanggal sebelum digest terakhir "
                f"ditutup ({checker.sealed_until})",
            )
        )
