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


# National holidays and collective leave 2026 (SKB 3 Menteri): the days that are not working
# days besides weekends (complaints' deadlines, the dashboard's working days to resolve).
NATIONAL_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2026-01-01",
        "2026-01-16",
        "2026-02-17",
        "2026-03-19",
        "2026-03-20",
        "2026-03-23",
        "2026-04-03",
        "2026-05-01",
        "2026-05-14",
        "2026-05-27",
        "2026-05-31",
        "2026-06-01",
        "2026-06-16",
        "2026-08-17",
        "2026-08-25",
        "2026-12-25",
    )
)


def tanggal(day: date) -> str:
    """A date in words: `17 Agustus 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
