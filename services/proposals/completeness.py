"""Is each item of a proposal's checklist there, and valid? Pure rules over plain values (no
I/O): the service gathers what the proposal and its organisation's profile hold.

An item of the proposal's own (surat permohonan, RAB, ...) counts once uploaded to it. A
standing document (akta, SK, NPWP, KTP ketua, domisili) comes from the organisation's profile:
it counts while its version there holds, that is, has not expired and does not end before the
proposal's budget year begins. A copy uploaded to the proposal itself before the profile held
the kind still counts, so no proposal filed the old way loses what it had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from servicekit.dates import tanggal
from services.proposals.contract.catalogue import STANDING_KINDS

PROPOSAL, PROFILE = "proposal", "profile"
NOT_UPLOADED = "Belum diunggah pada usulan ini."
NOT_ON_PROFILE = "Belum ada di profil lembaga; unggah di halaman profil pemohon."


@dataclass(frozen=True)
class Held:
    """A version of a standing document on the organisation's profile."""

    kind: str
    document_id: int
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True)
class Item:
    doc_type: str
    source: str  # PROPOSAL or PROFILE
    satisfied: bool
    reason: str | None  # why it does not count, in words
    held: Held | None = None  # the profile's version it rests on (or that does not hold)
    copy: bool = False  # a standing document counted from a copy uploaded to the proposal


def problem(held: Held, today: date, budget_year: int | None = None) -> str | None:
    """Why a standing document's version does not hold (today, or for `budget_year`)."""
    end = held.valid_until
    if end is None:
        return None
    if end < today:
        return (
            f"Sudah tidak berlaku (berlaku sampai {tanggal(end)}); unggah yang baru di profil "
            "lembaga."
        )
    if budget_year is not None and end < date(budget_year, 1, 1):
        return (
            f"Berlaku sampai {tanggal(end)}, sebelum tahun anggaran {budget_year} dimulai; "
            "unggah yang berlaku di profil lembaga."
        )
    return None


def assess(
    required: tuple[str, ...],
    uploaded: frozenset[str],
    held: dict[str, Held],
    budget_year: int,
    today: date,
) -> list[Item]:
    """Each required document, in order: whether it counts, from where, and why not."""
    items = []
    for code in required:
        kind = STANDING_KINDS.get(code)
        if kind is None:
            there = code in uploaded
            items.append(Item(code, PROPOSAL, there, None if there else NOT_UPLOADED))
            continue
        version = held.get(code)
        why = problem(version, today, budget_year) if version else NOT_ON_PROFILE
        if why is None:
            items.append(Item(code, PROFILE, True, None, version))
        elif any(copy in uploaded for copy in kind.copies):
            items.append(Item(code, PROFILE, True, None, version, copy=True))
        else:
            items.append(Item(code, PROFILE, False, why, version))
    return items


def used_versions(items: list[Item]) -> list[Held]:
    """The profile's versions a proposal rests on: those that count, not its own copies."""
    return [i.held for i in items if i.satisfied and not i.copy and i.held is not None]
