"""The pure rules of Kartu Kuning: what a NIK says, who is old enough, card numbers, validity,
report deadlines, what the public verification says. No database, no bus."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from servicekit.errors import Conflict, Invalid
from services.jobcards.contract import (
    APPROVED,
    CARD_PREFIX,
    CLOSED,
    DRAFT,
    LAPSED,
    REJECTED,
    RETURNED,
    SUBMITTED,
)

MIN_AGE = 18
VALID_YEARS = 2
REPORT_MONTHS = 6
REQUIRED_DOCUMENTS = ("ktp", "ijazah", "pas_foto")
EDITABLE = frozenset({DRAFT, RETURNED})


@dataclass(frozen=True)
class NikFacts:
    birth_date: date
    gender: str  # "L" or "P"


def nik_facts(nik: str, today: date) -> NikFacts | None:
    """Birth date and gender written in a NIK (women's day of birth + 40); the two-digit year
    is the latest century that does not put the birth in the future. None if unreadable."""
    try:
        day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    except (ValueError, IndexError):
        return None
    gender = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        born = date(century + year, month, day)
    except ValueError:
        return None
    if born > today:
        born = date(born.year - 100, month, day)
    return NikFacts(born, gender)


def age_on(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def identity_problems(nik: str, birth_date: date, gender: str, today: date) -> dict:
    """Per field, why the identity does not hold together: the NIK's birth date and gender
    against the form's, and the age (18 or over)."""
    problems: dict[str, list[str]] = {}
    facts = nik_facts(nik, today)
    if facts is None:
        return {"nik": ["Tanggal lahir pada NIK tidak valid."]}
    if facts.birth_date != birth_date:
        problems["birth_date"] = ["Tanggal lahir tidak sesuai dengan NIK."]
    if facts.gender != gender:
        problems["gender"] = ["Jenis kelamin tidak sesuai dengan NIK."]
    if age_on(birth_date, today) < MIN_AGE:
        problems.setdefault("birth_date", []).append(
            f"Pencari kerja harus berusia paling sedikit {MIN_AGE} tahun."
        )
    return problems


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def card_number(year: int, application_id: int) -> str:
    """AK1-3604-<year>-<six digits>: the digits are the application's own id, so two officers
    approving different applications at once never draw the same number."""
    return f"{CARD_PREFIX}-{year:04d}-{application_id % 1_000_000:06d}"


def valid_until(issued_on: date) -> date:
    return add_months(issued_on, 12 * VALID_YEARS)


def next_report_due(since: date) -> date:
    return add_months(since, REPORT_MONTHS)


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str


def plan(action: str, status: str) -> Transition:
    """What an officer's action does from the application's status; 409 from any other."""
    targets = {"approve": APPROVED, "return": RETURNED, "reject": REJECTED}
    if status != SUBMITTED:
        raise Conflict(
            "Hanya permohonan yang menunggu pemeriksaan yang dapat diputuskan.",
            {"status": [status]},
        )
    return Transition(action, SUBMITTED, targets[action])


def check_submittable(status: str, present_types: set[str]) -> None:
    if status not in EDITABLE:
        raise Conflict("Permohonan ini sudah diajukan atau sudah diputuskan.", {"status": [status]})
    missing = [t for t in REQUIRED_DOCUMENTS if t not in present_types]
    if missing:
        raise Invalid(
            "Dokumen belum lengkap.",
            {"documents": [f"Unggah dahulu: {', '.join(missing)}."]},
        )


def check_reportable(status: str, valid_until_: date | None, today: date) -> None:
    if status not in (APPROVED, LAPSED):
        raise Conflict("Hanya kartu yang diterbitkan yang dapat dilapori.", {"status": [status]})
    if valid_until_ is not None and valid_until_ < today:
        raise Conflict("Masa berlaku kartu sudah habis.", {"valid_until": [str(valid_until_)]})


def reminders_due(report_due: date, today: date, reminder_days: tuple[int, ...]) -> int:
    """How many of the reminders (days before the deadline) have been reached by today."""
    left = (report_due - today).days
    return sum(1 for days in reminder_days if left <= days)


def verify_state(status: str | None, valid_until_: date | None, today: date) -> str:
    """What the public verification says of a card in this status."""
    if status is None or status not in (APPROVED, LAPSED, CLOSED):
        return "unknown"
    if status == CLOSED:
        return "closed"
    if valid_until_ is not None and valid_until_ < today:
        return "expired"
    return "lapsed" if status == LAPSED else "valid"


def initials(name: str) -> str:
    """ "Siti Nur Aminah" -> "S. N. A.": all the public may know of a holder's name."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())
