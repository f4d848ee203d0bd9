"""The daily digests: each one's hash, signature, Merkle root and head count, the `previous`
links that chain them in period order, and the heads they anchor (what each chain's entry at
that seq must still be)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gawe_verify.formats import GENESIS, canonical, leaf_hash, merkle_root, sha256_hex
from gawe_verify.keys import Keys

FIELDS = ("version", "date", "period_start", "period_end", "previous", "root", "heads", "key_id")
LISTED = ("hash", "previous", "root", "heads")


@dataclass
class Anchor:
    seq: int
    hash: str
    date: str


@dataclass
class Digests:
    checked: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (date, why)
    recomputed: dict[str, str] = field(default_factory=dict)  # date -> sha256(canonical)
    authentic: dict[str, str] = field(default_factory=dict)  # the same, of the signed ones
    anchors: dict[str, dict[int, Anchor]] = field(default_factory=dict)  # chain -> seq -> head
    conflicts: dict[str, str] = field(default_factory=dict)  # chain -> why
    sealed_until: str | None = None  # the newest digest's period_end

    def fail(self, date: str, why: str) -> None:
        self.failures.append((date, why))

    @property
    def broken(self) -> int:
        return len({date for date, _ in self.failures})


def check_digests(listing: list, documents: dict, keys: Keys) -> Digests:
    """`listing`: the items of the digest list; `documents`: each date's whole digest (None
    when the site had none)."""
    found = Digests()
    readable = []
    for item in listing:
        date = item.get("date") if isinstance(item, dict) else None
        if not isinstance(date, str):
            found.fail("?", "daftar digest memuat butir tanpa tanggal")
            continue
        found.checked += 1
        document = documents.get(date)
        if any(r[0] == date for r in readable):
            found.fail(date, "tercantum dua kali di daftar digest")
        elif document is None:
            found.fail(date, "tercantum di daftar tetapi digest-nya tidak ada (404)")
        elif _well_formed(document):
            readable.append((date, item, document))
        else:
            found.fail(date, "format digest tidak sah")
    for date, item, document in readable:
        _check_one(found, date, item, document, keys)
    _check_links(found, [(date, document["digest"]) for date, _, document in readable])
    return found


def _well_formed(document) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("digest"), dict):
        return False
    digest, heads = document["digest"], document.get("heads")
    return (
        all(name in digest for name in FIELDS)
        and isinstance(document.get("hash"), str)
        and isinstance(document.get("signature"), str)
        and isinstance(heads, list)
        and all(
            isinstance(h, dict)
            and isinstance(h.get("chain"), str)
            and type(h.get("seq")) is int
            and h["seq"] >= 1
            and isinstance(h.get("hash"), str)
            for h in heads
        )
        and all(isinstance(digest[name], str) for name in ("period_start", "period_end", "date"))
    )


def _check_one(found: Digests, date: str, item: dict, document: dict, keys: Keys) -> None:
    digest, heads = document["digest"], document["heads"]
    body = canonical(digest)
    recomputed = sha256_hex(body)
    found.recomputed[date] = recomputed
    if digest["date"] != date:
        found.fail(date, f"digest di alamat tanggal ini bertanggal {digest['date']}")
    if digest["version"] != 1:
        found.fail(date, f"versi digest {digest['version']!r} tidak dikenal")
    differ = [n for n in LISTED if n in item and item[n] != _listed_value(n, document)]
    if differ:
        found.fail(date, f"daftar digest tidak sama dengan digest-nya ({', '.join(differ)})")
    if recomputed != document["hash"]:
        found.fail(date, "hash tidak cocok dengan isinya")
    key = keys.by_id.get(digest["key_id"]) if isinstance(digest["key_id"], str) else None
    if key is None:
        found.fail(date, f"ditandatangani kunci {digest['key_id']} yang tidak diumumkan")
        signed = False
    else:
        signed = key.verifies(document["signature"], body)
        if not signed:
            found.fail(date, f"tanda tangan tidak sah (kunci {key.key_id})")
    names = [h["chain"] for h in heads]
    if any(a >= b for a, b in zip(names, names[1:], strict=False)):
        found.fail(date, "heads tidak terurut menurut nama rantai, atau ada rantai ganda")
    if digest["heads"] != len(heads):
        found.fail(date, f"tertulis {digest['heads']} heads, yang diterbitkan {len(heads)}")
    rooted = merkle_root([leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads])
    if rooted != digest["root"]:
        found.fail(date, "root tidak cocok dengan heads-nya")
    elif signed:  # committed by the key's holder: what the chains must still hold
        found.authentic[date] = recomputed
        _anchor(found, date, heads)


def _listed_value(name: str, document: dict):
    if name == "hash":
        return document["hash"]
    return document["digest"][name]


def _anchor(found: Digests, date: str, heads: list[dict]) -> None:
    for head in heads:
        chain, seq = head["chain"], head["seq"]
        seqs = found.anchors.setdefault(chain, {})
        earlier = seqs.get(seq)
        if earlier is None:
            seqs[seq] = Anchor(seq, head["hash"], date)
        elif earlier.hash != head["hash"]:
            found.conflicts[chain] = (
                f"digest {earlier.date} dan {date} mencatat entri ke-{seq} dengan hash berbeda"
            )


def _check_links(found: Digests, digests: list[tuple[str, dict]]) -> None:
    """In period order, each digest's `previous` is the hash of the one before it (64 zeros
    for the first): a digest removed or changed breaks the link after it."""
    ordered = sorted(digests, key=lambda pair: (pair[1]["period_start"], pair[0]))
    expected, before = GENESIS, None
    for date, digest in ordered:
        if digest["previous"] != expected:
            if before is None:
                found.fail(date, "previous digest pertama bukan 64 nol")
            else:
                found.fail(date, f"previous tidak sama dengan hash digest sebelumnya ({before})")
        expected, before = found.recomputed[date], date
    if ordered:
        found.sealed_until = ordered[-1][1]["period_end"]
