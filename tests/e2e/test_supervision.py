"""Process faults under the supervisor `make run` uses (issue 14): the real supervisord, the
real service and gateway processes, RabbitMQ and PostgreSQL.

- kill -9 of the complaints service while citizens file reports through the gateway:
  supervisord starts it again; every filing answered 201 is stored exactly once, its created
  event published and its reporter emailed once (an event published just before the kill may
  be published again by the relay, under the same event id: consumers apply it once); every
  other answer is a clear 503/504 problem, never a 500 or a hang; the other services answer
  throughout;
- SIGTERM to a service with calls in flight: it stops taking calls, finishes them (each
  answered 201), then exits;
- SIGTERM to the gateway (gunicorn) with requests in flight: they complete, then it exits.

In-flight work is held by an ACCESS EXCLUSIVE lock on the complaints' reports table (the
filing waits on it), so "in flight" is a fact the test sees in PostgreSQL, not a timing guess.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from kombu import Connection

from servicekit.apps import installed_apps
from servicekit.status import processes
from services.complaints.contract import REPORT_CREATED
from tests.complaints.conftest import fresh_point, road_report
from tests.e2e.conftest import TIMINGS
from tests.e2e.live import (
    BIN,
    DEMO_PASSWORD,
    EventSpy,
    Live,
    free_port,
    ready,
    table_locked,
    wait_ready,
    waiting,
)
from tests.support.factories import PASSWORD, unique_email
from tests.support.serang import DATA
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PROBLEM = "application/problem+json"
HTTP_TIMEOUT = 40  # above the gateway's RPC timeout (15 s): the gateway answers first
IN_FLIGHT = 4  # calls held in flight by the lock in the SIGTERM tests


# --- the supervised platform ----------------------------------------------------------------


@pytest.fixture(scope="module")
def supervised(module_vhost, databases, tmp_path_factory):
    """`make run`: the queues, the demo accounts, then supervisord with the configuration
    servicekit.supervise writes from the manifests; yields once /readyz answers 200."""
    tmp = tmp_path_factory.mktemp("supervised")
    var, maildir = tmp / "var", tmp / "mail"
    (var / "logs").mkdir(parents=True)
    smtp_port, gateway_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env |= {
        "AMQP_URI": module_vhost["AMQP_URI"],
        "GAWE_VAR_DIR": str(var),
        "GATEWAY_BIND": f"127.0.0.1:{gateway_port}",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "LOG_LEVEL": "INFO",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "GIS_BOUNDARIES_FILE": str(DATA / "kab_serang_boundaries.geojson"),
        "PYTHONUNBUFFERED": "1",
        "COMPLAINTS_RATE_LIMIT": "100000",  # one citizen files the whole stream
        **{k: v for k, v in os.environ.items() if k.startswith("GATEWAY_LIMIT_")},
        **TIMINGS,
    }
    for spec in installed_apps():
        if spec.database:
            env[f"{spec.name.upper()}_DATABASE_URL"] = databases.create(spec.name, "postgres")
    live = Live(env=env, logs=var / "logs", maildir=maildir, base=f"http://{env['GATEWAY_BIND']}")
    live.start(
        "smtp",
        f"exec {BIN}/python -m aiosmtpd -n -l 127.0.0.1:{smtp_port}"
        f" -c aiosmtpd.handlers.Mailbox {shlex.quote(str(maildir))}",
    )
    try:
        live.run("-m", "servicekit.reliable_events")
        live.spy = EventSpy(env["AMQP_URI"], name="supervised-spy")
        live.run("-m", "services.accounts.demo")
        conf = live.run("-m", "servicekit.supervise", "write", "--bin", f"{BIN}/").strip()
        live.start("supervisord", f"exec {BIN}/supervisord -c {shlex.quote(conf)}")
        live.var = var
        wait_ready(live)
        yield live
    finally:
        stop_supervised(live, var)
        live.stop_all()
        if live.spy is not None:
            live.spy.close()


def stop_supervised(live: Live, var) -> None:
    """Kill supervisord, then each of its children's process groups (gunicorn's workers too):
    a child runs in a group of its own, so killing supervisord's does not reach it."""
    children = []
    with contextlib.suppress(Exception):  # supervisord already gone: its children were listed
        children = [p["pid"] for p in processes(var) if p["pid"]]
    if "supervisord" in live.processes:
        live.stop("supervisord")
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def process(live: Live, name: str) -> dict:
    return {p["name"]: p for p in processes(live.var)}[name]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by supervisord) is not alive
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def restarted(live: Live, name: str, old_pid: int) -> dict:
    """Until supervisord runs `name` again under a new pid; its process info."""

    def again():
        info = process(live, name)
        return info if info["state"] == "RUNNING" and info["pid"] not in (0, old_pid) else None

    return wait_until(again, timeout=90, interval=0.2)


def citizen(live: Live) -> tuple[str, str]:
    """A citizen signed up and in through the API: its token and email address."""
    body = {"name": "Warga Gangguan", "email": unique_email("gangguan"), "password": PASSWORD}
    assert live.api.post("/api/v1/auth/register", json=body).status_code == 202
    answer = live.api.post(
        "/api/v1/auth/login", json={"email": body["email"], "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"], body["email"]


def marked_report(marker: str) -> dict:
    return road_report(
        fresh_point(), description=f"Jalan desa rusak parah, banyak lubang. Penanda {marker}"
    )


def file(live: Live, token: str, marker: str) -> dict:
    """One filing through the gateway: its marker, status, content type and body (or the
    client's own error: a hang or a broken connection)."""
    try:
        answer = requests.post(
            f"{live.base}/api/v1/complaints",
            json=marked_report(marker),
            headers={"Authorization": f"Bearer {token}"},
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        return {"marker": marker, "status": type(exc).__name__, "type": "", "body": {}}
    body = answer.json() if answer.content else {}
    return {
        "marker": marker,
        "status": answer.status_code,
        "type": answer.headers.get("Content-Type", ""),
        "body": body,
    }


def stored(live: Live, run: str) -> Counter:
    """How many reports hold each marker of this run."""
    rows = live.rows(
        "complaints", "SELECT description FROM reports WHERE description LIKE :m", m=f"%{run}%"
    )
    return Counter(row["description"].rsplit(" ", 1)[1] for row in rows)


def created_events(live: Live, public_ids: set[str]) -> dict[str, dict]:
    """The report_created outbox rows of these reports, by public id."""
    rows = live.rows(
        "complaints",
        "SELECT event_id, payload, published_at FROM outbox WHERE event_type = :t",
        t=REPORT_CREATED,
    )
    return {r["payload"]["public_id"]: r for r in rows if r["payload"]["public_id"] in public_ids}


def assert_published_and_handled_once(live: Live, public_ids: set[str], reporter: str) -> Counter:
    """Each report's created event: published by the outbox (marked so), on the bus, and
    acted on once: the reporter has exactly one email per report (its Message-ID names the
    event). The outbox publishes at least once: a process killed between publishing and
    marking the row published leaves it to the relay, which publishes it again under the same
    event_id, and consumers apply an event_id once (servicekit.outbox). How many times each
    event was on the bus, by event id."""

    def all_published():
        events = created_events(live, public_ids)
        done = len(events) == len(public_ids) and all(e["published_at"] for e in events.values())
        return events if done else None

    events = wait_until(all_published, timeout=30, interval=0.3)
    ids = {e["event_id"] for e in events.values()}
    seen = wait_until(lambda: ids <= set(live.spy.drain()) and live.spy.seen, timeout=30)

    def mail_by_event():
        mail = Counter()
        for message in live.mail_to(reporter):
            mail.update(i for i in ids if i in str(message["Message-ID"]))
        return mail if set(mail) == ids else None

    mail = wait_until(mail_by_event, timeout=60, interval=0.5)
    assert {i: n for i, n in mail.items() if n != 1} == {}, "an email sent twice"
    return Counter({i: seen[i] for i in ids})


# --- kill -9 mid-request --------------------------------------------------------------------


def test_kill_9_of_a_service_mid_request_loses_and_doubles_nothing(supervised):
    live = supervised
    token, email = citizen(live)
    run = uuid.uuid4().hex[:8]
    results: list[dict] = []
    others: list[tuple[float, int | str]] = []  # (time, status) of another service's answers
    in_flight = Counter()
    stop = threading.Event()
    lock = threading.Lock()
    sequence = iter(range(10**6))

    def filer():
        while not stop.is_set():
            marker = f"{run}-{next(sequence)}"
            with lock:
                in_flight["now"] += 1
            result = file(live, token, marker)
            result["ended"] = time.monotonic()
            with lock:
                in_flight["now"] -= 1
                results.append(result)

    def other_services():
        while not stop.is_set():
            try:
                status = live.api.get("/api/v1/me", token=token).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            others.append((time.monotonic(), status))

    def successes_after(moment: float) -> int:
        return sum(1 for r in list(results) if r["status"] == 201 and r["ended"] > moment)

    old = process(live, "complaints")
    with ThreadPoolExecutor(max_workers=5) as pool:
        workers = [pool.submit(filer) for _ in range(4)] + [pool.submit(other_services)]
        try:
            wait_until(lambda: successes_after(0) >= 8, timeout=60)
            wait_until(lambda: in_flight["now"] >= 2, timeout=10, interval=0.005)
            killed_at = time.monotonic()
            os.kill(old["pid"], signal.SIGKILL)
            new = restarted(live, "complaints", old["pid"])
            wait_until(lambda: ready(live.api), timeout=60, interval=0.3)
            back_at = time.monotonic()
            wait_until(lambda: successes_after(back_at) >= 8, timeout=60)
        finally:
            stop.set()
            for worker in workers:
                worker.result(timeout=HTTP_TIMEOUT + 10)

    assert new["restarts"] == old["restarts"] + 1
    statuses = Counter(r["status"] for r in results)
    assert set(statuses) <= {201, 503, 504}, statuses  # never a 500, never a hang
    refused = [r for r in results if r["status"] != 201]
    assert all(r["type"].startswith(PROBLEM) and r["body"].get("detail") for r in refused)
    # The other services answered all along, the outage included.
    during = [s for t, s in others if killed_at <= t <= back_at]
    assert during and set(during) == {200}, Counter(during)
    assert {s for _, s in others} == {200}

    counts = stored(live, run)
    answered = {r["marker"]: r["body"]["public_id"] for r in results if r["status"] == 201}
    assert {m: counts[m] for m in answered if counts[m] != 1} == {}, "a 201 not stored once"
    assert max(counts.values()) == 1, "a filing stored twice"
    assert set(answered) <= set(counts)
    on_bus = assert_published_and_handled_once(live, set(answered.values()), email)
    assert set(on_bus.values()) <= {1, 2}, on_bus  # once, or again by the relay after the kill


# --- SIGTERM: graceful stop -----------------------------------------------------------------


def filings_held_in_flight(live: Live, token: str, run: str, pool: ThreadPoolExecutor):
    """IN_FLIGHT filings submitted while the reports table is locked; their futures once
    every one waits on the lock inside the complaints service."""
    futures = [pool.submit(file, live, token, f"{run}-{n}") for n in range(IN_FLIGHT)]
    wait_until(lambda: waiting(live, "complaints", "reports") >= IN_FLIGHT, timeout=30)
    return futures


def consumers(live: Live, app: str) -> int:
    """Processes consuming the app's RPC queue (RabbitMQ's count, not an RPC to the app)."""
    with Connection(live.env["AMQP_URI"], connect_timeout=5) as connection:
        return connection.channel().queue_declare(queue=f"rpc-{app}", passive=True)[2]


def test_sigterm_to_a_service_finishes_the_calls_in_flight_then_exits(supervised):
    live = supervised
    token, email = citizen(live)
    run = uuid.uuid4().hex[:8]
    old = process(live, "complaints")
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        with table_locked(live, "complaints", "reports"):
            futures = filings_held_in_flight(live, token, run, pool)
            os.kill(old["pid"], signal.SIGTERM)
            # It stops taking calls (its consumer leaves the RPC queue) but keeps running:
            # its workers still wait on the lock.
            wait_until(lambda: consumers(live, "complaints") == 0, timeout=30, interval=0.2)
            assert alive(old["pid"])
        results = [f.result(timeout=HTTP_TIMEOUT) for f in futures]  # the lock released
    assert [r["status"] for r in results] == [201] * IN_FLIGHT, results
    wait_until(lambda: not alive(old["pid"]), timeout=30, interval=0.2)
    restarted(live, "complaints", old["pid"])
    counts = stored(live, run)
    assert counts == {r["marker"]: 1 for r in results}
    on_bus = assert_published_and_handled_once(
        live, {r["body"]["public_id"] for r in results}, email
    )
    assert set(on_bus.values()) == {1}, on_bus  # a graceful stop publishes each event once
    wait_until(lambda: ready(live.api), timeout=60, interval=0.3)


def terms_handled(live: Live) -> int:
    """How many SIGTERMs gunicorn's master has logged taking (its log: var/logs/gateway.log)."""
    return live.log_tail("gateway", chars=10**7).count("Handling signal: term")


def test_sigterm_to_the_gateway_completes_the_requests_in_flight_then_exits(supervised):
    live = supervised
    token, email = citizen(live)
    run = uuid.uuid4().hex[:8]
    old = process(live, "gateway")
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        with table_locked(live, "complaints", "reports"):
            futures = filings_held_in_flight(live, token, run, pool)
            before = terms_handled(live)
            os.kill(old["pid"], signal.SIGTERM)
            # gunicorn has taken the signal (its workers accept no more connections) and
            # still runs: the requests wait on the lock
            wait_until(lambda: terms_handled(live) > before, timeout=30, interval=0.1)
            assert alive(old["pid"])
        results = [f.result(timeout=HTTP_TIMEOUT) for f in futures]
    assert [r["status"] for r in results] == [201] * IN_FLIGHT, results
    wait_until(lambda: not alive(old["pid"]), timeout=30, interval=0.2)
    restarted(live, "gateway", old["pid"])
    assert stored(live, run) == {r["marker"]: 1 for r in results}
    public_ids = {r["body"]["public_id"] for r in results}
    assert set(assert_published_and_handled_once(live, public_ids, email).values()) == {1}
    wait_until(lambda: ready(live.api), timeout=60, interval=0.3)
