"""Public trails: the hash chains that let anyone check an app's public record without trusting
the server (issue #17), and the Merkle tree that the daily digests commit them with.

A *chain* is the public history of one thing, e.g. `proposals/SO-2027-00012` or `complaints/42`.
Each entry is `{chain, seq, at, data, data_hash, prev, hash}`:

- `data` is what the public timeline shows of the step (stage, amount, dates, the agency's public
  note; never a private field); `data_hash` = SHA-256 of its canonical JSON;
- `hash` = SHA-256 of the canonical JSON of `{"at", "chain", "data_hash", "prev", "seq"}`, so an
  entry whose data was withheld (a report hidden by moderation) still links its chain;
- `prev` is the previous entry's hash (`GENESIS` for seq 1).

Canonical JSON: keys sorted, no spaces, UTF-8, non-ASCII kept as is. Times: UTC, microseconds,
`2027-01-15T03:00:00.000000Z`. The whole format is written down for outsiders in
docs/transparency.md; `verifier/gawe_verify` re-implements it with the standard library alone
(tests/unit/test_trail_formats.py holds the two to the same answers).

An app with a public trail keeps the entries in a table of its own database (`TrailColumns`),
appends one in the same transaction as the public timeline line it mirrors (`append`), and
answers the transparency app's `trail_heads` (`heads`) and the public `trail`/`trails` reads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import JSON, Integer, String, and_, func, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from servicekit.database import UtcDateTime

GENESIS = "0" * 64
MAX_HEADS_PAGE = 5000


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def at_text(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def data_hash(data: dict) -> str:
    return sha256(canonical(data))


def entry_hash(chain: str, seq: int, at: str, data_digest: str, prev: str) -> str:
    body = {"at": at, "chain": chain, "data_hash": data_digest, "prev": prev, "seq": seq}
    return sha256(canonical(body))


# --- the Merkle tree of a digest (RFC 6962's shape: leaves and nodes hashed apart) ------------


def leaf_hash(chain: str, seq: int, head: str) -> bytes:
    return hashlib.sha256(b"\x00" + canonical([chain, seq, head])).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """The root over leaf hashes in their order; SHA-256 of nothing for no leaves."""
    if not leaves:
        return sha256(b"")
    level = list(leaves)
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node rises unchanged
        level = paired
    return level[0].hex()


def heads_root(heads: list[dict]) -> str:
    """The root over a digest's heads, sorted by chain: `[{chain, seq, hash}]`."""
    ordered = sorted(heads, key=lambda head: head["chain"])
    return merkle_root([leaf_hash(h["chain"], h["seq"], h["hash"]) for h in ordered])


# --- checking a chain ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    ok: bool
    entries: int
    broken_at: int | None = None
    reason: str | None = None


def check_chain(chain: str, entries: list[dict]) -> Check:
    """Recompute one chain's entries (as the public API shows them, oldest first)."""
    previous = GENESIS
    for expected, entry in enumerate(entries, start=1):
        if entry.get("seq") != expected:
            return Check(False, len(entries), expected, "urutan entri terputus")
        if entry.get("prev") != previous:
            return Check(False, len(entries), expected, "hash entri sebelumnya tidak cocok")
        if entry.get("data") is not None and data_hash(entry["data"]) != entry.get("data_hash"):
            return Check(False, len(entries), expected, "isi entri telah diubah")
        recomputed = entry_hash(chain, expected, entry["at"], entry["data_hash"], previous)
        if recomputed != entry.get("hash"):
            return Check(False, len(entries), expected, "hash entri tidak cocok dengan isinya")
        previous = entry["hash"]
    return Check(True, len(entries))


# --- the table an app keeps them in -------------------------------------------------------------


class TrailColumns:
    """Columns of an app's `public_trail` table: mix into a model of the app's own Base."""

    __tablename__ = "public_trail"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    data_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @declared_attr.directive
    def __table_args__(cls):  # noqa: N805 - a declared attribute
        from sqlalchemy import UniqueConstraint

        return (UniqueConstraint("chain", "seq", name="uq_public_trail_chain_seq"),)


def append(session: Session, model: type, chain: str, at: datetime, data: dict):
    """Add the next entry of `chain` (the caller's transaction holds the thing's row, so two
    appends to one chain do not race; a race would fail on the unique (chain, seq))."""
    last = session.execute(
        select(model.seq, model.hash)
        .where(model.chain == chain)
        .order_by(model.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    digest = data_hash(data)
    entry = model(
        chain=chain,
        seq=seq,
        at=at,
        data=data,
        data_hash=digest,
        prev_hash=prev,
        hash=entry_hash(chain, seq, at_text(at), digest, prev),
    )
    session.add(entry)
    return entry


def as_public(entry, withheld: bool = False) -> dict:
    return {
        "seq": entry.seq,
        "at": at_text(entry.at),
        "data": None if withheld else entry.data,
        "data_hash": entry.data_hash,
        "prev": entry.prev_hash,
        "hash": entry.hash,
    }


def entries_of(session: Session, model: type, chains: list[str]) -> dict[str, list]:
    rows = session.scalars(
        select(model).where(model.chain.in_(chains)).order_by(model.chain, model.seq)
    )
    found: dict[str, list] = {chain: [] for chain in chains}
    for row in rows:
        found[row.chain].append(row)
    return found


def heads(
    session: Session,
    model: type,
    until: datetime,
    since: datetime | None = None,
    after: str | None = None,
    limit: int = MAX_HEADS_PAGE,
) -> list[dict]:
    """Each chain's last entry before `until`, for chains with an entry in [since, until) (every
    chain when `since` is None), in chain order after `after`: `[{chain, seq, hash}]`."""
    last = select(model.chain, func.max(model.seq).label("seq")).where(model.at < until)
    if since is not None:
        touched = select(model.chain).where(model.at >= since, model.at < until).distinct()
        last = last.where(model.chain.in_(touched))
    if after:
        last = last.where(model.chain > after)
    last = last.group_by(model.chain).order_by(model.chain).limit(limit).subquery()
    rows = session.execute(
        select(model.chain, model.seq, model.hash)
        .join(last, and_(model.chain == last.c.chain, model.seq == last.c.seq))
        .order_by(model.chain)
    )
    return [{"chain": r.chain, "seq": r.seq, "hash": r.hash} for r in rows]
