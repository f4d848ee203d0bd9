"""The transparency service keeps the Merkle trees of the digests it was last asked proofs of
(services/transparency/proofs.py): a digest never changes, so its heads are read and hashed once
per process; the tree gives the same root as the digest's and the same path as
servicekit.trail's `inclusion_proof`; the least recently asked tree goes first."""

from __future__ import annotations

import hashlib

from servicekit.trail import audit_path, heads_root, inclusion_proof, leaf_hash
from services.transparency.proofs import Trees, tree_of


def heads(count: int, salt: str = "") -> list[dict]:
    return [
        {
            "chain": f"proposals/SO-2027-{i:06d}",
            "seq": i % 7 + 1,
            "hash": hashlib.sha256(f"{salt}{i}".encode()).hexdigest(),
        }
        for i in range(count)
    ]


def test_a_digests_tree_has_its_root_and_its_paths():
    for count in (1, 2, 3, 5, 8, 13, 100):
        committed = heads(count)
        tree = tree_of(committed)
        assert tree.chains == [h["chain"] for h in committed]
        assert tree.levels[-1][0].hex() == heads_root(committed)
        leaves = [leaf_hash(h["chain"], h["seq"], h["hash"]) for h in committed]
        for index in range(count):
            assert audit_path(tree.levels, index) == inclusion_proof(leaves, index)


def test_each_digests_heads_are_read_once_and_the_oldest_tree_goes_first():
    trees, read = Trees(kept=2), []

    def reader(name: str):
        def heads_of():
            read.append(name)
            return heads(5, salt=name)

        return heads_of

    first = trees.get("a", reader("a"))
    assert trees.get("a", reader("a")) is first
    trees.get("b", reader("b"))
    trees.get("a", reader("a"))  # asked again: now the most recent
    trees.get("c", reader("c"))  # b goes
    assert read == ["a", "b", "c"]
    assert trees.get("a", reader("a")) is first
    trees.get("b", reader("b"))
    assert read == ["a", "b", "c", "b"]
    assert list(trees.trees) == ["a", "b"]
