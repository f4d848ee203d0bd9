"""The private, tamper-evident audit log of a report (issue 17), chained as proposals' is, by
servicekit.audit_log: each entry's hash is SHA-256 over a canonical JSON of its content (report,
seq, time, action, who exactly acted, the details) and the previous entry's hash, so a changed,
removed or inserted entry breaks every hash after it; the report row keeps the head hash, so
dropping the last entries shows too. No API edits entries; `verify_chain` recomputes.

What an entry keeps that the public timeline leaves out: the acting account (user id, roles,
agency), the deadline before and after, the agencies, units and categories before and after,
moderation with its reason, the photos' stored keys, the reporter's answer. The reporter's
contact details never enter it in clear: only `fingerprint`s of them (SHA-256 of the values),
which someone holding the values can prove and nobody reads the values from.

What the entries say is made here (pure); store.append_audit writes them, auditing.py reads them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from servicekit import audit_log
from servicekit.audit_log import Verdict

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
OWNER = "report_id"


def entry_hash(*, report_id: int, at: datetime, **fields) -> str:
    return audit_log.entry_hash(owner=OWNER, owner_id=report_id, at=at, **fields)


def verify_chain(entries: list, head: str | None) -> Verdict:
    """Recompute the chain of one report's entries (ordered by seq) against the stored head."""
    return audit_log.verify_chain(entries, head, OWNER)


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
