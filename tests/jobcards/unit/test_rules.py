"""The pure rules of Kartu Kuning, and the sweep on a real SQLite session."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.errors import Conflict, Invalid
from services.jobcards import cards, rules
from services.jobcards.applications import today
from services.jobcards.bench import _body
from services.jobcards.contract import LAPSED_EVENT, REMINDER_EVENT, ApplicationCreateSchema
from services.jobcards.desk import Desk, JobcardRules, load_rules
from services.jobcards.models import Application, Base

TODAY = date(2026, 11, 23)


def test_the_nik_tells_birth_date_and_gender():
    assert rules.nik_facts("3604051204990001", TODAY) == rules.NikFacts(date(1999, 4, 12), "L")
    assert rules.nik_facts("3604055204050001", TODAY) == rules.NikFacts(date(2005, 4, 12), "P")
    assert rules.nik_facts("3604053204990001", TODAY) is None  # 32 April


def test_identity_is_cross_checked_and_adults_only():
    assert rules.identity_problems("3604051204990001", date(1999, 4, 12), "L", TODAY) == {}
    wrong = rules.identity_problems("3604051204990001", date(1999, 4, 13), "P", TODAY)
    assert set(wrong) == {"birth_date", "gender"}
    young = rules.identity_problems("3604052311090001", date(2009, 11, 23), "L", TODAY)
    assert "18 tahun" in young["birth_date"][0]
    assert rules.identity_problems("3604052311080001", date(2008, 11, 23), "L", TODAY) == {}
    assert rules.age_on(date(2008, 11, 24), TODAY) == 17


def test_card_numbers_validity_and_reports():
    assert rules.card_number(2026, 42) == "AK1-3604-2026-000042"
    assert rules.valid_until(date(2024, 2, 29)) == date(2026, 2, 28)
    assert rules.next_report_due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert rules.reminders_due(TODAY + timedelta(days=7), TODAY, (30, 7)) == 2
    assert rules.reminders_due(TODAY + timedelta(days=8), TODAY, (30, 7)) == 1
    assert rules.reminders_due(TODAY + timedelta(days=31), TODAY, (30, 7)) == 0


@pytest.mark.parametrize(
    ("status", "until", "state"),
    [
        ("approved", TODAY, "valid"),
        ("approved", TODAY - timedelta(days=1), "expired"),
        ("lapsed", TODAY, "lapsed"),
        ("closed", TODAY, "closed"),
        ("submitted", None, "unknown"),
        (None, None, "unknown"),
    ],
)
def test_what_the_public_verification_says(status, until, state):
    assert rules.verify_state(status, until, TODAY) == state


def test_initials_only():
    assert rules.initials("siti  nur Aminah") == "S. N. A."


def test_officers_decide_only_submitted_applications_and_drafts_need_documents():
    assert rules.plan("approve", "submitted").target == "approved"
    assert rules.plan("return", "submitted").target == "returned"
    with pytest.raises(Conflict):
        rules.plan("reject", "approved")
    with pytest.raises(Invalid) as missing:
        rules.check_submittable("draft", {"ktp"})
    assert "ijazah" in str(missing.value.errors)
    with pytest.raises(Conflict):
        rules.check_submittable("submitted", set(rules.REQUIRED_DOCUMENTS))


def test_the_bench_body_is_a_valid_application():
    body = ApplicationCreateSchema().load(_body(7))
    assert rules.identity_problems(body["nik"], body["birth_date"], body["gender"], TODAY) == {}
    assert load_rules({"JOBCARDS_REMINDER_DAYS": "7,30"}).reminder_days == (30, 7)


class Recorder:
    def __init__(self):
        self.events = []

    def add(self, event_type, **payload):
        self.events.append((event_type, payload))


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'jobcards.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def card(session, due: date, status: str = "approved") -> Application:
    now = datetime.now(UTC)
    application = Application(
        applicant_user_id=5,
        status=status,
        nik="3604051204990001",
        name="Budi",
        birth_place="Serang",
        birth_date=date(1999, 4, 12),
        gender="L",
        address="Jl. Raya",
        education_level="sma",
        graduation_year=2017,
        skills=[],
        training=[],
        work_wanted="Operator",
        card_number=f"AK1-3604-2026-{session.query(Application).count() + 1:06d}",
        issued_on=due - timedelta(days=180),
        valid_until=due + timedelta(days=500),
        report_due=due,
        reminders_sent=0,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    session.flush()
    return application


def test_the_sweep_reminds_once_per_reminder_and_lapses_what_is_overdue(session):
    on = today()
    soon, overdue, far = (
        card(session, on + timedelta(days=5)),
        card(session, on - timedelta(days=1)),
        card(session, on + timedelta(days=90)),
    )
    outbox = Recorder()
    desk = Desk(session, Actor(), JobcardRules(reminder_days=(30, 7)), outbox, places=None)

    assert cards.sweep(desk) == {"reminded": 1, "lapsed": 1}
    assert cards.sweep(desk) == {"reminded": 0, "lapsed": 0}  # a second replica finds nothing

    kinds = [(kind, payload["application_id"]) for kind, payload in outbox.events]
    assert kinds == [(LAPSED_EVENT, overdue.id), (REMINDER_EVENT, soon.id)]
    session.refresh(overdue)
    session.refresh(soon)
    session.refresh(far)
    assert (overdue.status, soon.reminders_sent, far.reminders_sent) == ("lapsed", 2, 0)
    for _, payload in outbox.events:
        assert "nik" not in payload and "3604051204990001" not in str(payload)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0812 3456 7890", "081234567890"),
        ("+62 812-3456-7890", "081234567890"),
        ("6281234567890", "081234567890"),
        ("(0254) 200.123", "0254200123"),
    ],
)
def test_a_phone_is_kept_as_digits_however_it_is_typed(typed, kept):
    from services.jobcards.contract import PhoneNumber

    assert PhoneNumber().deserialize(typed) == kept


@pytest.mark.parametrize("typed", ["12345", "0812-ABC-7890", "+1 555 0100 0000 0000 00"])
def test_a_phone_that_is_no_number_is_refused_in_words(typed):
    from marshmallow import ValidationError

    from services.jobcards.contract import PhoneNumber

    with pytest.raises(ValidationError, match="Nomor telepon"):
        PhoneNumber().deserialize(typed)
