"""Public trails: the hash chains that let anyone check an app's public record without trusting
the server (issue #17), the Merkle tree that the daily digests commit them with, and the
inclusion proofs (audit paths) that show one chain's head is in a digest without its other heads.

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

An app with a public trail keeps the entries in a table of its own database
(servicekit.trail_store), appends one in the same transaction as the public timeline line it
mirrors, and answers the public reads (`trail`, `trails`) and the transparency app's
`trail_heads`; the schemas of those answers are here, so contracts can use them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

GENESIS = "0" * 64
MAX_HEADS_PAGE = 1000  # heads per trail_heads call: each well within SERVICE_RPC_TIMEOUT
TRAILS_PAGE_MAX = 1000
CHAIN_MAX = 80
HEX64 = re.compile(r"[0-9a-fA-F]{64}")


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


def merkle_levels(leaves: list[bytes]) -> list[list[bytes]]:
    """Every level of the tree over `leaves`, the leaves first and the root's level last: each
    level pairs its neighbours, an odd last node rising unchanged (at least one leaf)."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        level = levels[-1]
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node rises unchanged
        levels.append(paired)
    return levels


def merkle_root(leaves: list[bytes]) -> str:
    """The root over leaf hashes in their order; SHA-256 of nothing for no leaves."""
    if not leaves:
        return sha256(b"")
    return merkle_levels(leaves)[-1][0].hex()


# --- inclusion proofs (RFC 6962 §2.1.1's audit path; checked as RFC 9162 §2.1.3.2 says) -------


def audit_path(levels: list[list[bytes]], index: int) -> list[str]:
    """The audit path of leaf `index` in a tree's `levels` (merkle_levels): the sibling of its
    node on each level where it has one, from the leaves up, in hex. A node that rises
    unchanged has no sibling on that level, and the path nothing for it."""
    if not 0 <= index < len(levels[0]):
        raise ValueError(f"no leaf {index} in a tree of {len(levels[0])}")
    path = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling].hex())
        index //= 2
    return path


def inclusion_proof(leaves: list[bytes], index: int) -> list[str]:
    """The audit path that proves leaf `index` is in the tree whose root is merkle_root(leaves)."""
    return audit_path(merkle_levels(leaves), index)


def root_from_proof(leaf: bytes, index: int, size: int, path: list[str]) -> str:
    """The root (hex) that an audit path leads to from `leaf` at `index` of a tree of `size`
    leaves. ValueError when the path cannot be one of such a tree: the index outside it, a
    path too short or too long for it, a step that is not 32 bytes of hex."""
    if type(index) is not int or type(size) is not int or not 0 <= index < size:
        raise ValueError(f"no leaf {index!r} in a tree of {size!r}")
    steps = iter(path)
    node, width = leaf, size
    while width > 1:
        if index % 2:  # a right node: its sibling is on its left
            node = hashlib.sha256(b"\x01" + _step(steps) + node).digest()
        elif index + 1 < width:  # a left node with a right sibling
            node = hashlib.sha256(b"\x01" + node + _step(steps)).digest()
        # else: the last node of an odd level rises unchanged
        index, width = index // 2, (width + 1) // 2
    if next(steps, None) is not None:
        raise ValueError("the path is longer than the tree is high")
    return node.hex()


def _step(steps) -> bytes:
    step = next(steps, None)
    if step is None:
        raise ValueError("the path is shorter than the tree is high")
    if not isinstance(step, str) or not HEX64.fullmatch(step):
        raise ValueError("a step of the path is not 64 hex digits")
    return bytes.fromhex(step)


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


# --- the answers' schemas ---------------------------------------------------------------------


class TrailEntrySchema(Schema):
    seq = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"description": "UTC, 2027-01-20T03:00:00.000000Z"})
    data = fields.Dict(allow_none=True, metadata={"description": "null when withheld"})
    data_hash = fields.String(required=True)
    prev = fields.String(required=True)
    hash = fields.String(required=True)


class TrailSchema(Schema):
    chain = fields.String(required=True)
    entries = fields.List(fields.Nested(TrailEntrySchema), required=True)
    withheld = fields.String(
        allow_none=True, metadata={"description": "why the entries' data is withheld, or null"}
    )


class TrailsQuerySchema(Schema):
    after = fields.String(
        load_default=None,
        validate=validate.Length(max=CHAIN_MAX),
        metadata={"description": "the `next` of the page before: chains after this one"},
    )
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=TRAILS_PAGE_MAX))


class TrailsPageSchema(Schema):
    trails = fields.List(fields.Nested(TrailSchema), required=True)
    next = fields.String(allow_none=True, metadata={"description": "`after` of the next page"})


class HeadsQuerySchema(Schema):
    """The transparency app's question: each chain's head before `until`."""

    until = fields.AwareDateTime(required=True)
    after = fields.String(load_default=None, validate=validate.Length(max=CHAIN_MAX))
    limit = fields.Integer(
        load_default=MAX_HEADS_PAGE, validate=validate.Range(min=1, max=MAX_HEADS_PAGE)
    )
