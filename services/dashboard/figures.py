"""The dashboard's figures from its read model's rows: plain functions, no database, no bus.

Every figure is a count or a sum over many records; nothing names a person. Working days are
Monday to Friday in WIB, less the national holidays (servicekit.dates), as complaints counts
its deadlines.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from servicekit.dates import NATIONAL_HOLIDAYS

WIB = ZoneInfo("Asia/Jakarta")
WEEKS = 12
RESOLVED_STATUSES = frozenset({"resolved", "closed"})


def working_days(start: datetime, end: datetime, holidays=NATIONAL_HOLIDAYS) -> int:
    """Working days after the day of `start` up to and including the day of `end` (WIB): a
    report fixed on the day it was filed took 0, one fixed the next working day 1."""
    day, last = start.astimezone(WIB).date(), end.astimezone(WIB).date()
    counted = 0
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return counted


def median_working_days(reports: Iterable, holidays=NATIONAL_HOLIDAYS) -> float | None:
    """The median working days from filing to resolution of the resolved (or closed) reports;
    None when none is."""
    days = [
        working_days(r.requested_at, r.resolved_at, holidays)
        for r in reports
        if r.status in RESOLVED_STATUSES and r.resolved_at is not None
    ]
    return float(statistics.median(days)) if days else None


def is_overdue(report, now: datetime) -> bool:
    return bool(report.is_open and report.due_at is not None and report.due_at < now)


def overdue_by_agency(reports: Iterable, now: datetime) -> list[dict]:
    """Per agency: its open reports, how many are past their deadline, and that share (0..1)."""
    open_count: Counter = Counter()
    late: Counter = Counter()
    for report in reports:
        if report.is_open:
            open_count[report.agency] += 1
            late[report.agency] += is_overdue(report, now)
    return [
        {
            "agency": agency,
            "open": count,
            "overdue": late[agency],
            "share": round(late[agency] / count, 4),
        }
        for agency, count in sorted(open_count.items())
    ]


def week_start(moment: datetime) -> date:
    """The Monday (WIB) of the week `moment` is in."""
    day = moment.astimezone(WIB).date()
    return day - timedelta(days=day.weekday())


def weekly(moments: Iterable[datetime | None], now: datetime, weeks: int = WEEKS) -> list[dict]:
    """How many of `moments` fall in each of the last `weeks` weeks (WIB, Monday first), the
    current week last; older and future ones are not counted."""
    current = week_start(now)
    starts = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts = Counter(week_start(m) for m in moments if m is not None)
    return [{"week_start": s.isoformat(), "count": counts.get(s, 0)} for s in starts]


def complaints(reports: list, now: datetime, status_labels: dict) -> dict:
    by_status = Counter(r.status for r in reports)
    categories: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    for r in reports:
        c = categories.setdefault(
            r.category, {"code": r.category, "label": r.category_name, "count": 0, "open": 0}
        )
        code = r.kecamatan_code or "-"
        a = areas.setdefault(
            code,
            {"code": code, "label": r.kecamatan_name or "Tanpa kecamatan", "count": 0, "open": 0},
        )
        for row in (c, a):
            row["count"] += 1
            row["open"] += int(r.is_open)
    overdue = sum(is_overdue(r, now) for r in reports)
    open_count = sum(r.is_open for r in reports)
    return {
        "total": len(reports),
        "open": open_count,
        "overdue": overdue,
        "overdue_share": round(overdue / open_count, 4) if open_count else 0.0,
        "resolved": sum(r.status in RESOLVED_STATUSES for r in reports),
        "median_working_days_to_resolve": median_working_days(reports),
        "by_status": [
            {"code": code, "label": label, "count": by_status.get(code, 0)}
            for code, label in status_labels.items()
        ],
        "by_category": sorted(categories.values(), key=lambda x: (-x["count"], x["label"])),
        "by_kecamatan": sorted(areas.values(), key=lambda x: (-x["count"], x["label"])),
        "overdue_by_agency": overdue_by_agency(reports, now),
    }


AMOUNTS = ("requested", "recommended", "approved", "disbursed")


def _amounts(rows: list) -> dict:
    return {
        "count": len(rows),
        **{
            f"{name}_amount": sum(getattr(r, f"{name}_amount") or 0 for r in rows)
            for name in AMOUNTS
        },
    }


def proposals(rows: list, budget_year: int | None, stage_labels: dict) -> dict:
    """Serang Open for one budget year: by stage and by agency, each with its amounts."""
    years = sorted({r.budget_year for r in rows})
    chosen = [r for r in rows if r.budget_year == budget_year]
    by_stage: dict[str, list] = defaultdict(list)
    by_agency: dict[str, list] = defaultdict(list)
    for r in chosen:
        by_stage[r.stage].append(r)
        by_agency[r.agency].append(r)
    return {
        "budget_year": budget_year,
        "budget_years": years,
        "totals": _amounts(chosen),
        "by_stage": [
            {"code": code, "label": label, **_amounts(by_stage[code])}
            for code, label in stage_labels.items()
            if code in by_stage
        ],
        "by_agency": [{"agency": a, **_amounts(by_agency[a])} for a in sorted(by_agency)],
    }


def jobcards(rows: list, status_labels: dict) -> dict:
    by_status = Counter(r.status for r in rows)
    return {
        "total": len(rows),
        "issued": sum(r.issued_at is not None for r in rows),
        "by_status": [
            {"code": code, "label": label, "count": by_status.get(code, 0)}
            for code, label in status_labels.items()
            if by_status.get(code)
        ],
    }


def letters(rows: list) -> dict:
    by_agency: dict[str, dict] = {}
    for r in rows:
        row = by_agency.setdefault(
            r.agency, {"agency": r.agency, "registered": 0, "completed": 0, "open": 0}
        )
        row["registered"] += 1
        row["completed"] += r.completed_at is not None
        row["open"] += r.completed_at is None
    return {
        "registered": len(rows),
        "completed": sum(r.completed_at is not None for r in rows),
        "open": sum(r.completed_at is None for r in rows),
        "dispositions_open": sum(max(0, r.dispositions_given - r.dispositions_done) for r in rows),
        "by_agency": [by_agency[a] for a in sorted(by_agency)],
    }


def trends(reports: list, proposal_rows: list, jobcard_rows: list, letter_rows: list, now) -> list:
    """Weekly counts over the last twelve weeks, one series per fact."""
    series = (
        ("reports_filed", "Laporan pengaduan masuk", (r.requested_at for r in reports)),
        ("reports_resolved", "Laporan selesai dikerjakan", (r.resolved_at for r in reports)),
        (
            "proposals_submitted",
            "Usulan Serang Open diajukan",
            (p.submitted_at for p in proposal_rows),
        ),
        ("jobcards_issued", "Kartu Kuning terbit", (j.issued_at for j in jobcard_rows)),
        ("letters_registered", "Surat masuk tercatat", (s.registered_at for s in letter_rows)),
    )
    return [
        {"key": key, "label": label, "weeks": weekly(moments, now)}
        for key, label, moments in series
    ]
