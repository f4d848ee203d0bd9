"""Who may do what with a letter, and what state it is in: rules only, no I/O.

- Only staff of an agency (an account bound to an agency, not a citizen) use letters at all,
  and only their own agency's: a letter of another agency does not exist for them (404).
- A `rahasia` letter is seen only by the clerk who registered it, the agency's head and the
  recipients of its dispositions.
- The agency's clerk registers letters and attaches their scans; its head disposes them to
  staff; a recipient may pass their open disposition down, and completes their own.
- A letter is new until disposed, in progress while a disposition is open, done when all are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, NotFound
from services.letters.contract import (
    CLERK,
    COMPLETED,
    DONE,
    HEAD,
    IN_PROGRESS,
    INSTRUCTIONS,
    NEW,
    OPEN,
    OTHER_INSTRUCTION,
    RAHASIA,
)

WIB = ZoneInfo("Asia/Jakarta")


def today(now: datetime | None = None) -> date:
    """The date in Kabupaten Serang (WIB): what due dates and received dates compare with."""
    return (now or datetime.now(UTC)).astimezone(WIB).date()


def require_staff(actor: Actor) -> str:
    """The caller's agency; anyone without one (citizens, admins, nobody) is refused."""
    actor.require_login()
    if not actor.agency or actor.has_role("citizen"):
        raise Forbidden(
            "Surat masuk hanya untuk staf perangkat daerah.",
            {"agency": ["Akun Anda tidak terikat pada perangkat daerah."]},
        )
    return actor.agency


def is_head(actor: Actor, agency: str) -> bool:
    return actor.has_role(HEAD) and actor.agency == agency


def recipients_of(letter) -> set[int]:
    return {d.to_user_id for d in letter.dispositions}


def may_see(letter, actor: Actor) -> bool:
    if not actor.is_authenticated or actor.agency != letter.agency or actor.has_role("citizen"):
        return False
    if letter.classification != RAHASIA:
        return True
    return (
        is_head(actor, letter.agency)
        or actor.user_id == letter.registered_by
        or actor.user_id in recipients_of(letter)
    )


def visible(letter, actor: Actor):
    """The letter if the caller may see it; else 404 (another agency's letter, or a rahasia
    letter, is not said to exist)."""
    require_staff(actor)
    if letter is None or not may_see(letter, actor):
        raise NotFound("Surat tidak ditemukan.")
    return letter


def require_clerk(actor: Actor) -> str:
    agency = require_staff(actor)
    actor.require_role(CLERK)
    return agency


def check_scan(letter, actor: Actor) -> None:
    """The agency's clerk who may see the letter attaches or replaces its scan until it is done."""
    visible(letter, actor)
    if not actor.has_role(CLERK):
        raise Forbidden(
            "Hanya tata usaha yang dapat mengunggah pindaian surat.",
            {"roles": [f"diperlukan: {CLERK}"]},
        )
    if letter.status == DONE:
        raise Conflict("Surat sudah selesai; pindaiannya tidak dapat diganti.", {"status": [DONE]})


def open_dispositions_of(letter, user_id: int | None) -> list:
    return [d for d in letter.dispositions if d.to_user_id == user_id and d.status == OPEN]


def may_dispose(letter, actor: Actor) -> bool:
    """The head of the letter's agency, or a recipient with an open disposition of it."""
    if letter.status == DONE or not may_see(letter, actor):
        return False
    return is_head(actor, letter.agency) or bool(open_dispositions_of(letter, actor.user_id))


def disposing_parent(letter, actor: Actor):
    """Check that the caller may dispose the letter now; the disposition they pass down (None
    for the head, who disposes on their own authority)."""
    visible(letter, actor)
    if letter.status == DONE:
        raise Conflict("Surat sudah selesai.", {"status": [DONE]})
    if is_head(actor, letter.agency):
        return None
    held = open_dispositions_of(letter, actor.user_id)
    if not held:
        raise Forbidden(
            "Hanya kepala perangkat daerah atau penerima disposisi yang dapat memberi disposisi.",
            {"roles": [f"diperlukan: {HEAD}, atau disposisi yang belum selesai"]},
        )
    return held[-1]


def check_complete(letter, disposition, actor: Actor) -> None:
    visible(letter, actor)
    if disposition is None or disposition.letter_id != letter.id:
        raise NotFound("Disposisi tidak ditemukan.")
    if disposition.to_user_id != actor.user_id:
        raise Forbidden(
            "Hanya penerima disposisi yang dapat menyelesaikannya.",
            {"disposition_id": ["Disposisi ini bukan untuk Anda."]},
        )
    if disposition.status == COMPLETED:
        raise Conflict("Disposisi sudah selesai.", {"status": [COMPLETED]})


def letter_status(dispositions) -> str:
    if not dispositions:
        return NEW
    return DONE if all(d.status == COMPLETED for d in dispositions) else IN_PROGRESS


def is_overdue(disposition, on: date) -> bool:
    return disposition.status == OPEN and disposition.due_date < on


def instruction_code(instruction: str) -> str:
    """The code an event carries: a usual instruction, or `lainnya` for free text (which stays
    in the service: an event carries no letter's text)."""
    lowered = instruction.strip().lower()
    return lowered if lowered in INSTRUCTIONS else OTHER_INSTRUCTION
