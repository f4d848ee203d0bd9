"""The dashboard's answers: who may ask, and the summary of the read model.

The leaders' summary (role `leader`, and admins) and the public one (`/angka`) are the same
figures; the leaders' adds the open reports past their deadline (public ids, category, agency,
kecamatan, days late: reports are public, their reporters are not in the read model at all).

A summary is computed from the read model's rows (a few thousand at most) and kept per process
for the read model's version and the current minute, so a page view or a live update costs a
version check and a dictionary look-up; it never asks another service.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import select

from servicekit.errors import Forbidden
from servicekit.payloads import load
from services.complaints.contract import STATUS_LABELS as REPORT_STATUS_LABELS
from services.dashboard import figures
from services.dashboard.contract import SummaryQuerySchema, SummarySchema
from services.dashboard.models import Jobcard, Letter, Proposal, Report
from services.dashboard.readmodel import state
from services.jobcards.contract import STATUS_LABELS as JOBCARD_STATUS_LABELS
from services.proposals.contract import STAGE_LABELS

READERS = ("leader", "admin")
OVERDUE_LISTED = 10
_cache: dict[tuple, dict] = {}
_cache_lock = threading.Lock()


def require_reader(actor) -> None:
    """The leaders' dashboard: the role `leader` and admins; anyone else is refused."""
    actor.require_login()
    if not actor.has_role(*READERS):
        raise Forbidden("Dasbor hanya untuk pimpinan daerah dan admin.", {"roles": list(READERS)})


def leaders(session, actor, query: dict | None) -> dict:
    """The leaders' figures (role leader and admins), as SummarySchema."""
    require_reader(actor)
    params = load(SummaryQuerySchema(), query or {})
    return SummarySchema().dump(summary(session, params["budget_year"]))


def for_everyone(session, query: dict | None) -> dict:
    """The same figures for anyone, without the list of late reports."""
    params = load(SummaryQuerySchema(), query or {})
    return SummarySchema().dump(summary(session, params["budget_year"], public=True))


def version(session) -> dict:
    found = state(session)
    return {"version": found.version}


def summary(session, budget_year: int | None = None, public: bool = False, now=None) -> dict:
    now = now or datetime.now(UTC)
    current = state(session)
    key = (
        current.version,
        current.last_rebuild_at,
        budget_year,
        public,
        now.strftime("%Y%m%d%H%M"),
    )
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    computed = _compute(session, current, budget_year, public, now)
    with _cache_lock:
        _cache.clear()  # one version at a time is ever asked for
        _cache[key] = computed
    return computed


def _compute(session, current, budget_year, public: bool, now: datetime) -> dict:
    reports = list(session.scalars(select(Report)))
    proposal_rows = list(session.scalars(select(Proposal)))
    jobcard_rows = list(session.scalars(select(Jobcard)))
    letter_rows = list(session.scalars(select(Letter)))
    if budget_year is None:
        years = [p.budget_year for p in proposal_rows]
        budget_year = max(years) if years else now.year
    result = {
        "generated_at": now,
        "public": public,
        "freshness": {
            "version": current.version,
            "last_event_at": current.last_event_at,
            "last_applied_at": current.last_applied_at,
            "last_rebuild_at": current.last_rebuild_at,
        },
        "complaints": figures.complaints(reports, now, REPORT_STATUS_LABELS),
        "proposals": figures.proposals(proposal_rows, budget_year, STAGE_LABELS),
        "jobcards": figures.jobcards(jobcard_rows, JOBCARD_STATUS_LABELS),
        "letters": figures.letters(letter_rows),
        "trends": figures.trends(reports, proposal_rows, jobcard_rows, letter_rows, now),
        "overdue_reports": [],
    }
    if not public:
        late = sorted((r for r in reports if figures.is_overdue(r, now)), key=lambda r: r.due_at)
        result["overdue_reports"] = [
            {
                "public_id": r.public_id,
                "category": r.category_name,
                "agency": r.agency,
                "kecamatan": r.kecamatan_name,
                "days_late": (now - r.due_at).days,
            }
            for r in late[:OVERDUE_LISTED]
        ]
    return result
