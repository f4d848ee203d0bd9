"""The tamper-evident audit log of a proposal: each entry carries the hash of the previous one.

An entry's hash is SHA-256 over a canonical JSON of its content and the previous hash, so a
changed, removed or inserted entry breaks every hash after it; the proposal row keeps the head
hash, so dropping the last entries shows too. No API edits entries; `verify` recomputes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


def entry_hash(
    *,
    proposal_id: int,
    seq: int,
    at: datetime,
    action: str,
    actor_user_id: int | None,
    actor_roles: list[str],
    actor_agency: str | None,
    data: dict,
    prev_hash: str,
) -> str:
    content = {
        "proposal_id": proposal_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "action": action,
        "actor_user_id": actor_user_id,
        "actor_roles": sorted(actor_roles or []),
        "actor_agency": actor_agency,
        "data": data or {},
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    broken_at: int | None = None  # seq of the first entry that does not verify
    reason: str | None = None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "broken_at": self.broken_at,
            "reason": self.reason,
        }


def verify_chain(entries: list, head: str | None) -> Verdict:
    """Recompute the chain of one proposal's entries (ordered by seq) against the stored head."""
    previous = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return Verdict(False, len(entries), expected_seq, "urutan entri terputus")
        if entry.prev_hash != previous:
            return Verdict(False, len(entries), entry.seq, "hash entri sebelumnya tidak cocok")
        recomputed = entry_hash(
            proposal_id=entry.proposal_id,
            seq=entry.seq,
            at=entry.at,
            action=entry.action,
            actor_user_id=entry.actor_user_id,
            actor_roles=entry.actor_roles,
            actor_agency=entry.actor_agency,
            data=entry.data,
            prev_hash=entry.prev_hash,
        )
        if recomputed != entry.hash:
            return Verdict(False, len(entries), entry.seq, "isi entri telah diubah")
        previous = entry.hash
    if (head or GENESIS) != previous:
        return Verdict(False, len(entries), len(entries) + 1, "entri terakhir hilang")
    return Verdict(True, len(entries))
