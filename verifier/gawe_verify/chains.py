"""Each public trail against itself (its entries recomputed) and against the digests that
anchored it (each head a digest names must still be the chain's entry at that seq). A chain a
digest anchored that the site no longer lists has gone missing ("rantai hilang"); entries after
a chain's last anchor are simply not in a digest yet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gawe_verify.digests import Digests
from gawe_verify.formats import recompute

AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z")


@dataclass
class ChainResult:
    chain: str
    entries: int = 0
    anchored: int = 0  # heads of this chain in digests
    pending: int = 0  # entries after the last anchored one
    overdue: int = 0  # of those, dated before the newest digest's period ended
    reasons: list[str] = field(default_factory=list)
    fingerprint: tuple = ()
    proof: dict | None = None  # --proof: {date, seq, index, size, path_length}

    @property
    def ok(self) -> bool:
        return not self.reasons


class ChainChecker:
    def __init__(self, digests: Digests):
        self.anchors = digests.anchors
        self.conflicts = digests.conflicts
        sealed = digests.sealed_until
        self.sealed_until = sealed if isinstance(sealed, str) and AT.match(sealed) else None

    def check(self, trail) -> ChainResult:
        chain = trail.get("chain") if isinstance(trail, dict) else None
        entries = trail.get("entries") if isinstance(trail, dict) else None
        if not isinstance(chain, str) or not isinstance(entries, list):
            return ChainResult(str(chain), reasons=["format jejak tidak sah"])
        found = ChainResult(chain, entries=len(entries))
        recomputed = recompute(chain, entries)
        if recomputed.reason:
            found.reasons.append(f"entri ke-{recomputed.broken_at}: {recomputed.reason}")
        found.fingerprint = (len(entries), recomputed.hashes[-1] if entries else None)
        self._against_digests(found, recomputed.hashes)
        if found.pending and self.sealed_until:
            found.overdue = sum(
                1
                for entry in entries[len(entries) - found.pending :]
                if isinstance(entry, dict)
                and isinstance(entry.get("at"), str)
                and entry["at"] < self.sealed_until
            )
        return found

    def _against_digests(self, found: ChainResult, hashes: list[str]) -> None:
        anchors = self.anchors.get(found.chain, {})
        found.anchored = len(anchors)
        if found.chain in self.conflicts:
            found.reasons.append(self.conflicts[found.chain])
        for seq in sorted(anchors):
            anchor = anchors[seq]
            if seq > len(hashes):
                found.reasons.append(
                    f"entri ke-{seq} yang tercatat di digest {anchor.date} tidak ada lagi "
                    f"(rantai dipotong)"
                )
                break
            if hashes[seq - 1] != anchor.hash:
                found.reasons.append(
                    f"entri ke-{seq} tidak sama dengan yang tercatat di digest {anchor.date} "
                    f"(rantai ditulis ulang)"
                )
                break
        last = max(anchors, default=0)
        found.pending = max(len(hashes) - last, 0)

    def missing(self, chain: str) -> ChainResult:
        """A chain the digests anchored that the site does not list."""
        anchors = self.anchors[chain]
        last = anchors[max(anchors)]
        return ChainResult(
            chain,
            anchored=len(anchors),
            reasons=[
                f"rantai hilang: digest {last.date} mencatat entri ke-{last.seq}, "
                f"tetapi situs tidak lagi menerbitkan rantai ini"
            ],
        )
