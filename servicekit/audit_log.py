"""Private, tamper-evident audit logs: one hash chain of entries per record of an app.

Proposals and complaints keep one each (their `audit_log` tables: the owner's id, `seq`, `at`,
`action`, who exactly acted, `data`, `prev_hash`, `hash`); the owning row keeps the head hash in
`audit_head`. An entry's hash is SHA-256 over a canonical JSON of its content (the owner's id
under the owner's column name, seq, time, action, actor, data) and the previous entry's hash, so
a changed, removed or inserted entry breaks every hash after it, and dropping the last entries
shows against the head. No API edits entries; `verify_chain` recomputes.

Unlike the public trails (servicekit.trail), these logs hold private details and are read by
auditors, admins and the handling agency only; the daily digests do not commit them
(docs/transparency.md §5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.trail import GENESIS, canonical

__all__ = ["GENESIS", "Verdict", "append", "entry_hash", "verify_chain"]


def entry_hash(
    *,
    owner: str,
    owner_id: int,
    seq: int,
    at: datetime,
    action: str,
    actor_user_id: int | None,
    actor_roles: list[str],
    actor_agency: str | None,
    data: dict,
    prev_hash: str,
) -> str:
    """The hash of one entry; `owner` is the owner's column (`proposal_id`, `report_id`), which
    is also the key its id has in the hashed content."""
    content = {
        owner: owner_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "action": action,
        "actor_user_id": actor_user_id,
        "actor_roles": sorted(actor_roles or []),
        "actor_agency": actor_agency,
        "data": data or {},
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical(content)).hexdigest()


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


def verify_chain(entries: list, head: str | None, owner: str) -> Verdict:
    """Recompute one record's entries (ordered by seq) against the head its row keeps."""
    previous = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return Verdict(False, len(entries), expected_seq, "urutan entri terputus")
        if entry.prev_hash != previous:
            return Verdict(False, len(entries), entry.seq, "hash entri sebelumnya tidak cocok")
        recomputed = entry_hash(
            owner=owner,
            owner_id=getattr(entry, owner),
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


def append(
    session: Session,
    model,
    owner: str,
    record,
    action: str,
    actor,
    data: dict,
    at: datetime | None = None,
):
    """Chain a new entry of `model` (an app's audit_log class) onto `record`'s log in the
    caller's transaction, which holds the record's row (two appends to one record do not race;
    a race would fail on the (owner, seq) unique key), and move the record's `audit_head`.
    `actor` is who made the call (servicekit.context.Actor; None for the system)."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    column = getattr(model, owner)
    last = session.execute(
        select(model.seq, model.hash).where(column == record.id).order_by(model.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    who = {
        "actor_user_id": actor.user_id if actor is not None else None,
        "actor_roles": sorted(actor.roles) if actor is not None else [],
        "actor_agency": actor.agency if actor is not None else None,
    }
    digest = entry_hash(
        owner=owner,
        owner_id=record.id,
        seq=seq,
        at=at,
        action=action,
        data=data,
        prev_hash=prev,
        **who,
    )
    entry = model(
        **{owner: record.id},
        seq=seq,
        at=at,
        action=action,
        data=data,
        prev_hash=prev,
        hash=digest,
        **who,
    )
    session.add(entry)
    session.flush()
    record.audit_head = digest
    return entry
