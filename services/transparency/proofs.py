"""Inclusion proofs (docs/transparency.md, section 2): for one chain, the head that the latest
digest committing it holds, with the audit path from that head's leaf to the digest's root and
the digest's signed header. Checking one proposal then takes a few hundred bytes instead of
every head of the digest (servicekit.trail: `inclusion_proof`, `root_from_proof`).

The latest digest that committed a chain is its anchor's period (sealing keeps it in the same
transaction as the digest). A digest never changes once published, so the Merkle tree of each
is built once per process and kept (a few, most recently asked first): a first digest may
commit tens of thousands of heads."""

from __future__ import annotations

import json
import logging
import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.errors import NotFound
from servicekit.payloads import load
from servicekit.trail import audit_path, leaf_hash, merkle_levels
from services.transparency.contract import ProofQuerySchema
from services.transparency.models import Anchor, Digest

log = logging.getLogger(__name__)
TREES_KEPT = 4


@dataclass(frozen=True)
class Tree:
    chains: list[str]  # the heads' chains, sorted as the digest has them
    levels: list[list[bytes]]  # merkle_levels of their leaves


class Trees:
    """The trees of the digests asked for last, by the digest's hash (a digest never changes; its
    hash, over the signed header and so its root, names it whatever database it was read from:
    a row id would not, in a process that serves one platform after another, as the tests do)."""

    def __init__(self, kept: int = TREES_KEPT):
        self.kept = kept
        self.trees: OrderedDict[str, Tree] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, digest_hash: str, heads) -> Tree:
        """The tree of the digest whose hash is `digest_hash`; `heads()` reads its heads when it
        is not kept."""
        with self.lock:
            if digest_hash in self.trees:
                self.trees.move_to_end(digest_hash)
                return self.trees[digest_hash]
        tree = tree_of(heads())
        with self.lock:
            self.trees[digest_hash] = tree
            self.trees.move_to_end(digest_hash)
            while len(self.trees) > self.kept:
                self.trees.popitem(last=False)
        return tree


TREES = Trees()


def tree_of(heads: list[dict]) -> Tree:
    leaves = [leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
    return Tree([h["chain"] for h in heads], merkle_levels(leaves) if leaves else [[]])


def proof(db: Session, query: dict | None, trees: Trees = TREES) -> dict:
    chain = load(ProofQuerySchema(), query, "Parameter kueri tidak valid.")["chain"]
    anchor = db.get(Anchor, chain)
    row = (
        db.execute(
            select(Digest.id, Digest.period, Digest.hash, Digest.header, Digest.signature).where(
                Digest.period == anchor.period
            )
        ).one_or_none()
        if anchor is not None
        else None
    )
    if row is None:
        raise NotFound(
            "Rantai belum tercatat di ringkasan mana pun.",
            {"chain": [f"Belum ada ringkasan yang mencatat rantai {chain}."]},
        )

    def heads() -> list[dict]:
        return json.loads(db.scalar(select(Digest.heads).where(Digest.id == row.id)))

    tree = trees.get(row.hash, heads)
    index = bisect_left(tree.chains, chain)
    seq, head = anchor.seq, anchor.hash
    if index == len(tree.chains) or tree.chains[index] != chain:
        log.error(
            "an anchored chain is not in its digest", extra={"chain": chain, "period": row.period}
        )
        raise NotFound(
            "Rantai belum tercatat di ringkasan mana pun.",
            {"chain": [f"Ringkasan {row.period} tidak memuat rantai {chain}."]},
        )
    if tree.levels[0][index] != leaf_hash(chain, seq, head):
        # the digest is the record: answer with the head it holds
        log.error(
            "an anchor differs from its digest's head", extra={"chain": chain, "period": row.period}
        )
        committed = heads()[index]
        seq, head = committed["seq"], committed["hash"]
    header = json.loads(row.header)
    return {
        "date": row.period,
        "chain": chain,
        "seq": seq,
        "hash": head,
        "index": index,
        "size": len(tree.chains),
        "path": audit_path(tree.levels, index),
        "root": header["root"],
        "digest": header,
        "signature": row.signature,
    }
