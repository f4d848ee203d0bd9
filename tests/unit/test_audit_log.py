"""The shared private audit chain (servicekit.audit_log) hashes exactly as the proposals' and the
complaints' logs did before they shared it: entries written by earlier releases still verify.

The expected hashes are recomputed here from the documented recipe (SHA-256 of the canonical
JSON of the content, the owner's id under its own column name), not by the module under test.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from servicekit.audit_log import GENESIS, entry_hash, verify_chain
from services.complaints import audit as complaints_audit
from services.proposals import audit as proposals_audit

AT = datetime(2027, 1, 20, 3, 4, 5, 678901, tzinfo=UTC)


def recipe(owner: str, owner_id: int, seq: int, data: dict, prev: str) -> str:
    content = {
        owner: owner_id,
        "seq": seq,
        "at": AT.isoformat(timespec="microseconds"),
        "action": "verify",
        "actor_user_id": 7,
        "actor_roles": ["officer", "verifier"],
        "actor_agency": "DPUPR",
        "data": data,
        "prev_hash": prev,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


FIELDS = dict(
    seq=1,
    at=AT,
    action="verify",
    actor_user_id=7,
    actor_roles=["verifier", "officer"],  # sorted before hashing
    actor_agency="DPUPR",
    data={"catatan": "Jalan berlubang — sudah dicek"},
    prev_hash=GENESIS,
)


@pytest.mark.parametrize(
    ("owner", "app_hash"),
    [
        ("proposal_id", lambda **f: proposals_audit.entry_hash(proposal_id=41, **f)),
        ("report_id", lambda **f: complaints_audit.entry_hash(report_id=41, **f)),
    ],
)
def test_each_apps_entries_hash_as_the_recipe_says(owner, app_hash):
    expected = recipe(owner, 41, 1, FIELDS["data"], GENESIS)
    assert app_hash(**FIELDS) == expected
    assert entry_hash(owner=owner, owner_id=41, **FIELDS) == expected


def chain(owner: str, n: int) -> list[SimpleNamespace]:
    entries, previous = [], GENESIS
    for seq in range(1, n + 1):
        data = {"langkah": seq}
        digest = recipe(owner, 3, seq, data, previous)
        entries.append(
            SimpleNamespace(
                **{owner: 3},
                seq=seq,
                at=AT,
                action="verify",
                actor_user_id=7,
                actor_roles=["officer", "verifier"],
                actor_agency="DPUPR",
                data=data,
                prev_hash=previous,
                hash=digest,
            )
        )
        previous = digest
    return entries


@pytest.mark.parametrize("owner", ["proposal_id", "report_id"])
def test_verify_chain_finds_each_kind_of_break(owner):
    entries = chain(owner, 4)
    assert verify_chain(entries, entries[-1].hash, owner).ok
    # an owner id moved: the entry no longer matches its hash
    moved = chain(owner, 4)
    setattr(moved[1], owner, 4)
    assert verify_chain(moved, moved[-1].hash, owner).as_dict() == {
        "ok": False,
        "entries": 4,
        "broken_at": 2,
        "reason": "isi entri telah diubah",
    }
    # the last entry dropped: the head kept on the row gives it away
    dropped = verify_chain(entries[:-1], entries[-1].hash, owner)
    assert (dropped.ok, dropped.broken_at, dropped.reason) == (False, 4, "entri terakhir hilang")
    # a middle entry removed: the sequence breaks
    gap = verify_chain(entries[:1] + entries[2:], entries[-1].hash, owner)
    assert (gap.ok, gap.broken_at, gap.reason) == (False, 2, "urutan entri terputus")
