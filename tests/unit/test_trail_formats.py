"""The public trails' format has two implementations that must never disagree (issue #17): the
platform's (servicekit.trail, which writes the chains and the digests' roots) and the
independent verifier's (verifier/gawe_verify/formats.py, written from docs/transparency.md with
the standard library alone, and faster per entry). On many generated inputs (non-ASCII text,
quotes and control characters, no heads, odd counts) both give the same bytes and hashes, and
judge the same chains the same way."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from gawe_verify import formats
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import trail

TEXT = st.text(max_size=40)  # any code point but lone surrogates: non-ASCII, quotes, controls
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=25,
)
HEADS = st.lists(
    st.fixed_dictionaries(
        {"chain": TEXT, "seq": st.integers(min_value=1, max_value=10**9), "hash": HEX}
    ),
    max_size=70,
    unique_by=lambda head: head["chain"],  # a digest has one head per chain
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_canonical_json_and_the_data_hash_are_the_same_bytes(value):
    assert formats.canonical(value) == trail.canonical(value)
    if isinstance(value, dict):
        assert formats.data_hash(value) == trail.data_hash(value)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=0, max_value=2**63), TEXT, TEXT, TEXT)
def test_an_entry_hash_written_directly_is_the_canonical_ones(chain, seq, at, data_hash, prev):
    assert formats.entry_hash(chain, seq, at, data_hash, prev) == trail.entry_hash(
        chain, seq, at, data_hash, prev
    )


def test_the_documented_examples_and_edge_cases():
    assert formats.GENESIS == trail.GENESIS == "0" * 64
    assert formats.merkle_root([]) == trail.merkle_root([]) == formats.EMPTY_ROOT
    assert formats.EMPTY_ROOT.startswith("e3b0c442")
    chain, at = "complaints/SRG-2026-000042", "2027-01-20T03:00:00.000000Z"
    data = {"to": "selesai", "note": "Jalan di Desa Pontang sudah diperbaiki — “tuntas”"}
    assert formats.data_hash(data) == trail.data_hash(data)
    digest = trail.data_hash(data)
    assert formats.entry_hash(chain, 1, at, digest, trail.GENESIS) == trail.entry_hash(
        chain, 1, at, digest, trail.GENESIS
    )


@settings(max_examples=200, deadline=None)
@given(HEADS, st.randoms(use_true_random=False))
def test_the_merkle_root_of_heads_is_the_same_in_any_order_given(heads, shuffler):
    shuffled = list(heads)
    shuffler.shuffle(shuffled)
    assert formats.heads_root(shuffled) == trail.heads_root(shuffled) == trail.heads_root(heads)
    leaves = [formats.leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
    assert leaves == [trail.leaf_hash(h["chain"], h["seq"], h["hash"]) for h in heads]
    assert formats.merkle_root(leaves) == trail.merkle_root(leaves)


def test_the_merkle_roots_agree_for_every_count_up_to_a_few_hundred():
    """Every shape of tree (powers of two, one more, one less, odd counts at every level)."""
    leaves = [trail.leaf_hash(f"proposals/SO-2027-{i:06d}", i, "ab" * 32) for i in range(300)]
    for count in range(301):
        assert formats.merkle_root(leaves[:count]) == trail.merkle_root(leaves[:count]), count


def written(chain: str, datas: list, withheld: bool = False) -> list[dict]:
    """A chain as the platform writes it (servicekit.trail) and publishes it (as_public)."""
    entries, prev = [], trail.GENESIS
    at = datetime(2027, 1, 20, 3, tzinfo=UTC)
    for seq, data in enumerate(datas, start=1):
        at_text, digest = trail.at_text(at + timedelta(minutes=seq)), trail.data_hash(data)
        entry_hash = trail.entry_hash(chain, seq, at_text, digest, prev)
        entries.append(
            {
                "seq": seq,
                "at": at_text,
                "data": None if withheld else data,
                "data_hash": digest,
                "prev": prev,
                "hash": entry_hash,
            }
        )
        prev = entry_hash
    return entries


SMALL_JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=4)
CHAINS = st.tuples(TEXT, st.lists(st.dictionaries(TEXT, SMALL_JSON, max_size=3), max_size=6))
FIELDS = ("seq", "at", "data", "data_hash", "prev", "hash")


@settings(max_examples=200, deadline=None)
@given(CHAINS, st.booleans(), st.randoms(use_true_random=False))
def test_both_judge_a_chain_and_any_one_change_to_it_alike(
    chain_datas, withheld, rnd: random.Random
):
    chain, datas = chain_datas
    entries = written(chain, datas, withheld)
    assert trail.check_chain(chain, entries).ok
    assert formats.recompute(chain, entries).broken_at is None
    assert formats.recompute(chain, entries).hashes == [e["hash"] for e in entries]
    if not entries:
        return
    changed = [dict(e) for e in entries]
    victim, field = rnd.randrange(len(changed)), rnd.choice(FIELDS)
    changed[victim][field] = _other(changed[victim][field], rnd)
    theirs, ours = trail.check_chain(chain, changed), formats.recompute(chain, changed)
    assert theirs.broken_at == ours.broken_at == victim + 1


def _other(value, rnd: random.Random):
    if isinstance(value, int):
        return value + rnd.choice((1, -1, 7))
    if isinstance(value, str):
        return value[:-1] + ("0" if value[-1:] != "0" else "1")
    if isinstance(value, dict):
        return value | {"diubah": rnd.random()}
    return {"diubah": True}  # data was withheld (None): now some data that is not its hash
