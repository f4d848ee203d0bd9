"""The dashboard's figure rules without a platform: working days, the median time to resolve,
the share overdue by agency, weekly trends; and the read model fed twice or out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from servicekit.events import make_event
from services.dashboard import figures, readmodel
from services.dashboard.models import Base, Report, State
from services.dashboard.rebuild import refill


def at(day: str, hour: int = 2) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def report(status="submitted", agency="DPUPR", requested="2026-03-02", resolved=None, due=None):
    return SimpleNamespace(
        status=status,
        agency=agency,
        is_open=status in ("submitted", "verified", "forwarded", "in_progress"),
        requested_at=at(requested),
        resolved_at=at(resolved) if resolved else None,
        due_at=due,
    )


def test_working_days_skip_weekends_and_national_holidays():
    assert figures.working_days(at("2026-03-02"), at("2026-03-02", 9)) == 0  # same day
    assert figures.working_days(at("2026-03-06"), at("2026-03-09")) == 1  # Friday to Monday
    # Wednesday 18 March to Tuesday 24 March 2026: 19, 20 and 23 March are holidays
    assert figures.working_days(at("2026-03-18"), at("2026-03-24")) == 1
    # the day is the WIB day: 23:30 WIB on Monday is still Monday
    assert figures.working_days(at("2026-03-02", 16), at("2026-03-03", 1)) == 1


def test_the_median_counts_resolved_and_closed_reports_only():
    reports = [
        report("resolved", requested="2026-03-02", resolved="2026-03-03"),  # 1
        report("closed", requested="2026-03-02", resolved="2026-03-06"),  # 4
        report("closed", requested="2026-03-02", resolved="2026-03-10"),  # 6
        report("in_progress", requested="2026-03-02"),
        report("forwarded", requested="2026-03-02", resolved="2026-03-04"),  # reopened: not counted
    ]
    assert figures.median_working_days(reports) == 4.0
    assert figures.median_working_days(reports[:2]) == 2.5
    assert figures.median_working_days([report()]) is None


def test_the_overdue_share_is_of_each_agencys_open_reports():
    now = at("2026-04-01")
    late, in_time = now - timedelta(days=1), now + timedelta(days=1)
    reports = [
        report("submitted", "DPUPR", due=late),
        report("forwarded", "DPUPR", due=in_time),
        report("in_progress", "DPUPR", due=late),
        report("in_progress", "DISHUB", due=in_time),
        report("resolved", "DISHUB", resolved="2026-03-30", due=late),  # not open: not counted
    ]
    assert figures.overdue_by_agency(reports, now) == [
        {"agency": "DISHUB", "open": 1, "overdue": 0, "share": 0.0},
        {"agency": "DPUPR", "open": 3, "overdue": 2, "share": 0.6667},
    ]


def test_weekly_counts_twelve_weeks_monday_first_in_wib():
    now = at("2026-04-01")  # a Wednesday
    weeks = figures.weekly([at("2026-03-30"), at("2026-03-29", 18), at("2025-01-01"), None], now)
    assert len(weeks) == 12 and weeks[-1] == {"week_start": "2026-03-30", "count": 2}
    assert weeks[0]["week_start"] == "2026-01-12" and sum(w["count"] for w in weeks) == 2


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


def report_event(event_type="complaints.report_created", status="submitted", **changes):
    facts = {
        "report_id": 7,
        "public_id": "LPR-7",
        "category": "jalan-rusak",
        "category_name": "Jalan rusak",
        "agency": "DPUPR",
        "status": status,
        "lat": -6.1,
        "lon": 106.1,
        "is_open": status in ("submitted", "verified"),
        "requested_at": at("2026-03-02"),
    }
    if event_type == "complaints.status_changed":
        facts |= {"from_status": "submitted", "action": "verify"}
    return make_event(event_type, **facts | changes)


def test_the_read_model_applies_an_event_once_and_keeps_the_newest_state(session):
    created = report_event()
    verified = report_event("complaints.status_changed", "verified")
    assert readmodel.apply(session, "complaints.status_changed", verified)
    assert readmodel.apply(session, "complaints.report_created", created)  # late, older
    assert not readmodel.apply(session, "complaints.report_created", created)  # again
    assert not readmodel.apply(session, "accounts.user_registered", {"event_id": "x"})
    row = session.get(Report, 7)
    assert row.status == "verified" and session.get(State, 1).version == 2


def test_a_refill_from_the_outboxes_gives_the_same_rows(session):
    events = [report_event(), report_event("complaints.status_changed", "verified")]
    types = ("complaints.report_created", "complaints.status_changed")
    for event_type, event in zip(types, events, strict=True):
        readmodel.apply(session, event_type, event)
    outbox = {
        "complaints": [
            ("complaints.report_created", events[0]),
            ("complaints.status_changed", events[1]),
        ]
    }
    counts = refill(session, lambda app, types: outbox.get(app, []))
    assert counts == {"events": 2, "applied": 2}
    assert session.get(Report, 7).status == "verified"
    assert session.get(State, 1).last_rebuild_at is not None
