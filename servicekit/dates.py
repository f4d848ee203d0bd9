"""Dates as people in Kabupaten Serang read them: "17 Agustus 2026" (plain data, no service code)."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: date) -> str:
    """A date in words: `17 Agustus 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
