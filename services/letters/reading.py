"""Reading letters: the agency's archive, one letter, its scan, and the blob keys."""

from __future__ import annotations

from servicekit.errors import NotFound
from servicekit.payloads import load
from services.letters import rules, store, views
from services.letters.contract import LetterPageSchema, LetterQuerySchema, ScanFileSchema
from services.letters.desk import Desk


def list_letters(desk: Desk, query: dict | None) -> dict:
    """Search over the caller's agency's archive: only what they may see, overdue first."""
    rules.require_staff(desk.actor)
    params = load(LetterQuerySchema(), query, "Parameter pencarian tidak valid.")
    on = rules.today()
    letters, total = store.search(desk.db, desk.actor, params, on)
    return LetterPageSchema().dump(
        {
            "items": [views.summary(letter, on) for letter in letters],
            "page": params["page"],
            "per_page": params["per_page"],
            "total": total,
        }
    )


def get_letter(desk: Desk, letter_id: int) -> dict:
    letter = rules.visible(store.get_letter(desk.db, letter_id), desk.actor)
    return views.detail(letter, desk.actor, rules.today())


def get_scan(desk: Desk, letter_id: int) -> dict:
    """Where the scan is, for whoever may see the letter (a rahasia letter's too)."""
    letter = rules.visible(store.get_letter(desk.db, letter_id), desk.actor)
    if letter.scan_key is None:
        raise NotFound("Surat ini belum memiliki pindaian.")
    filename = "surat-" + letter.agenda_number.replace("/", "-") + ".pdf"
    return ScanFileSchema().dump(
        {"blob_key": letter.scan_key, "content_type": "application/pdf", "filename": filename}
    )
