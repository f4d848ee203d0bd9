"""The formats of Gawe's public trails and digests, as docs/transparency.md writes them down.

Written from that page alone (not from the platform's code), with the standard library: a
canonical JSON, an entry's data hash and hash, a digest's Merkle root and the root an inclusion
proof leads to, and the recomputation of one chain. The per-entry work is kept small, since a
site holds hundreds of thousands of entries: one encoder made once, and an entry's hashed body
written directly (its five fields are strings and an integer, each encoded exactly as the
canonical JSON encodes it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from json.encoder import encode_basestring

GENESIS = "0" * 64
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()

# canonical(x): keys sorted, "," and ":" with no spaces, non-ASCII kept as is, UTF-8.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _no_default(value):
    raise TypeError(f"{type(value).__name__} is not JSON")


def _fast_encoder():
    """The encoder json.dumps builds on every call, built once (half the time of a small
    entry's data hash). It is CPython's C encoder behind a private name: used only when it is
    there and encodes a probe exactly as the public encoder does."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    try:
        encoder = make(None, _no_default, encode_basestring, None, ":", ",", True, False, True)
        probe = {"b": [1, 2.5, None, True], "a": 'é "x"\n', "c": {"z": 1, "y": -0.0}}
        if "".join(encoder(probe, 0)) != _CANONICAL.encode(probe):
            return None
    except (TypeError, ValueError):
        return None
    return encoder


_FAST = _fast_encoder()


def canonical(value) -> bytes:
    if _FAST is not None and isinstance(value, dict | list):
        return "".join(_FAST(value, 0)).encode("utf-8")
    return _CANONICAL.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_hash(data) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def entry_hash(chain: str, seq: int, at: str, data_digest: str, prev: str) -> str:
    """SHA-256 of canonical({"at", "chain", "data_hash", "prev", "seq"}): the five keys are
    already in sorted order, each string encoded as canonical JSON encodes a string."""
    if type(seq) is not int or not all(type(s) is str for s in (chain, at, data_digest, prev)):
        raise TypeError("an entry's at, chain, data_hash and prev are strings, its seq a number")
    body = '{"at":%s,"chain":%s,"data_hash":%s,"prev":%s,"seq":%d}' % (
        encode_basestring(at),
        encode_basestring(chain),
        encode_basestring(data_digest),
        encode_basestring(prev),
        seq,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# --- a digest's Merkle tree ----------------------------------------------------------------


def leaf_hash(chain: str, seq: int, head: str) -> bytes:
    return hashlib.sha256(b"\x00" + canonical([chain, seq, head])).digest()


def _subtree(leaves: list[bytes], start: int, end: int) -> bytes:
    """RFC 6962's MTH over leaves[start:end]: split at the largest power of two below the
    count (the same tree as pairing neighbours level by level, an odd last node rising)."""
    count = end - start
    if count == 1:
        return leaves[start]
    split = 1 << ((count - 1).bit_length() - 1)
    left = _subtree(leaves, start, start + split)
    right = _subtree(leaves, start + split, end)
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """The root over leaf hashes in their order; SHA-256 of nothing when there is none."""
    if not leaves:
        return EMPTY_ROOT
    return _subtree(leaves, 0, len(leaves)).hex()


def heads_root(heads: list[dict]) -> str:
    """The root over a digest's heads `[{chain, seq, hash}]`, taken in chain order."""
    ordered = sorted(heads, key=lambda head: head["chain"])
    return merkle_root([leaf_hash(h["chain"], h["seq"], h["hash"]) for h in ordered])


# --- an inclusion proof: one head in a digest, without the other heads ------------------------

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def root_from_proof(leaf: bytes, index: int, size: int, path) -> str:
    """The root (hex) an audit path leads to from `leaf`, the leaf at `index` of a tree of
    `size` leaves: RFC 9162 §2.1.3.2 (the path lists the siblings from the leaf up; a node
    that is the last of its level and has no sibling rises unchanged, and has no step).
    ValueError when the path cannot belong to such a tree (index outside it, too few or too
    many steps, a step that is not 64 hex digits)."""
    if type(index) is not int or type(size) is not int or not 0 <= index < size:
        raise ValueError(f"no leaf {index!r} in a tree of {size!r}")
    if not isinstance(path, list):
        raise ValueError("the path is not a list")
    fn, sn, node = index, size - 1, leaf
    for step in path:
        if sn == 0:
            raise ValueError("the path is longer than the tree is high")
        if not isinstance(step, str) or not _HEX64.fullmatch(step):
            raise ValueError("a step of the path is not 64 hex digits")
        sibling = bytes.fromhex(step)
        if fn & 1 or fn == sn:
            node = hashlib.sha256(b"\x01" + sibling + node).digest()
            while not fn & 1 and fn:  # the last node of its levels: it rose unchanged
                fn, sn = fn >> 1, sn >> 1
        else:
            node = hashlib.sha256(b"\x01" + node + sibling).digest()
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the path is shorter than the tree is high")
    return node.hex()


# --- one chain ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputed:
    """A chain recomputed: `hashes[i]` is the hash entry i + 1 states (what a digest's head is
    compared with); `broken_at` the first entry that does not hold and `reason` why."""

    hashes: list[str]
    broken_at: int | None = None
    reason: str | None = None


def recompute(chain: str, entries: list) -> Recomputed:
    """Recompute a chain's entries, oldest first: seq from 1 without gaps, each `prev` the hash
    before it (64 zeros for the first), `data_hash` of the data (unless withheld: null), and
    the hash of each entry (entry_hash, written out here: this loop is the verifier's work)."""
    hashes: list[str] = []
    previous = GENESIS
    broken: tuple[int, str] | None = None
    chain_text = encode_basestring(chain)
    sha256 = hashlib.sha256
    for expected, entry in enumerate(entries, start=1):
        stated = entry.get("hash", "") if isinstance(entry, dict) else ""
        hashes.append(stated)
        if broken:
            continue
        try:
            seq, prev, data = entry["seq"], entry["prev"], entry["data"]
            stated_data_hash, at = entry["data_hash"], entry["at"]
            if seq != expected or type(seq) is not int:
                broken = (expected, f"urutan entri terputus (entri ke-{expected} bernomor {seq!r})")
            elif prev != previous:
                broken = (expected, "prev tidak sama dengan hash entri sebelumnya")
            elif data is not None and sha256(canonical(data)).hexdigest() != stated_data_hash:
                broken = (expected, "isi entri telah diubah (data_hash tidak cocok)")
            elif type(at) is not str or type(stated_data_hash) is not str:
                broken = (expected, "format entri tidak sah")
            else:
                body = '{"at":%s,"chain":%s,"data_hash":%s,"prev":%s,"seq":%d}' % (
                    encode_basestring(at),
                    chain_text,
                    encode_basestring(stated_data_hash),
                    encode_basestring(prev),
                    seq,
                )
                if sha256(body.encode("utf-8")).hexdigest() != stated:
                    broken = (expected, "hash entri tidak cocok dengan isinya")
        except (KeyError, TypeError, ValueError, UnicodeError, RecursionError):
            broken = (expected, "format entri tidak sah")
        previous = stated
    if broken:
        return Recomputed(hashes, broken[0], broken[1])
    return Recomputed(hashes)
