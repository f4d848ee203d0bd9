"""Two replicas of the services that own timers (proposals, jobcards, notifications) on one vhost
and the same PostgreSQL databases, mailing a real SMTP server: each tick's work is done once.

The leased timers (servicekit.leases) tick in both replicas, but a tick's worker runs in one
only: no two runs of a timer overlap, and they come at the rate of one timer. An LPJ past its
deadline is marked overdue once and its event recorded once; an LPJ and a Kartu Kuning reminder
are each recorded and emailed once; a batch of notifications is handled by both replicas (the
event queue is shared) and each message emailed once, also those the SMTP server refused
first and the leased sweep sent again. When the replica that won the ticks stops, the other
takes the timer over.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta

import pytest
from nameko.containers import ServiceContainer
from nameko.runners import ServiceRunner

from servicekit import leases
from servicekit.database import make_engine
from services.jobcards.applications import today
from services.jobcards.contract import REMINDER_EVENT
from services.proposals.moving import WIB
from tests.jobcards.http.test_sweep import holder_of_a_card, set_due
from tests.jobcards.support import staff
from tests.notifications.conftest import ESSENTIAL_EVENT, FAST, SmtpSink, citizen, publish
from tests.proposals.conftest import create_applicant, create_draft
from tests.support.bus import temporary_vhost
from tests.support.databases import require_backend
from tests.support.factories import create_admin, login
from tests.support.faults import install_dead_letter, rows
from tests.support.platform import SERVICE_CLASSES, running_platform
from tests.support.waiting import wait_until

pytestmark = pytest.mark.postgres
SERVICES = ["accounts", "gis", "complaints", "proposals", "jobcards", "notifications"]
REPLICATED = ["proposals", "jobcards", "notifications"]
# the leased timers and their intervals in this test
TIMERS = {
    ("proposals", "sweep_lpj"): 0.4,
    ("jobcards", "sweep"): 0.4,
    ("notifications", "sweep"): FAST["NOTIFY_SWEEP_INTERVAL"],
}
BATCH = 12


class Runs:
    """Every worker of the watched services: which container ran it, when it started and when
    its result was handed over (the leased timer releases its lease after that); and every
    lease a timer claimed (servicekit.leases.claim), with the time it was acquired."""

    def __init__(self):
        self._lock = threading.Lock()
        self.done: list[tuple[str, str, int, float, float, bool]] = []
        self.claims: list = []

    def record(self, service, method, container, started, ended, failed) -> None:
        with self._lock:
            self.done.append((service, method, container, started, ended, failed))

    def claimed(self, lease: str, acquired_at) -> None:
        with self._lock:
            self.claims.append((lease, acquired_at))

    def claims_of(self, service: str, method: str) -> list:
        with self._lock:
            return sorted(at for name, at in self.claims if name == f"{service}.{method}")

    def of(self, service: str, method: str) -> list[tuple[int, float, float, bool]]:
        with self._lock:
            return [
                (c, start, end, failed)
                for s, m, c, start, end, failed in self.done
                if (s, m) == (service, method)
            ]


@pytest.fixture(scope="module")
def runs():
    watched = Runs()
    original = ServiceContainer._run_worker

    def _run_worker(container, worker_ctx, handle_result):
        started = time.monotonic()

        def handed_over(ctx, result, exc_info):
            watched.record(
                container.service_name,
                ctx.entrypoint.method_name,
                id(container),
                started,
                time.monotonic(),
                exc_info is not None,
            )
            return handle_result(ctx, result, exc_info) if handle_result else (result, exc_info)

        return original(container, worker_ctx, handed_over)

    def claim(engine, name, holder, ttl):
        acquired_at = original_claim(engine, name, holder, ttl)
        if acquired_at is not None:
            watched.claimed(name, acquired_at)
        return acquired_at

    original_claim = leases.claim
    ServiceContainer._run_worker = _run_worker
    leases.claim = claim
    try:
        yield watched
    finally:
        ServiceContainer._run_worker = original
        leases.claim = original_claim


@pytest.fixture(scope="module")
def smtp():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def platform(rabbit_manager, databases, run_id, request, smtp, runs):
    """The first replica of each service, on PostgreSQL, with fast timers."""
    require_backend("postgres")
    config = {
        **FAST,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        "SERVICE_RPC_TIMEOUT": 3.0,
        "PROPOSALS_LPJ_SWEEP_INTERVAL": TIMERS["proposals", "sweep_lpj"],
        "JOBCARDS_SWEEP_INTERVAL": TIMERS["jobcards", "sweep"],
        "JOBCARDS_REMINDER_DAYS": "30,7",
    }
    with temporary_vhost(rabbit_manager, request.config, f"gawe_{run_id}_timers") as vhost:
        install_dead_letter(rabbit_manager, vhost["vhost"])
        with running_platform(
            vhost, databases, "postgres", services=SERVICES, service_config=config
        ) as platform:
            yield platform


@pytest.fixture(scope="module")
def replicas(platform):
    """A second container of each service that owns a leased timer, by service name."""
    runners = {}
    for name in REPLICATED:
        runner = ServiceRunner(platform.config)
        runner.add_service(SERVICE_CLASSES[name])
        runner.start()
        runners[name] = runner
    rpc = platform.app.extensions["gawe_rpc"]
    wait_until(lambda: all(rpc.consumer_count(s) == 2 for s in REPLICATED), timeout=15)
    try:
        yield runners
    finally:
        for runner in runners.values():
            runner.kill()


@pytest.fixture(scope="module")
def admin_token(platform):
    return login(platform.client, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))


def containers(platform, replicas, name: str) -> set[int]:
    runners = [r for r in (platform.runners.get(name), replicas.get(name)) if r is not None]
    return {id(c) for r in runners for c in r.containers}


def more_runs(runs, timer, count: int, timeout: float = 20) -> None:
    """Wait until `count` more runs of the timer finished from now."""
    target = len(runs.of(*timer)) + count
    wait_until(lambda: len(runs.of(*timer)) >= target, timeout=timeout)


def assert_once_per_tick(runs, timer, since: float) -> list[tuple]:
    """The runs of `timer` that started after `since` never overlap, and its lease was never
    claimed sooner after the claim before than it allows (the interval less a quarter of
    it): the work of one timer, however many replicas tick. Returns those runs."""
    interval = TIMERS[timer]
    done = sorted((r for r in runs.of(*timer) if r[1] >= since), key=lambda r: r[1])
    assert len(done) >= 10 and not any(failed for *_, failed in done)
    for before, after in zip(done, done[1:], strict=False):
        assert after[1] >= before[2], (timer, "two runs at once", before, after)
    claims = runs.claims_of(*timer)
    # a worker for each claim (the last one's may be under way), none without one
    assert 0 <= len(claims) - len(runs.of(*timer)) <= 1
    gaps = [(b - a).total_seconds() for a, b in zip(claims, claims[1:], strict=False)]
    assert min(gaps) >= 0.75 * interval - 0.001, (timer, min(gaps))
    return done


def lpj_mails(smtp, address: str, public_id: str) -> list:
    return [m for m in smtp.to(address) if f"Pengingat LPJ {public_id}" in m["Subject"]]


def test_each_timer_tick_is_done_once_by_one_replica(platform, replicas, runs, smtp, admin_token):
    client = platform.client
    since = time.monotonic()
    proposals_db = platform.config["PROPOSALS_DATABASE_URL"]
    jobcards_db = platform.config["JOBCARDS_DATABASE_URL"]

    # Two drafts of one applicant made disbursed: one with its LPJ due in 20 days (its first
    # reminder is due), one whose LPJ deadline passed yesterday.
    owner = citizen(client)
    applicant = create_applicant(client, owner["token"])
    marker = uuid.uuid4().hex[:8]
    reminded, overdue = (
        create_draft(client, owner["token"], applicant["id"], title=f"Usulan {marker} {n}")[
            "public_id"
        ]
        for n in (1, 2)
    )
    wib_today = datetime.now(WIB).date()
    engine = make_engine(proposals_db)
    try:
        with engine.begin() as conn:
            for public_id, due in (
                (reminded, wib_today + timedelta(days=20)),
                (overdue, wib_today - timedelta(days=1)),
            ):
                conn.exec_driver_sql(
                    "UPDATE proposals SET stage = 'disbursed', lpj_due = %s,"
                    " lpj_reminders_sent = 0 WHERE public_id = %s",
                    (due, public_id),
                )
    finally:
        engine.dispose()

    # A Kartu Kuning whose six-monthly report is due in 20 days (its first reminder is due).
    officer = staff(client, admin_token, "officer", "DISNAKER")
    card = holder_of_a_card(client, officer)
    engine = make_engine(jobcards_db)
    try:
        set_due(engine, card["id"], today() + timedelta(days=20))
    finally:
        engine.dispose()
    card_subject = f"Saatnya melapor: Kartu Kuning {card['number']}"

    wait_until(lambda: lpj_mails(smtp, owner["email"], reminded), timeout=30)
    wait_until(lambda: [m for m in smtp.to(card["email"]) if m["Subject"] == card_subject], 30)
    wait_until(
        lambda: (
            rows(proposals_db, "SELECT stage FROM proposals WHERE public_id = :p", p=overdue)
            == [{"stage": "lpj_overdue"}]
        ),
        timeout=30,
    )
    # every timer runs ten more times in all before anything is counted
    for timer in TIMERS:
        more_runs(runs, timer, 10)

    # the LPJ sweep: one mark, one event, one reminder recorded and one email
    ids = {
        r["public_id"]: r["id"] for r in rows(proposals_db, "SELECT id, public_id FROM proposals")
    }
    marks = rows(
        proposals_db,
        "SELECT proposal_id FROM stage_changes WHERE action = 'mark_lpj_overdue'",
    )
    assert [m["proposal_id"] for m in marks] == [ids[overdue]]
    events = rows(proposals_db, "SELECT event_type, payload FROM outbox")
    moved = [
        e["payload"]["public_id"]
        for e in events
        if e["event_type"] == "proposals.stage_changed"
        and e["payload"]["action"] == "mark_lpj_overdue"
    ]
    assert moved == [overdue]
    reminders = [
        e["payload"]["public_id"] for e in events if e["event_type"] == "proposals.lpj_reminder_due"
    ]
    assert reminders == [reminded]
    assert len(lpj_mails(smtp, owner["email"], reminded)) == 1
    assert lpj_mails(smtp, owner["email"], overdue) == []

    # the jobcards sweep: one reminder recorded and emailed
    card_events = rows(
        jobcards_db,
        "SELECT payload FROM outbox WHERE event_type = :t",
        t=REMINDER_EVENT,
    )
    assert [e["payload"]["application_id"] for e in card_events] == [card["id"]]
    assert len([m for m in smtp.to(card["email"]) if m["Subject"] == card_subject]) == 1

    # every leased timer: its runs one after the other, at the rate of one timer, in the
    # containers of its service only
    for timer in TIMERS:
        done = assert_once_per_tick(runs, timer, since)
        assert {c for c, *_ in done} <= containers(platform, replicas, timer[0])


def test_a_batch_of_notifications_is_shared_and_each_emailed_once(platform, replicas, runs, smtp):
    person = citizen(platform.client)
    marker = uuid.uuid4().hex
    smtp.refuse(person["email"], 3)  # three of them go out by the (leased) sweep's retry
    handled_before = len(runs.of("notifications", "handle_event"))
    published = [
        publish(platform.config, ESSENTIAL_EVENT, user_id=person["id"], title=f"{marker} {n}")
        for n in range(BATCH)
    ]

    def mailed() -> Counter:
        return Counter(
            m["Subject"].rsplit(" ", 1)[-1]
            for m in smtp.to(person["email"])
            if marker in m["Subject"]
        )

    wait_until(lambda: len(mailed()) == BATCH, timeout=40)
    more_runs(runs, ("notifications", "sweep"), 10)
    assert mailed() == Counter({str(n): 1 for n in range(BATCH)})  # each once, no duplicate
    db = platform.config["NOTIFICATIONS_DATABASE_URL"]
    emails = rows(
        db,
        "SELECT event_id, status FROM notifications WHERE channel = 'email' AND event_id IN :ids",
        ids=tuple(e["event_id"] for e in published),
    )
    assert sorted(e["status"] for e in emails) == ["sent"] * BATCH
    assert any(
        r["attempts"] > 1
        for r in rows(
            db,
            "SELECT attempts FROM notifications WHERE channel = 'email' AND event_id IN :ids",
            ids=tuple(e["event_id"] for e in published),
        )
    )  # the refused ones were sent again, by a sweep
    # the event queue is shared: both replicas handled some of the batch
    handled = runs.of("notifications", "handle_event")[handled_before:]
    assert len({c for c, *_ in handled}) == 2


def test_the_other_replica_takes_the_timer_over_when_the_one_ticking_stops(
    platform, replicas, runs
):
    timer = ("jobcards", "sweep")
    more_runs(runs, timer, 3)
    ticking = runs.of(*timer)[-1][0]
    runners = {"platform": platform.runners["jobcards"], "replica": replicas["jobcards"]}
    [(who, stopping)] = [
        (k, r) for k, r in runners.items() if ticking in {id(c) for c in r.containers}
    ]
    [other] = [id(c) for k, r in runners.items() if k != who for c in r.containers]
    if who == "platform":
        platform.runners.pop("jobcards")
    else:
        replicas.pop("jobcards")
    stopping.stop()  # graceful: its running sweep ends and lets the lease go
    stopped_at = time.monotonic()
    wait_until(
        lambda: (
            sum(1 for c, start, *_ in runs.of(*timer) if c == other and start > stopped_at) >= 3
        ),
        timeout=20,
    )
    # both replicas did some of the timer's work in this module
    assert {ticking, other} <= {c for c, *_ in runs.of(*timer)}
