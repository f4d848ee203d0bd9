"""Dispositions: the head's instructions to staff, passed down by recipients, completed by each
recipient with a report; the letter is done when every disposition is."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from servicekit.errors import Invalid
from servicekit.payloads import load
from services.letters import rules, store, views
from services.letters.contract import (
    COMPLETED,
    DISPOSITION_COMPLETED,
    DISPOSITION_GIVEN,
    DONE,
    IN_PROGRESS,
    LETTER_COMPLETED,
    OPEN,
    DispositionCompleteSchema,
    DispositionCreateSchema,
    PageQuerySchema,
    RecipientPageSchema,
)
from services.letters.desk import Desk
from services.letters.models import Disposition

log = logging.getLogger(__name__)


def _staff(desk: Desk, agency: str) -> dict[int, dict]:
    """The active staff of the agency, by user id, asked of accounts (names and roles only are
    kept: their addresses are the notifications service's business)."""
    return {
        person["user_id"]: {
            "user_id": person["user_id"],
            "name": person.get("name") or "",
            "roles": sorted(person.get("roles") or []),
        }
        for person in desk.accounts.agency_staff(agency, None)
    }


def recipients(desk: Desk, query: dict | None) -> dict:
    """Staff of the caller's agency who may receive a disposition from them, by name."""
    agency = rules.require_staff(desk.actor)
    params = load(PageQuerySchema(), query)
    people = [p for uid, p in _staff(desk, agency).items() if uid != desk.actor.user_id]
    people.sort(key=lambda p: (p["name"].lower(), p["user_id"]))
    page, per_page = params["page"], params["per_page"]
    items = people[(page - 1) * per_page : page * per_page]
    return RecipientPageSchema().dump(
        {"items": items, "page": page, "per_page": per_page, "total": len(people)}
    )


def dispose(desk: Desk, letter_id: int, payload: dict) -> dict:
    """The head (or a recipient, passing their open disposition down) gives a disposition to
    one or more staff of the letter's agency; each recipient hears of it (DISPOSITION_GIVEN)."""
    letter = store.get_letter(desk.db, letter_id)
    parent = rules.disposing_parent(letter, desk.actor)
    data = load(DispositionCreateSchema(), payload)
    now = datetime.now(UTC)
    on = rules.today(now)
    if data["due_date"] < on:
        raise Invalid("Batas waktu tidak valid.", {"due_date": ["Batas waktu sudah lewat."]})
    staff = _staff(desk, letter.agency)
    wrong = [uid for uid in data["to_user_ids"] if uid not in staff or uid == desk.actor.user_id]
    if wrong:
        raise Invalid(
            "Penerima disposisi harus staf lain di perangkat daerah yang sama.",
            {"to_user_ids": [f"Bukan penerima yang sah: {', '.join(map(str, wrong))}."]},
        )
    giver = staff.get(desk.actor.user_id, {}).get("name") or "Kepala perangkat daerah"
    given = []
    for uid in data["to_user_ids"]:
        disposition = Disposition(
            letter_id=letter.id,
            parent_id=parent.id if parent is not None else None,
            from_user_id=desk.actor.user_id,
            from_name=giver,
            to_user_id=uid,
            to_name=staff[uid]["name"],
            instruction=data["instruction"],
            note=data["note"],
            due_date=data["due_date"],
            status=OPEN,
            created_at=now,
        )
        letter.dispositions.append(disposition)
        given.append(disposition)
    letter.status, letter.updated_at = IN_PROGRESS, now
    desk.db.flush()
    for disposition in given:
        desk.outbox.add(
            DISPOSITION_GIVEN,
            **views.event_facts(letter),
            disposition_id=disposition.id,
            parent_id=disposition.parent_id,
            from_user_id=disposition.from_user_id,
            recipient_user_id=disposition.to_user_id,
            instruction_code=rules.instruction_code(disposition.instruction),
            due_date=disposition.due_date.isoformat(),
        )
    log.info("letter disposed", extra={"letter_id": letter.id, "recipients": len(given)})
    return views.detail(letter, desk.actor, on)


def complete(desk: Desk, letter_id: int, disposition_id: int, payload: dict) -> dict:
    """A recipient reports and completes their disposition; the giver hears of it, and when it
    was the last open one the letter is done (LETTER_COMPLETED)."""
    letter = store.get_letter(desk.db, letter_id)
    disposition = store.get_disposition(desk.db, disposition_id)
    rules.check_complete(letter, disposition, desk.actor)
    data = load(DispositionCompleteSchema(), payload)
    now = datetime.now(UTC)
    disposition.status, disposition.report, disposition.completed_at = (
        COMPLETED,
        data["report"],
        now,
    )
    letter.status, letter.updated_at = rules.letter_status(letter.dispositions), now
    desk.db.flush()
    desk.outbox.add(
        DISPOSITION_COMPLETED,
        **views.event_facts(letter),
        disposition_id=disposition.id,
        from_user_id=disposition.from_user_id,
        recipient_user_id=disposition.to_user_id,
    )
    if letter.status == DONE:
        letter.completed_at = now
        desk.outbox.add(
            LETTER_COMPLETED, **views.event_facts(letter), registered_by=letter.registered_by
        )
    return views.detail(letter, desk.actor, rules.today(now))
