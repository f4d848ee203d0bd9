"""Lifecycle and SLA rules of a report that `make mutation` (docs/testing.md) showed no test
noticed changing: a verifier of the agency acts too, what each refusal says, a reason that is
missing altogether, Saturdays, the day in WIB, the last second of the deadline, and which
deadline each status has."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.complaints.contract.statuses import STATUS_LABELS, STATUSES, TRANSITIONS
from services.complaints.lifecycle import authorize, plan
from services.complaints.sla import WIB, SlaPolicy, due_for

VERIFIER_DPUPR = Actor(user_id=9, roles=frozenset({"verifier"}), agency="DPUPR")
OFFICER_DINSOS = Actor(user_id=8, roles=frozenset({"officer"}), agency="DINSOS")
REPORTER = Actor(user_id=42, roles=frozenset({"citizen"}))
NO_HOLIDAYS = SlaPolicy(holidays=frozenset())


# --- who may move a report, and whether it may move -----------------------------------------


@pytest.mark.parametrize("action", ["verify", "forward", "start", "resolve", "close"])
def test_a_verifier_of_the_reports_agency_takes_the_staff_steps(action):
    authorize(TRANSITIONS[action], VERIFIER_DPUPR, "DPUPR", reporter_user_id=42)


def test_every_refusal_says_why_and_another_agency_is_told_whose_report_it_is():
    with pytest.raises(Forbidden) as citizen:
        authorize(TRANSITIONS["verify"], REPORTER, "DPUPR", reporter_user_id=42)
    with pytest.raises(Forbidden) as other_agency:
        authorize(TRANSITIONS["verify"], OFFICER_DINSOS, "DPUPR", reporter_user_id=42)
    with pytest.raises(Forbidden) as not_reporter:
        authorize(TRANSITIONS["reopen"], REPORTER, "DPUPR", reporter_user_id=41)
    for refused in (citizen, other_agency, not_reporter):
        assert refused.value.message
    assert other_agency.value.errors == {"agency": ["DPUPR"]}


def test_an_unknown_step_lists_the_steps_there_are():
    with pytest.raises(Invalid) as found:
        plan("delete", "submitted", note=None)
    assert found.value.message
    [choices] = found.value.errors["action"]
    assert all(action in choices for action in TRANSITIONS)


def test_a_step_out_of_order_names_the_status_and_exactly_the_statuses_it_needs():
    with pytest.raises(Conflict) as found:
        plan("mark_duplicate", "in_progress", note=None)
    assert STATUS_LABELS["in_progress"] in found.value.message
    [needed] = found.value.errors["status"]
    named = needed.removeprefix("Harus berstatus: ").removesuffix(".").split(", ")
    assert set(named) == {STATUS_LABELS[s] for s in TRANSITIONS["mark_duplicate"].sources}


@pytest.mark.parametrize("action", sorted(a for a, t in TRANSITIONS.items() if t.note_required))
def test_a_step_that_needs_a_reason_is_refused_without_any(action):
    status = next(s for s in STATUSES if s in TRANSITIONS[action].sources)
    with pytest.raises(Invalid) as found:
        plan(action, status, note=None)
    assert found.value.message
    assert list(found.value.errors) == ["note"] and found.value.errors["note"][0]


# --- deadlines in working days --------------------------------------------------------------


def test_only_monday_to_friday_are_working_days():
    week = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]  # Monday to Sunday
    assert [NO_HOLIDAYS.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_a_deadline_counts_from_the_day_in_wib_not_in_utc():
    # Monday 23 Nov 2026, 18:00 UTC is Tuesday 01:00 in WIB: one working day later is Wednesday.
    due = NO_HOLIDAYS.deadline(datetime(2026, 11, 23, 18, 0, tzinfo=UTC), 1)
    assert due.astimezone(WIB).date() == date(2026, 11, 25)


def test_a_deadline_is_the_last_second_of_its_day_in_wib():
    due = NO_HOLIDAYS.deadline(datetime(2026, 11, 26, 3, 0, tzinfo=UTC), 1)  # Thursday
    assert due.astimezone(WIB).date() == date(2026, 11, 27)
    assert due.astimezone(WIB).time() == time(23, 59, 59)
    assert NO_HOLIDAYS.deadline(datetime(2026, 11, 26, 3, 0, tzinfo=UTC), 2).astimezone(
        WIB
    ).date() == date(2026, 11, 30)  # over the weekend to Monday


def test_each_open_status_has_its_own_deadline_and_the_others_none():
    policy = SlaPolicy(verify_days=1, response_days=2, resolve_days=4, holidays=frozenset())
    since = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
    due = {s: due_for(policy, s, since) for s in STATUSES}
    assert due["submitted"].astimezone(WIB).date() == date(2026, 11, 24)
    assert due["forwarded"].astimezone(WIB).date() == date(2026, 11, 25)
    assert due["in_progress"].astimezone(WIB).date() == date(2026, 11, 27)
    assert {s for s, d in due.items() if d is None} == set(STATUSES) - {
        "submitted",
        "forwarded",
        "in_progress",
    }
