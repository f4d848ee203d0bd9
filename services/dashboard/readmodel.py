"""The read model, fed by the events in the apps' contracts (and refilled from their outboxes
by services.dashboard.rebuild): one row per report, proposal, job-card application and letter,
with public facts only.

Complaints, proposals and jobcards events carry the whole current state of their record, so a
row takes the facts of the newest event applied to it (`as_of`) and an older one arriving late
changes nothing; letters events are steps, counted once each. Every event is applied once, by
its `event_id`; each one applied moves the version the gateway's live pages watch.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from servicekit.database import is_postgres
from servicekit.events import read_event
from services.complaints.contract import EVENTS as REPORT_EVENT_SCHEMAS
from services.dashboard.models import (
    AppliedEvent,
    Jobcard,
    Letter,
    Proposal,
    Report,
    State,
)
from services.jobcards import contract as jobcards_contract
from services.letters import contract as letters_contract
from services.proposals.contract import ProposalStageChanged, ProposalSubmitted

REPORT_EVENTS = tuple(e.EVENT_TYPE for e in REPORT_EVENT_SCHEMAS)
PROPOSAL_EVENTS = (ProposalSubmitted.EVENT_TYPE, ProposalStageChanged.EVENT_TYPE)
JOBCARD_EVENTS = (
    jobcards_contract.SUBMITTED_EVENT,
    jobcards_contract.APPROVED_EVENT,
    jobcards_contract.RETURNED_EVENT,
    jobcards_contract.REJECTED_EVENT,
    jobcards_contract.REPORTED_EVENT,
    jobcards_contract.LAPSED_EVENT,
    jobcards_contract.CLOSED_EVENT,
)
LETTER_EVENTS = tuple(e.EVENT_TYPE for e in letters_contract.EVENTS)
CONSUMED = REPORT_EVENTS + PROPOSAL_EVENTS + JOBCARD_EVENTS + LETTER_EVENTS
SOURCES = {  # the app whose outbox holds each event, for the rebuild
    "complaints": REPORT_EVENTS,
    "proposals": PROPOSAL_EVENTS,
    "jobcards": JOBCARD_EVENTS,
    "letters": LETTER_EVENTS,
}
TABLES = (Report, Proposal, Jobcard, Letter, AppliedEvent)


def state(session, lock: bool = False) -> State:
    """The one state row (made on first use); `lock` holds it until commit, so that a rebuild
    and the event handler never interleave."""
    stmt = select(State).where(State.id == 1)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    found = session.scalars(stmt).first()
    if found is None:
        insert = (postgresql if is_postgres(session) else sqlite).insert(State)
        session.execute(insert.values(id=1, version=0).on_conflict_do_nothing())
        found = session.scalars(stmt).one()
    return found


def apply(session, event_type: str, payload: dict, now: datetime | None = None) -> bool:
    """Apply one event in `session`'s transaction; False when it was applied before or is
    not one the dashboard counts."""
    if event_type not in CONSUMED:
        return False
    event = read_event(event_type, payload)
    current = state(session, lock=True)  # orders concurrent handlers and a rebuild
    if session.get(AppliedEvent, event["event_id"]) is not None:
        return False
    occurred = event["occurred_at"]
    session.add(
        AppliedEvent(event_id=event["event_id"], event_type=event_type, occurred_at=occurred)
    )
    if event_type in REPORT_EVENTS:
        _report(session, event, occurred)
    elif event_type in PROPOSAL_EVENTS:
        _proposal(session, event, occurred)
    elif event_type in JOBCARD_EVENTS:
        _jobcard(session, event_type, event, occurred)
    else:
        _letter(session, event_type, event, occurred)
    session.flush()
    newest = current.last_event_at
    values = {"version": State.version + 1, "last_applied_at": now or datetime.now(UTC)}
    if newest is None or occurred > newest:
        values["last_event_at"] = occurred
    session.execute(update(State).where(State.id == 1).values(**values))
    return True


def _newer(row, occurred: datetime) -> bool:
    return row.as_of is None or occurred >= row.as_of


def _report(session, e: dict, occurred: datetime) -> None:
    row = session.get(Report, e["report_id"]) or Report(report_id=e["report_id"])
    if row.as_of is not None and not _newer(row, occurred):
        return
    row.public_id, row.category, row.category_name = (
        e["public_id"],
        e["category"],
        e["category_name"],
    )
    row.agency, row.status, row.is_open = e["agency"], e["status"], e["is_open"]
    row.kecamatan_code, row.kecamatan_name = e["kecamatan_code"], e["kecamatan_name"]
    row.requested_at, row.due_at, row.resolved_at = e["requested_at"], e["due_at"], e["resolved_at"]
    row.as_of = occurred
    session.add(row)


def _proposal(session, e: dict, occurred: datetime) -> None:
    row = session.get(Proposal, e["proposal_id"]) or Proposal(proposal_id=e["proposal_id"])
    if row.as_of is not None and not _newer(row, occurred):
        return
    row.kind, row.budget_year, row.agency = e["kind"], e["budget_year"], e["agency"]
    row.stage, row.stage_label = e["stage"], e["stage_label"]
    row.kecamatan_code, row.kecamatan_name = e["kecamatan_code"], e["kecamatan_name"]
    row.requested_amount = e["requested_amount"]
    row.recommended_amount = e["recommended_amount"]
    row.approved_amount = e["approved_amount"]
    row.disbursed_amount = e["disbursed_amount"]
    row.submitted_at = e["submitted_at"] or row.submitted_at or occurred
    row.as_of = occurred
    session.add(row)


def _jobcard(session, event_type: str, e: dict, occurred: datetime) -> None:
    row = session.get(Jobcard, e["application_id"]) or Jobcard(application_id=e["application_id"])
    if event_type == jobcards_contract.SUBMITTED_EVENT and row.submitted_at is None:
        row.submitted_at = occurred
    if event_type == jobcards_contract.APPROVED_EVENT:
        row.issued_at = occurred
    if row.as_of is None or _newer(row, occurred):
        row.status, row.kecamatan_code, row.as_of = e["status"], e["kecamatan_code"], occurred
    session.add(row)


def _letter(session, event_type: str, e: dict, occurred: datetime) -> None:
    row = session.get(Letter, e["letter_id"]) or Letter(
        letter_id=e["letter_id"], dispositions_given=0, dispositions_done=0
    )
    row.agency = e["agency"]
    if event_type == letters_contract.LETTER_REGISTERED:
        row.registered_at = occurred
    elif event_type == letters_contract.DISPOSITION_GIVEN:
        row.dispositions_given = (row.dispositions_given or 0) + 1
    elif event_type == letters_contract.DISPOSITION_COMPLETED:
        row.dispositions_done = (row.dispositions_done or 0) + 1
    elif event_type == letters_contract.LETTER_COMPLETED:
        row.completed_at = occurred
    session.add(row)


def empty(session) -> None:
    """Forget everything (the first step of a rebuild, in its transaction)."""
    state(session, lock=True)
    for table in TABLES:
        session.execute(delete(table))
