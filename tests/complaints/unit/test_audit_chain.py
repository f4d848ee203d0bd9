"""The rules of a report's audit chain (services/complaints/audit.py), without a database: what
`verify_chain` catches, and what the entries keep of the reporter's contact details."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

from services.complaints.audit import (
    entry_hash,
    filed,
    fingerprint,
    status_change,
    verify_chain,
    when,
)

GENESIS = "0" * 64
START = datetime(2027, 1, 20, 3, 0, 0, 123456, tzinfo=UTC)


class Entry(SimpleNamespace):
    pass


def chain(length: int, report_id: int = 5) -> list[Entry]:
    entries, previous = [], GENESIS
    for seq in range(1, length + 1):
        content = dict(
            report_id=report_id,
            seq=seq,
            at=START + timedelta(minutes=seq),
            action=f"step{seq}",
            actor_user_id=seq,
            actor_roles=["officer"],
            actor_agency="DPUPR",
            data={"note": f"catatan {seq}"},
            prev_hash=previous,
        )
        entry = Entry(**content, hash=entry_hash(**content))
        entries.append(entry)
        previous = entry.hash
    return entries


def test_an_untouched_chain_verifies_against_its_head_and_an_empty_one_against_none():
    entries = chain(3)
    assert verify_chain(entries, entries[-1].hash).as_dict() == {
        "ok": True,
        "entries": 3,
        "broken_at": None,
        "reason": None,
    }
    assert verify_chain([], None).ok is True
    assert verify_chain([], "f" * 64).as_dict()["broken_at"] == 1  # a head without its entries


def test_each_kind_of_tampering_is_caught_at_the_first_entry_it_touches():
    entries = chain(4)
    head = entries[-1].hash

    changed = list(entries)
    changed[1] = Entry(**(vars(entries[1]) | {"data": {"note": "lain"}}))
    verdict = verify_chain(changed, head)
    assert (verdict.ok, verdict.broken_at, verdict.reason) == (False, 2, "isi entri telah diubah")

    actor = list(entries)
    actor[2] = Entry(**(vars(entries[2]) | {"actor_user_id": 99}))
    assert verify_chain(actor, head).broken_at == 3

    rehashed = list(changed)
    fields = {k: v for k, v in vars(changed[1]).items() if k != "hash"}
    rehashed[1] = Entry(**fields, hash=entry_hash(**fields))
    verdict = verify_chain(rehashed, head)
    assert (verdict.broken_at, verdict.reason) == (3, "hash entri sebelumnya tidak cocok")

    verdict = verify_chain(entries[:3], head)  # the last one dropped
    assert (verdict.broken_at, verdict.reason) == (4, "entri terakhir hilang")
    verdict = verify_chain([entries[0], *entries[2:]], head)  # one in the middle dropped
    assert (verdict.broken_at, verdict.reason) == (2, "urutan entri terputus")


def test_the_hash_binds_the_report_and_sorts_the_roles():
    [entry] = chain(1, report_id=5)
    [other] = chain(1, report_id=6)
    assert entry.hash != other.hash
    fields = {k: v for k, v in vars(entry).items() if k != "hash"}
    assert entry_hash(**fields | {"actor_roles": ["officer", "admin"]}) == entry_hash(
        **fields | {"actor_roles": ["admin", "officer"]}
    )


def report(**overrides):
    values = dict(
        status="submitted",
        category_code="jalan-rusak",
        agency_code="DPUPR",
        unit="UPT Wilayah I",
        kecamatan_code="36.04.05",
        desa_code="36.04.05.2001",
        source="web",
        reporter_user_id=None,
        contact_name="Euis Wiradilaga",
        contact_email="euis@surel-pribadi.example.id",
        contact_phone="081234500001",
        description="Jalan berlubang.",
        due_at=datetime(2027, 1, 22, 23, 59, 59, tzinfo=timezone(timedelta(hours=7))),
    )
    return SimpleNamespace(**(values | overrides))


def test_a_filing_keeps_the_contact_details_only_as_their_fingerprint():
    entry = filed(report(), None)
    text = json.dumps(entry)
    assert "Wiradilaga" not in text and "surel-pribadi" not in text and "0812345" not in text
    assert entry["contact_given"] == ["contact_email", "contact_name", "contact_phone"]
    values = {
        "contact_email": "euis@surel-pribadi.example.id",
        "contact_name": "Euis Wiradilaga",
        "contact_phone": "081234500001",
    }
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    assert entry["contact_sha256"] == digest == fingerprint(values)
    assert entry["reporter"] == "tanpa akun" and entry["due_at"] == "2027-01-22T16:59:59+00:00"
    nothing = filed(report(contact_name=None, contact_email=None, contact_phone=None), 3)
    assert (nothing["contact_given"], nothing["contact_sha256"]) == ([], None)
    assert nothing["api_client_id"] == 3


def test_a_status_change_keeps_both_deadlines_in_utc():
    wib = timezone(timedelta(hours=7))
    after = report(status="forwarded", due_at=datetime(2027, 2, 1, 23, 59, 59, tzinfo=wib))
    change = status_change(after, "verified", "catatan", None, "DPUPR")
    assert change == {
        "from_status": "verified",
        "to_status": "forwarded",
        "note": "catatan",
        "due_at": {"from": None, "to": "2027-02-01T16:59:59+00:00"},
        "shown_as": "DPUPR",
    }
    assert when(None) is None
