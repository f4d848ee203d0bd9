"""Registering an incoming letter and attaching its scan: the agency's clerk (tata usaha)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from servicekit.errors import Invalid
from servicekit.payloads import load
from services.letters import rules, store, views
from services.letters.contract import (
    LETTER_REGISTERED,
    NEW,
    LetterCreateSchema,
    ScanSchema,
    agenda_number,
)
from services.letters.desk import Desk
from services.letters.models import Letter

log = logging.getLogger(__name__)


def register(desk: Desk, payload: dict) -> dict:
    """The clerk registers a letter of their own agency; it gets the agency's next agenda
    number of the year it was received, and the head hears of it (LETTER_REGISTERED)."""
    agency = rules.require_clerk(desk.actor)
    data = load(LetterCreateSchema(), payload)
    now = datetime.now(UTC)
    on = rules.today(now)
    errors = {
        name: ["Tanggal tidak boleh setelah hari ini."]
        for name in ("letter_date", "received_date")
        if data[name] > on
    }
    if errors:
        raise Invalid("Tanggal surat tidak valid.", errors)
    year = data["received_date"].year
    sequence = store.next_sequence(desk.db, agency, year)
    letter = Letter(
        agency=agency,
        year=year,
        sequence=sequence,
        agenda_number=agenda_number(agency, year, sequence),
        sender=data["sender"],
        letter_number=data["letter_number"],
        letter_date=data["letter_date"],
        received_date=data["received_date"],
        subject=data["subject"],
        classification=data["classification"],
        summary=data["summary"],
        status=NEW,
        registered_by=desk.actor.user_id,
        registered_at=now,
        updated_at=now,
    )
    desk.db.add(letter)
    desk.db.flush()
    desk.outbox.add(
        LETTER_REGISTERED, **views.event_facts(letter), registered_by=letter.registered_by
    )
    log.info("letter registered", extra={"letter_id": letter.id, "agency": agency})
    return views.detail(letter, desk.actor, on)


def check_scan(desk: Desk, letter_id: int) -> None:
    """Whether the caller may attach a scan to the letter now; nothing changes. The gateway asks
    before it stores any file (attach_scan checks again)."""
    rules.check_scan(store.get_letter(desk.db, letter_id), desk.actor)


def attach_scan(desk: Desk, letter_id: int, scan: dict) -> dict:
    letter = store.get_letter(desk.db, letter_id)
    rules.check_scan(letter, desk.actor)
    data = load(ScanSchema(), scan)
    letter.scan_key, letter.scan_size = data["key"], data["size"]
    letter.updated_at = datetime.now(UTC)
    desk.db.flush()
    return views.detail(letter, desk.actor, rules.today())
