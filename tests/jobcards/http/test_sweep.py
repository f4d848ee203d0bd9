"""Kartu Kuning's sweep in the running platform: the jobcards service's own timer reminds a
holder before a report is due (once per reminder, however many sweeps run) and marks a card
not reported on in time lapsed (once); a report makes it active again. On PostgreSQL two
sweeps at once take different rows (SKIP LOCKED), so two replicas never remind twice."""

from __future__ import annotations

import contextlib
import itertools
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.containers import ServiceContainer
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.outbox import record_event
from services.jobcards import cards
from services.jobcards.applications import today
from services.jobcards.contract import LAPSED_EVENT, REMINDER_EVENT
from services.jobcards.desk import Desk, JobcardRules
from services.jobcards.models import Application, outbox
from tests.jobcards.support import BASE, nik_for, staff, submitted
from tests.notifications.conftest import FAST
from tests.support.factories import auth, login, register_citizen
from tests.support.waiting import wait_until

SWEEP_INTERVAL = 0.3


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        **FAST,
        "SERVICE_RPC_TIMEOUT": 3.0,
        "JOBCARDS_SWEEP_INTERVAL": SWEEP_INTERVAL,
        "JOBCARDS_REMINDER_DAYS": "30,7",
    }
    return {"service_config": config}


class Sweeps:
    """The jobcards service's sweep workers that finished while watched, and whether any
    raised (nameko's ServiceContainer._worker_result runs after the worker's commit)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.done = 0
        self.failed = 0

    def record(self, worker_ctx, exc_info) -> None:
        if worker_ctx.entrypoint.method_name != "sweep":
            return
        with self._lock:
            if exc_info:
                self.failed += 1
            else:
                self.done += 1

    def more(self, count: int = 3, timeout: float = 15) -> None:
        """Wait until `count` more sweeps finished (at least `count` - 1 began after this call,
        whole: one may have been under way)."""
        target = self.done + count
        wait_until(lambda: self.done >= target, timeout=timeout)
        assert self.failed == 0


@pytest.fixture(scope="module")
def sweeps(platform):
    watched = Sweeps()
    original = ServiceContainer._worker_result

    def _worker_result(container, worker_ctx, result, exc_info):
        try:
            return original(container, worker_ctx, result, exc_info)
        finally:
            if container.service_name == "jobcards":
                watched.record(worker_ctx, exc_info)

    ServiceContainer._worker_result = _worker_result
    try:
        yield watched
    finally:
        ServiceContainer._worker_result = original


@pytest.fixture(scope="module")
def engine(platform):
    engine = make_engine(platform.config["JOBCARDS_DATABASE_URL"])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def officer(platform, admin_token):
    return staff(platform.client, admin_token, "officer", "DISNAKER")


def holder_of_a_card(client, officer) -> dict:
    """A citizen whose application a DISNAKER officer approved: their card."""
    person = register_citizen(client)
    token = login(client, person["email"])
    application = submitted(client, token)
    approved = client.post(
        f"{BASE}/{application['id']}/transitions",
        json={"action": "approve", "note": None},
        headers=auth(officer),
    )
    assert approved.status_code == 200, approved.get_json()
    card = approved.get_json()
    assert card["status"] == "approved"
    assert date.fromisoformat(card["report_due"]) > today() + timedelta(days=150)
    return {
        "id": card["id"],
        "number": card["card_number"],
        "token": token,
        "email": person["email"],
    }


def set_due(engine, application_id: int, due: date) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Application).where(Application.id == application_id).values(report_due=due)
        )


def column(engine, application_id: int, name: str):
    with engine.connect() as conn:
        return conn.scalar(
            select(getattr(Application, name)).where(Application.id == application_id)
        )


def events(engine, event_type: str, application_id: int) -> list[dict]:
    """The events of this type the service recorded for the card (its outbox keeps them)."""
    with engine.connect() as conn:
        payloads = conn.scalars(
            select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
        ).all()
    return [p for p in payloads if p["application_id"] == application_id]


def mails(smtp, address: str, subject: str) -> list:
    return [m for m in smtp.to(address) if m["Subject"] == subject]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def inbox(client, token: str, subject: str) -> list[dict]:
    page = client.get("/api/v1/inbox", query_string={"per_page": 100}, headers=auth(token))
    assert page.status_code == 200, page.get_json()
    return [item for item in page.get_json()["items"] if item["subject"] == subject]


def test_the_timer_reminds_once_per_reminder_however_many_sweeps_run(
    client, smtp, engine, sweeps, officer
):
    card = holder_of_a_card(client, officer)
    subject = f"Saatnya melapor: Kartu Kuning {card['number']}"
    assert mails(smtp, card["email"], subject) == []

    due = today() + timedelta(days=20)  # within 30 days: the first reminder is due
    set_due(engine, card["id"], due)
    [mail] = wait_until(lambda: mails(smtp, card["email"], subject), timeout=20)
    assert "(20 hari lagi)" in body(mail) and card["number"] in body(mail)
    assert wait_until(lambda: inbox(client, card["token"], subject), timeout=20)

    sweeps.more(4)
    assert column(engine, card["id"], "reminders_sent") == 1
    [reminder] = events(engine, REMINDER_EVENT, card["id"])
    assert (reminder["report_due"], reminder["days_left"]) == (due.isoformat(), 20)
    assert "nik" not in reminder

    # Within 7 days: the second (and last) reminder; still one of the first.
    soon = today() + timedelta(days=5)
    set_due(engine, card["id"], soon)
    wait_until(lambda: len(mails(smtp, card["email"], subject)) >= 2, timeout=20)
    sweeps.more(4)
    sent = mails(smtp, card["email"], subject)
    assert sorted("(20 hari lagi)" in body(m) for m in sent) == [False, True]
    assert "(5 hari lagi)" in body(sent[-1])
    assert len(events(engine, REMINDER_EVENT, card["id"])) == 2
    assert column(engine, card["id"], "reminders_sent") == 2
    assert wait_until(lambda: len(inbox(client, card["token"], subject)) == 2, timeout=20)
    assert column(engine, card["id"], "status") == "approved"


def test_a_card_not_reported_on_lapses_once_and_a_report_makes_it_active_again(
    client, smtp, engine, sweeps, officer
):
    card = holder_of_a_card(client, officer)
    path, check = f"{BASE}/{card['id']}", f"{BASE}/verify/{card['number']}"
    subject = f"Kartu Kuning {card['number']} tidak aktif"
    assert client.get(check).get_json()["state"] == "valid"

    set_due(engine, card["id"], today() - timedelta(days=1))  # the report is overdue

    def status():
        return client.get(path, headers=auth(card["token"])).get_json()["status"]

    assert wait_until(lambda: status() == "lapsed", timeout=20)
    public = client.get(check).get_json()
    assert (public["state"], public["state_label"]) == (
        "lapsed",
        "Tidak aktif: pemegang tidak melapor",
    )
    assert wait_until(lambda: mails(smtp, card["email"], subject), timeout=20)
    assert wait_until(lambda: inbox(client, card["token"], subject), timeout=20)

    sweeps.more(4)
    assert len(events(engine, LAPSED_EVENT, card["id"])) == 1
    assert len(mails(smtp, card["email"], subject)) == 1
    assert len(inbox(client, card["token"], subject)) == 1
    assert events(engine, REMINDER_EVENT, card["id"]) == []  # overdue: lapsed, not reminded

    report = client.post(
        f"{path}/reports", json={"status": "still_looking"}, headers=auth(card["token"])
    )
    assert report.status_code == 201, report.get_json()
    again = report.get_json()
    assert again["status"] == "approved"
    assert column(engine, card["id"], "reminders_sent") == 0
    assert date.fromisoformat(again["report_due"]) > today() + timedelta(days=150)
    assert client.get(check).get_json()["state"] == "valid"

    sweeps.more(3)
    assert status() == "approved"
    assert len(events(engine, LAPSED_EVENT, card["id"])) == 1
    assert len(mails(smtp, card["email"], subject)) == 1


class OutboxWriter:
    """What the service's outbox does in a worker: the event in the session's transaction."""

    def __init__(self, session: Session):
        self.session = session
        self.events: list[tuple[str, dict]] = []

    def add(self, event_type: str, **payload) -> dict:
        event = record_event(self.session, outbox, event_type, **payload)
        self.events.append((event_type, event))
        return event


_numbers = itertools.count(uuid.uuid4().int % 900_000 + 1)


def due_cards(engine, holder_id: int, due: date, count: int) -> list[int]:
    """Cards due on `due`, written as the approval writes them."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        made = [
            Application(
                applicant_user_id=holder_id,
                status="approved",
                nik=nik_for(date(1999, 4, 12)),
                name="Budi Santoso",
                birth_place="Serang",
                birth_date=date(1999, 4, 12),
                gender="L",
                address="Jl. Raya Kramatwatu No. 12",
                education_level="sma",
                graduation_year=2017,
                skills=[],
                training=[],
                work_wanted="Operator produksi",
                card_number=f"AK1-3604-2001-{next(_numbers):06d}",
                issued_on=due - timedelta(days=182),
                valid_until=due + timedelta(days=500),
                report_due=due,
                reminders_sent=0,
                created_at=now,
                updated_at=now,
            )
            for _ in range(count)
        ]
        session.add_all(made)
        session.commit()
        return [a.id for a in made]


@contextlib.contextmanager
def service_stopped(platform, name: str):
    """The service's replicas stopped in the block (their timers too), started again after."""
    platform.stop(name)
    try:
        yield
    finally:
        platform.start(name)


def test_two_sweeps_take_different_rows_and_never_remind_twice(
    platform, platform_backend, client, engine, sweeps
):
    """On PostgreSQL two replicas sweep at the same moment (SKIP LOCKED: the second passes the
    first one's uncommitted rows by); SQLite writes one transaction at a time, so there the
    second replica sweeps right after the first commits and finds its rows already done."""
    at_once = platform_backend == "postgres"
    holder = register_citizen(client)
    rules = JobcardRules(reminder_days=(30, 7), sweep_batch=3)
    with service_stopped(platform, "jobcards"):
        mine = due_cards(engine, holder["id"], today(), 5)  # due today: the earliest due
        with Session(engine) as first, Session(engine) as second:
            one, two = OutboxWriter(first), OutboxWriter(second)
            took_one = cards.sweep(Desk(first, Actor(), rules, one, places=None))
            if at_once:  # the first is not committed: a sweep waiting for its rows fails here
                second.execute(text("SET LOCAL lock_timeout = '2s'"))
            else:
                first.commit()
            took_two = cards.sweep(Desk(second, Actor(), rules, two, places=None))
            first.commit()
            second.commit()
        ones = {e["application_id"] for kind, e in one.events if kind == REMINDER_EVENT}
        twos = {e["application_id"] for kind, e in two.events if kind == REMINDER_EVENT}
        assert took_one["reminded"] == len(ones) and took_two["reminded"] == len(twos)
        assert ones and twos and not ones & twos
        assert ones | twos == set(mine)

    # The replica started again finds nothing left to remind: one reminder each, ever.
    sweeps.more(3)
    for application_id in mine:
        assert len(events(engine, REMINDER_EVENT, application_id)) == 1
        assert column(engine, application_id, "reminders_sent") == 2
