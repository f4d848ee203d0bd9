"""A report's change as the public timeline and the bus record it: a new status with its note
and deadline, the timeline's entry (staff shown as their agency, a reporter as "Pelapor") and
the status_changed event, and the private audit log's entry with what the timeline leaves out.
Shared by the steps outside the lifecycle table (forwarding, recategorising, the reporter's
answer by email)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.complaints import audit, store
from services.complaints.contract import STATUS_CHANGED
from services.complaints.desk import Desk
from services.complaints.models import Report, TimelineEntry
from services.complaints.sla import due_for
from services.complaints.views import event_facts

UNCHANGED = object()  # record: the deadline did not change


@dataclass(frozen=True)
class By:
    """Who made the change: as the timeline shows them, their user id (private, for audit), and
    the agency the event names (None for the reporter)."""

    label: str
    user_id: int | None
    agency: str | None


def move(
    desk: Desk,
    report: Report,
    status: str,
    action: str,
    text: str,
    now: datetime,
    by: By,
    detail: dict | None = None,
) -> None:
    """The report enters `status` now: its note, its stage's deadline, then `record`."""
    previous, due_before = report.status, report.due_at
    report.status = status
    report.updated_at = report.stage_since = now
    report.status_note = text
    report.due_at = due_for(desk.rules.sla, status, now)
    record(desk, report, action, previous, text, now, by, detail, due_before)


def record(
    desk: Desk,
    report: Report,
    action: str,
    previous: str,
    text: str,
    now: datetime,
    by: By,
    detail: dict | None = None,
    due_before: object = UNCHANGED,
) -> None:
    """The public timeline's entry and the status_changed event of a change already made, and
    its audit entry: `detail` is what only the audit log keeps (agencies, categories, the
    reporter's answer); `due_before` the deadline before a `move` (else it did not change)."""
    store.add_timeline(
        desk.db,
        report,
        TimelineEntry(
            report_id=report.id,
            at=now,
            action=action,
            from_status=previous,
            to_status=report.status,
            actor_label=by.label,
            actor_user_id=by.user_id,
            note=text,
        ),
    )
    desk.outbox.add(
        STATUS_CHANGED,
        **event_facts(report),
        from_status=previous,
        action=action,
        note=text,
        actor_agency=by.agency,
    )
    due_before = report.due_at if due_before is UNCHANGED else due_before
    change = audit.status_change(report, previous, text, due_before, by.label)
    store.append_audit(desk.db, report, action, desk.actor, change | (detail or {}), now)
