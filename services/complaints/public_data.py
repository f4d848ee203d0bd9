"""Open data of the complaints app (issue 16): the Atom feed of an area's public reports and
the public statistics. Public facts only (never a reporter, a contact or a staff member).

Statistics, over every filed report:
- reports per agency, per category and per month of filing (WIB);
- the median working days to resolve: from the day a report came in to the day the fix was
  reported done, counting working days (weekends and COMPLAINTS_HOLIDAYS excluded) as the SLA
  does;
- the share resolved within the SLA: resolved at most verify + response + resolve working days
  (the three stages' deadlines of the SLA policy, 3 + 5 + 30 by default) after coming in.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from statistics import median

from sqlalchemy import func, select

from servicekit.errors import Invalid, NotFound
from services.complaints.contract import STATUS_LABELS
from services.complaints.desk import Desk
from services.complaints.models import Category, Report
from services.complaints.sla import WIB, SlaPolicy

FEED_SIZE = 50
LEVELS = ("kecamatan", "desa")


def area_feed(desk: Desk, level: str, code: str) -> dict:
    """The newest public reports of a kecamatan or desa, with the area's name; 422 naming the
    parameter for a level or code the boundaries do not know."""
    if level not in LEVELS:
        raise Invalid("Pilih kecamatan atau desa.", {"kecamatan": ["Isi kecamatan atau desa."]})
    code = (code or "").strip()
    try:
        if not code or len(code) > 20:
            raise NotFound("kode kosong")
        name = desk.places.feature(level, code)["properties"]["nama"]
    except NotFound:
        raise Invalid(
            f"{level.capitalize()} tidak dikenal.",
            {level: [f"Tidak ada {level} dengan kode {code or '(kosong)'}."]},
        ) from None
    column = Report.kecamatan_code if level == "kecamatan" else Report.desa_code
    reports = desk.db.scalars(
        select(Report)
        .where(Report.public_id.is_not(None), Report.hidden_at.is_(None), column == code)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(FEED_SIZE)
    )
    return {
        "level": level,
        "code": code,
        "name": name,
        "entries": [
            {
                "public_id": r.public_id,
                "category_name": r.category.name,
                "status_label": STATUS_LABELS[r.status],
                "agency": r.agency_code,
                "desa": r.desa_name,
                "kecamatan": r.kecamatan_name,
                "description": r.description,
                "requested_at": r.created_at.isoformat(),
                "updated_at": r.updated_at.isoformat(),
            }
            for r in reports
        ],
    }


def statistics(desk: Desk) -> dict:
    """The public figures (see the module's docstring)."""
    db, policy = desk.db, desk.rules.sla
    by_agency = db.execute(
        select(Report.agency_code, func.count(Report.id))
        .where(Report.public_id.is_not(None))
        .group_by(Report.agency_code)
    ).all()
    by_category = db.execute(
        select(Category.code, Category.name, func.count(Report.id))
        .join(Report, Report.category_code == Category.code)
        .where(Report.public_id.is_not(None))
        .group_by(Category.code, Category.name)
    ).all()
    months: Counter[str] = Counter()
    for (created,) in db.execute(select(Report.created_at).where(Report.public_id.is_not(None))):
        months[created.astimezone(WIB).strftime("%Y-%m")] += 1
    resolved = db.execute(
        select(Report.created_at, Report.resolved_at).where(
            Report.public_id.is_not(None), Report.resolved_at.is_not(None)
        )
    ).all()
    sla_days = policy.verify_days + policy.response_days + policy.resolve_days
    days = [
        working_days(policy, created.astimezone(WIB).date(), done.astimezone(WIB).date())
        for created, done in resolved
    ]
    return {
        "total": sum(count for _, count in by_agency),
        "by_agency": sorted(
            ({"agency": a, "reports": n} for a, n in by_agency),
            key=lambda x: (-x["reports"], x["agency"]),
        ),
        "by_category": sorted(
            ({"category": c, "category_name": name, "reports": n} for c, name, n in by_category),
            key=lambda x: (-x["reports"], x["category"]),
        ),
        "by_month": [{"month": m, "reports": months[m]} for m in sorted(months)],
        "resolved": len(days),
        "median_working_days_to_resolve": median(days) if days else None,
        "sla_working_days": sla_days,
        "resolved_within_sla_share": (
            round(sum(1 for d in days if d <= sla_days) / len(days), 4) if days else None
        ),
        "as_of": datetime.now(UTC).isoformat(),
    }


def working_days(policy: SlaPolicy, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 on the same day)."""
    return _working_days(policy.holidays, start, end)


@lru_cache(maxsize=4096)
def _working_days(holidays: frozenset[date], start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count
