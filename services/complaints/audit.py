"""The private, tamper-evident audit log of a report (issue 17), chained as proposals' is
(services/proposals/audit.py): each entry's hash is SHA-256 over a canonical JSON of its content
(report, seq, time, action, who exactly acted, the details) and the previous entry's hash, so a
changed, removed or inserted entry breaks every hash after it; the report row keeps the head
hash, so dropping the last entries shows too. No API edits entries; `verify_chain` recomputes.

What an entry keeps that the public timeline leaves out: the acting account (user id, roles,
agency), the deadline before and after, the agencies, units and categories before and after,
moderation with its reason, the photos' stored keys, the reporter's answer. The reporter's
contact details never enter it in clear: only `fingerprint`s of them (SHA-256 of the values),
which someone holding the values can prove and nobody reads the values from.

Pure: no database, no service; store.append_audit writes entries, auditing.py reads them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from servicekit.trail import GENESIS, canonical

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def entry_hash(
    *,
    report_id: int,
    seq: int,
    at: datetime,
    action: str,
    actor_user_id: int | None,
    actor_roles: list[str],
    actor_agency: str | None,
    data: dict,
    prev_hash: str,
) -> str:
    content = {
        "report_id": report_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "action": action,
        "actor_user_id": actor_user_id,
        "actor_roles": sorted(actor_roles or []),
        "actor_agency": actor_agency,
        "data": data or {},
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical(content)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    broken_at: int | None = None  # seq of the first entry that does not verify
    reason: str | None = None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "broken_at": self.broken_at,
            "reason": self.reason,
        }


def verify_chain(entries: list, head: str | None) -> Verdict:
    """Recompute the chain of one report's entries (ordered by seq) against the stored head."""
    previous = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return Verdict(False, len(entries), expected_seq, "urutan entri terputus")
        if entry.prev_hash != previous:
            return Verdict(False, len(entries), entry.seq, "hash entri sebelumnya tidak cocok")
        recomputed = entry_hash(
            report_id=entry.report_id,
            seq=entry.seq,
            at=entry.at,
            action=entry.action,
            actor_user_id=entry.actor_user_id,
            actor_roles=entry.actor_roles,
            actor_agency=entry.actor_agency,
            data=entry.data,
            prev_hash=entry.prev_hash,
        )
        if recomputed != entry.hash:
            return Verdict(False, len(entries), entry.seq, "isi entri telah diubah")
        previous = entry.hash
    if (head or GENESIS) != previous:
        return Verdict(False, len(entries), len(entries) + 1, "entri terakhir hilang")
    return Verdict(True, len(entries))


# --- what the entries say -----------------------------------------------------------------


def fingerprint(values: dict) -> str:
    """SHA-256 of the values (as proposals' applicants.fingerprint): an auditor holding them
    can prove them; the log does not show them."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def when(moment: datetime | None) -> str | None:
    """A time as the log keeps it: UTC, ISO 8601 (a deadline is made in WIB, read back in UTC)."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def filed(report, api_client_id: int | None) -> dict:
    """A new report: where it went and by which way; of the reporter's contact details only
    which were given and their fingerprint (the account, if any, is the entry's actor)."""
    contact = {name: getattr(report, name) for name in CONTACT_FIELDS}
    given = sorted(name for name, value in contact.items() if value)
    return {
        "to_status": report.status,
        "category": report.category_code,
        "agency": report.agency_code,
        "unit": report.unit,
        "kecamatan": report.kecamatan_code,
        "desa": report.desa_code,
        "source": report.source,
        "api_client_id": api_client_id,
        "reporter": "akun" if report.reporter_user_id is not None else "tanpa akun",
        "contact_given": given,
        "contact_sha256": fingerprint(contact) if given else None,
        "description_sha256": fingerprint({"description": report.description}),
        "due_at": when(report.due_at),
    }


def status_change(report, previous: str | None, note: str | None, due_before, label: str) -> dict:
    """A change of status (or one made in place): both ends, the note, the deadline before and
    after, and how the public timeline names the actor."""
    return {
        "from_status": previous,
        "to_status": report.status,
        "note": note,
        "due_at": {"from": when(due_before), "to": when(report.due_at)},
        "shown_as": label,
    }
