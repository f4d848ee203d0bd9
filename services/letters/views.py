"""What a caller sees of a letter: dumped with the contract's schemas."""

from __future__ import annotations

from datetime import date

from servicekit.context import Actor
from services.letters import rules
from services.letters.contract import (
    CLASSIFICATIONS,
    DISPOSITION_STATUSES,
    LETTER_STATUSES,
    OPEN,
    LetterSchema,
)
from services.letters.models import Disposition, Letter


def _disposition(d: Disposition, on: date) -> dict:
    return {
        "id": d.id,
        "parent_id": d.parent_id,
        "from_user_id": d.from_user_id,
        "from_name": d.from_name,
        "to_user_id": d.to_user_id,
        "to_name": d.to_name,
        "instruction": d.instruction,
        "note": d.note,
        "due_date": d.due_date,
        "status": d.status,
        "status_label": DISPOSITION_STATUSES[d.status],
        "overdue": rules.is_overdue(d, on),
        "report": d.report,
        "created_at": d.created_at,
        "completed_at": d.completed_at,
    }


def _facts(letter: Letter, on: date) -> dict:
    open_dues = [d.due_date for d in letter.dispositions if d.status == OPEN]
    return {
        "id": letter.id,
        "agency": letter.agency,
        "agenda_number": letter.agenda_number,
        "sender": letter.sender,
        "letter_number": letter.letter_number,
        "letter_date": letter.letter_date,
        "received_date": letter.received_date,
        "subject": letter.subject,
        "classification": letter.classification,
        "classification_label": CLASSIFICATIONS[letter.classification],
        "status": letter.status,
        "status_label": LETTER_STATUSES[letter.status],
        "has_scan": letter.scan_key is not None,
        "overdue": any(rules.is_overdue(d, on) for d in letter.dispositions),
        "next_due_date": min(open_dues) if open_dues else None,
        "registered_by": letter.registered_by,
        "registered_at": letter.registered_at,
        "completed_at": letter.completed_at,
    }


def summary(letter: Letter, on: date) -> dict:
    """A list's line (not dumped yet: LetterPageSchema dumps the page)."""
    return _facts(letter, on)


def detail(letter: Letter, actor: Actor, on: date) -> dict:
    """The letter with its dispositions, overdue ones first, and what the caller may do."""
    dispositions = sorted(letter.dispositions, key=lambda d: (not rules.is_overdue(d, on), d.id))
    facts = _facts(letter, on) | {
        "summary": letter.summary,
        "dispositions": [_disposition(d, on) for d in dispositions],
        "may_dispose": rules.may_dispose(letter, actor),
        "my_open_dispositions": [d.id for d in rules.open_dispositions_of(letter, actor.user_id)],
    }
    return LetterSchema().dump(facts)


def event_facts(letter: Letter) -> dict:
    """What every letters event says of the letter: ids and codes, none of its text."""
    return {
        "letter_id": letter.id,
        "agency": letter.agency,
        "agenda_number": letter.agenda_number,
        "classification": letter.classification,
    }
