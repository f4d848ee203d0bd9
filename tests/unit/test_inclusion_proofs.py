"""Inclusion proofs of the digests' Merkle tree (docs/transparency.md, section 2): the audit path
of servicekit.trail (what the transparency service answers) has RFC 6962 §2.1.1's shape over
the tree `merkle_root` builds (an odd last node rising unchanged), every leaf of any tree proves
to the root, and any change to the leaf, its index, the tree's size or the path does not.

The independent verifier (verifier/gawe_verify/formats.py) checks a path with RFC 9162
§2.1.3.2's algorithm, written apart from the platform's: on every generated input, the two give
the same root, or both refuse the path."""

from __future__ import annotations

import functools
import hashlib
import json

from gawe_verify import formats
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import trail

LEAF = st.binary(min_size=32, max_size=32)
TREES = st.lists(LEAF, min_size=1, max_size=300)


def both(leaf: bytes, index, size, path) -> tuple[str | None, str | None]:
    """(servicekit's root, the verifier's root), None for a path refused (ValueError)."""
    found = []
    for check in (trail.root_from_proof, formats.root_from_proof):
        try:
            found.append(check(leaf, index, size, path))
        except ValueError:
            found.append(None)
    return found[0], found[1]


LEAVES = [hashlib.sha256(bytes([i % 256, i // 256])).digest() for i in range(130)]


@functools.cache
def mth(start: int, end: int) -> bytes:
    """RFC 6962's MTH(D[start:end]) over LEAVES, by its recursive definition."""
    if end - start == 1:
        return LEAVES[start]
    k = 1 << ((end - start - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(start, start + k) + mth(start + k, end)).digest()


def rfc6962_path(start: int, end: int, index: int) -> list[bytes]:
    """PATH(m, D[start:end]) as RFC 6962 §2.1.1 defines it: k the largest power of two smaller
    than n; the sibling subtree's MTH last."""
    if end - start == 1:
        return []
    k = 1 << ((end - start - 1).bit_length() - 1)
    if index < k:
        return rfc6962_path(start, start + k, index) + [mth(start + k, end)]
    return rfc6962_path(start + k, end, index - k) + [mth(start, start + k)]


def test_the_audit_path_is_rfc_6962s_for_every_leaf_of_every_tree_up_to_130():
    for size in range(1, 131):
        tree = LEAVES[:size]
        levels = trail.merkle_levels(tree)
        assert levels[-1][0] == mth(0, size)
        assert levels[-1][0].hex() == trail.merkle_root(tree) == formats.merkle_root(tree)
        for index in range(size):
            path = trail.audit_path(levels, index)
            assert path == [p.hex() for p in rfc6962_path(0, size, index)], (size, index)
            assert len(path) <= (size - 1).bit_length()
        assert trail.inclusion_proof(tree, size - 1) == trail.audit_path(levels, size - 1)


@settings(max_examples=150, deadline=None)
@given(TREES)
def test_every_leaf_of_a_random_tree_proves_to_its_root(leaves):
    root = trail.merkle_root(leaves)
    levels = trail.merkle_levels(leaves)
    for index, leaf in enumerate(leaves):
        path = trail.audit_path(levels, index)
        assert both(leaf, index, len(leaves), path) == (root, root)


@settings(max_examples=300, deadline=None)
@given(st.lists(LEAF, min_size=1, max_size=120, unique=True), st.data())
def test_a_changed_leaf_index_or_path_does_not_prove(leaves, data):
    """Each change leads to another root or is refused, alike by both. A changed size alone
    may still lead to the root (a path does not say how many leaves there are): the verifier
    holds `size` to the signed header's `heads`."""
    size, root = len(leaves), trail.merkle_root(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    leaf, path = leaves[index], trail.inclusion_proof(leaves, index)
    assert both(leaf, index, size, path) == (root, root)
    outside = data.draw(st.sampled_from([-1, size, size + 5]), label="outside")
    changes = {
        "leaf": (
            data.draw(LEAF.filter(lambda x: x not in leaves), label="leaf"),
            index,
            size,
            path,
        ),
        "index outside": (leaf, outside, size, path),
        "a step added": (leaf, index, size, path + [data.draw(LEAF, label="added").hex()]),
    }
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
        changes["index"] = (leaf, other, size, path)
        changes["leaf of another index"] = (leaves[other], index, size, path)
    if path:
        step = data.draw(st.integers(0, len(path) - 1), label="step")
        flipped = path[step][:-1] + ("0" if path[step][-1] != "0" else "1")
        changes["a step changed"] = (leaf, index, size, path[:step] + [flipped] + path[step + 1 :])
        changes["a step dropped"] = (leaf, index, size, path[:step] + path[step + 1 :])
        changes["not hex"] = (leaf, index, size, path[:step] + ["zz" * 32] + path[step + 1 :])
    if len(path) > 1:
        changes["reversed"] = (leaf, index, size, path[::-1])
    for what, changed in changes.items():
        ours, theirs = both(*changed)
        assert ours == theirs, what  # the platform and the verifier agree
        assert ours != root, what
    resized = data.draw(st.integers(index + 1, 2 * size + 2).filter(lambda n: n != size))
    assert len(set(both(leaf, index, resized, path))) == 1


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000), st.data())
def test_both_agree_on_paths_of_any_shape_for_large_trees(size, data):
    """Any index, any size, any path length (mostly refused): the same root or both refuse."""
    index = data.draw(st.integers(-2, size + 2), label="index")
    path = data.draw(st.lists(LEAF.map(bytes.hex), max_size=16), label="path")
    leaf = data.draw(LEAF, label="leaf")
    ours, theirs = both(leaf, index, size, path)
    assert ours == theirs


def test_a_proof_for_a_digest_of_20000_heads_is_fifteen_hashes():
    """What the transparency service answers for one chain of a digest holding 20,000 heads:
    the audit path is at most 15 hashes (64 hex digits each), the whole answer about 1.5 kB
    with the digest's signed header, against the 1.7 MB of the digest's heads."""
    heads = [
        {
            "chain": f"proposals/SO-2027-{i:06d}",
            "seq": 6,
            "hash": hashlib.sha256(b"%d" % i).hexdigest(),
        }
        for i in range(20_000)
    ]
    leaves = [trail.leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
    levels = trail.merkle_levels(leaves)
    root = levels[-1][0].hex()
    assert root == trail.heads_root(heads)
    lengths = {len(trail.audit_path(levels, i)) for i in range(0, 20_000, 97)} | {
        len(trail.audit_path(levels, 19_999))
    }
    assert max(lengths) == 15 == (20_000 - 1).bit_length()
    index = 12_345
    answer = {
        "date": "2027-01-20",
        "chain": heads[index]["chain"],
        "seq": 6,
        "hash": heads[index]["hash"],
        "index": index,
        "size": 20_000,
        "path": trail.audit_path(levels, index),
        "root": root,
    }
    assert trail.root_from_proof(leaves[index], index, 20_000, answer["path"]) == root
    bare = len(json.dumps(answer))
    header = {
        "version": 1,
        "date": "2027-01-20",
        "period_start": "2027-01-19T17:00:00.000000Z",
        "period_end": "2027-01-20T17:00:00.000000Z",
        "previous": "0" * 64,
        "root": root,
        "heads": 20_000,
        "issued": "2027-01-20T17:05:01.000000Z",
        "key_id": "0123456789abcdef",
    }
    signed = len(json.dumps(answer | {"digest": header, "signature": "A" * 86 + "=="}))
    assert 15 * 64 < bare < 1_400 and signed < 1_900
    assert len(json.dumps(heads)) > 1_000 * signed
