"""The platform as `make run` starts it, driven over HTTP by concurrent clients (issue 18).

Separate service processes on a real RabbitMQ vhost, the gunicorn gthread gateway, PostgreSQL:
many citizens filing at once, two staff acting on the same record at the same moment, two
replicas of a service sweeping and relaying at once, and the request id in every process's log.
The tests share one platform and run in file order; each makes the records it acts on.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from servicekit.apps import app, installed_apps
from services.complaints.contract import REPORT_CREATED
from services.proposals.contract.catalogue import profile_documents, proposal_documents
from tests.complaints.conftest import road_report
from tests.e2e.live import (
    DEMO_PASSWORD,
    Live,
    both_replicas_waiting,
    each_replica_runs_again,
    procfile_commands,
    ready,
    start_replica,
    table_locked,
    waiting,
)
from tests.proposals.conftest import PDF, THIS_YEAR, draft_body, organisation_body, validity
from tests.support.factories import PASSWORD, create_admin, unique_email
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CITIZENS = 32
ROUNDS = 5  # races per kind of record: one round could be luck
WIB = ZoneInfo("Asia/Jakarta")
# How the timers' queries start (PostgreSQL shows the first 1024 characters of a query): the LPJ
# sweep's is the ORM's select of proposals, the only query of that table while nobody uses the
# API; the relay's reads unpublished rows older than the grace.
SWEEP_QUERY = "SELECT proposals.id, proposals.public_id, "
RELAY_QUERY = "outbox.created_at <= "


# --- helpers ------------------------------------------------------------------------------


def all_at_once(calls):
    """Run every call in a thread of its own, released together by a barrier; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def in_parallel(function, items, workers: int = 8):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items))


def login(live: Live, email: str, password: str = PASSWORD) -> str:
    response = live.api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def register(live: Live, n: int) -> dict:
    body = {"name": f"Warga Serentak {n}", "email": unique_email("serentak"), "password": PASSWORD}
    response = live.api.post("/api/v1/auth/register", json=body)
    assert response.status_code == 202, response.text
    follow_emailed_link(live, body["email"])  # applying for aid needs a verified address
    token = login(live, body["email"])
    me = live.api.get("/api/v1/me", token=token)
    assert me.status_code == 200, me.text
    return {"id": me.json()["id"], "email": body["email"], "token": token}


def follow_emailed_link(live: Live, address: str) -> None:
    """Verify a new account's address with the link of the email its sign-up sent."""

    def link():
        for mail in live.mail_to(address):
            found = VERIFY_LINK.search(mail.get_body(("plain",)).get_content())
            if found:
                return found.group(1)
        return None

    token = wait_until(link, timeout=30)
    verified = live.api.post("/api/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text


def make_staff(live: Live, admin: str, role: str, agency: str) -> str:
    email = unique_email(f"{role}.{agency.lower()}")
    body = {
        "name": f"Staf {role} {agency}",
        "email": email,
        "password": PASSWORD,
        "roles": [role],
        "agency": agency,
    }
    response = live.api.post("/api/v1/admin/staff", json=body, token=admin)
    assert response.status_code == 201, response.text
    return login(live, email)


def file_report(live: Live, citizen: dict, point: dict, **headers):
    return live.api.post(
        "/api/v1/complaints", json=road_report(point), token=citizen["token"], headers=headers
    )


def submitted_proposal(live: Live, citizen: dict, point: dict) -> dict:
    """A citizen's organisation files a hibah proposal with its whole checklist, and submits it."""
    token = citizen["token"]
    applicant = live.api.post(
        "/api/v1/proposals/organisations", json=organisation_body(point), token=token
    )
    assert applicant.status_code == 201, applicant.text
    draft = live.api.post(
        "/api/v1/proposals", json=draft_body(applicant.json()["id"], point=point), token=token
    )
    assert draft.status_code == 201, draft.text
    public_id = draft.json()["public_id"]
    for kind in profile_documents("hibah", "organisation"):  # the organisation's, on its profile
        pdf = PDF + f"% {uuid.uuid4().hex}\n".encode()
        dates = validity(kind)
        kept = live.api.post(
            f"/api/v1/proposals/applicants/{applicant.json()['id']}/documents",
            data={"kind": kind, **dates},
            files={"file": ("dokumen.pdf", pdf, "application/pdf")},
            token=token,
        )
        assert kept.status_code == 201, kept.text
    for doc_type in proposal_documents("hibah", "organisation"):
        pdf = PDF + f"% {uuid.uuid4().hex}\n".encode()
        upload = live.api.post(
            f"/api/v1/proposals/{public_id}/documents",
            data={"doc_type": doc_type},
            files={"files": ("dokumen.pdf", pdf, "application/pdf")},
            token=token,
        )
        assert upload.status_code == 201, upload.text
    submitted = live.api.post(f"/api/v1/proposals/{public_id}/submit", json={}, token=token)
    assert submitted.status_code == 200, submitted.text
    return submitted.json() | {"owner": citizen}


def outbox(live: Live, app_name: str) -> list[dict]:
    return live.rows(
        app_name, "SELECT id, event_id, event_type, payload, published_at FROM outbox ORDER BY id"
    )


def settle(get, expected, timeout: float = 30.0):
    """`get()` once it equals `expected`, else its last value after `timeout` (for the diff)."""
    with contextlib.suppress(AssertionError):
        wait_until(lambda: get() == expected, timeout=timeout, interval=0.3)
    return get()


def created_events(live: Live) -> dict[str, str]:
    """The complaints.report_created event id of each report, by public id."""
    return {
        row["payload"]["public_id"]: row["event_id"]
        for row in outbox(live, "complaints")
        if row["event_type"] == REPORT_CREATED
    }


def mail_for_event(live: Live, address: str, event_id: str) -> list:
    return [m for m in live.mail_to(address) if event_id in str(m["Message-ID"])]


VERIFY_LINK = re.compile(r"/verifikasi-email\?token=(\S+)")


# --- shared people --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def citizens(live):
    """32 citizens signed up and signed in, each through the API (the sign-up answers 202)."""
    return in_parallel(lambda n: register(live, n), range(CITIZENS))


@pytest.fixture(scope="module")
def admin(live):
    return login(live, create_admin(live.database("accounts")))


@pytest.fixture(scope="module")
def points():
    """Desa points inside the regency, none used twice in this module."""
    return iter(desa_points()[::3])


@pytest.fixture(scope="module")
def proposals(live, citizens, points, admin):
    """ROUNDS submitted hibah proposals, each of another citizen's organisation (in this
    year's hibah round, which Kesra opens first: submitting needs an open round)."""
    kesra = make_staff(live, admin, "verifier", "KESRA")
    dates = {"opens_on": f"{THIS_YEAR}-01-01", "closes_on": f"{THIS_YEAR}-12-31"}
    body = {"budget_year": THIS_YEAR, "kind": "hibah"} | dates
    opened = live.api.post("/api/v1/proposals/rounds", json=body, token=kesra)
    assert opened.status_code in (201, 409), opened.text
    owners = citizens[-ROUNDS:]
    places = [next(points) for _ in owners]
    return in_parallel(
        lambda pair: submitted_proposal(live, *pair), list(zip(owners, places, strict=True))
    )


# --- the tests, in the order they run ---------------------------------------------------------


def test_every_process_of_the_procfile_serves_and_the_demo_logins_work(live):
    body = live.api.get("/readyz").json()
    assert body["status"] == "ok" and body["down"] == []
    assert sorted(body["services"]) == sorted(spec.name for spec in installed_apps())
    assert set(procfile_commands()) <= set(live.processes)  # every line of `make run`'s Procfile

    kesra = live.api.post(
        "/api/v1/auth/login", json={"email": "kesra@gawe.example", "password": DEMO_PASSWORD}
    )
    assert kesra.status_code == 200, kesra.text
    assert kesra.json()["user"]["roles"] == ["verifier"]
    assert kesra.json()["user"]["agency"] == "KESRA"

    # make demo hands the demo citizen's id to the other apps' demo loaders
    warga = live.api.post(
        "/api/v1/auth/login", json={"email": "warga@gawe.example", "password": DEMO_PASSWORD}
    )
    printed = live.run("-m", "services.accounts.demo", "--user-id", "warga@gawe.example")
    assert warga.status_code == 200 and printed.strip() == str(warga.json()["user"]["id"])

    key_file = Path(live.env["GAWE_VAR_DIR"]) / "gateway_secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_request_id_is_in_the_log_lines_of_every_process_a_request_touched(live, citizens):
    citizen = citizens[0]
    request_id = f"e2e-{uuid.uuid4().hex}"
    point = desa_points()[1]
    response = file_report(live, citizen, point, **{"X-Request-ID": request_id})
    assert response.status_code == 201, response.text
    assert response.headers["X-Request-ID"] == request_id
    report = response.json()

    # gateway → complaints (create_report) → gis (locate); complaints.report_created → its
    # consumers (notifications; gis, for the map layer), and notifications → accounts (the
    # agency's officers) and complaints (the reporter's address) for the emails.
    consumers = {spec.name for spec in installed_apps() if REPORT_CREATED in spec.consumes}
    touched = {"gateway", "complaints", *app("complaints").calls, *consumers, "accounts"}
    assert {"gis", "notifications"} <= touched

    def carrying_the_id():
        return {
            name
            for name in touched
            if any(line.get("request_id") == request_id for line in live.lines(name))
        }

    event_id = created_events(live)[report["public_id"]]
    wait_until(lambda: mail_for_event(live, citizen["email"], event_id), timeout=30)
    assert settle(carrying_the_id, touched) == touched


def test_32_citizens_file_at_once_and_every_report_is_stored_once(live, citizens, points):
    places = [next(points) for _ in citizens]
    responses = all_at_once(
        [lambda c=c, p=p: file_report(live, c, p) for c, p in zip(citizens, places, strict=True)]
    )

    assert [r.status_code for r in responses] == [201] * CITIZENS, [
        r.text for r in responses if r.status_code != 201
    ]
    ids = [r.json()["public_id"] for r in responses]
    assert len(set(ids)) == CITIZENS

    reporters = {c["id"] for c in citizens}
    stored = Counter(
        (row["public_id"], row["reporter_user_id"])
        for row in live.rows("complaints", "SELECT public_id, reporter_user_id FROM reports")
        if row["reporter_user_id"] in reporters and row["public_id"] in ids
    )
    assert sorted(stored) == sorted((pid, c["id"]) for pid, c in zip(ids, citizens, strict=True))
    assert set(stored.values()) == {1}
    # and each reporter hears of their own report once: one receipt each, by email
    events = created_events(live)
    receipts = {c["email"]: events[pid] for c, pid in zip(citizens, ids, strict=True)}

    def received():
        return {a: len(mail_for_event(live, a, e)) for a, e in receipts.items()}

    assert settle(received, dict.fromkeys(receipts, 1)) == dict.fromkeys(receipts, 1)


def test_two_officers_acting_on_the_same_report_at_once_one_wins_the_other_gets_409(
    live, citizens, admin, points
):
    reporter = citizens[1]
    reports = [file_report(live, reporter, next(points)) for _ in range(ROUNDS)]
    assert all(r.status_code == 201 for r in reports), [r.text for r in reports]
    agency = reports[0].json()["agency"]
    officers = [make_staff(live, admin, "officer", agency) for _ in range(2)]

    for report in (r.json() for r in reports):
        path = f"/api/v1/complaints/{report['public_id']}/transitions"
        answers = all_at_once(
            [
                lambda o=o, path=path: live.api.post(path, json={"action": "verify"}, token=o)
                for o in officers
            ]
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        assert loser.headers["Content-Type"].startswith("application/problem+json")

        detail = live.api.get(f"/api/v1/complaints/{report['public_id']}", token=officers[0])
        assert detail.json()["status"] == "verified"
        assert [t["action"] for t in detail.json()["timeline"]].count("verify") == 1
        changes = [
            row
            for row in outbox(live, "complaints")
            if row["event_type"] == "complaints.status_changed"
            and row["payload"]["public_id"] == report["public_id"]
        ]
        assert len(changes) == 1


def test_two_kesra_staff_acting_on_the_same_proposal_at_once_one_wins_the_other_gets_409(
    live, admin, proposals
):
    kesra = [
        make_staff(live, admin, "verifier", "KESRA"),
        make_staff(live, admin, "officer", "KESRA"),
    ]
    for proposal in proposals:
        public_id = proposal["public_id"]
        assert proposal["stage"] == "submitted"
        path = f"/api/v1/proposals/{public_id}/transitions"
        answers = all_at_once(
            [
                lambda s=s, path=path: live.api.post(path, json={"action": "complete"}, token=s)
                for s in kesra
            ]
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]

        detail = live.api.get(f"/api/v1/proposals/{public_id}", token=kesra[0]).json()
        assert detail["stage"] == "evaluation"
        assert [t["action"] for t in detail["timeline"]].count("complete") == 1
        audit = live.api.get(f"/api/v1/proposals/{public_id}/audit", token=kesra[0])
        assert audit.status_code == 200, audit.text
        assert [e["action"] for e in audit.json()["entries"]].count("complete") == 1
        verdict = live.api.get(f"/api/v1/proposals/{public_id}/audit/verify", token=kesra[0])
        assert verdict.json()["ok"] is True


def test_the_lpj_sweep_in_two_replicas_handles_each_due_proposal_once(live, proposals):
    """Two replicas of proposals: the sweep is leased, so one replica runs each tick (its query
    alone waits on the locked table), and each due proposal is reminded or marked once."""
    replica = start_replica(live, "proposals")
    sweepers = ("proposals", replica)
    today = datetime.now(WIB).date()
    reminded, overdue = proposals[:2], proposals[2:]

    def lpj_states():
        return {
            row["public_id"]: (row["stage"], row["lpj_reminders_sent"])
            for row in live.rows(
                "proposals", "SELECT public_id, stage, lpj_reminders_sent FROM proposals"
            )
        }

    # Two rounds, each made due while both replicas' sweeps wait on the proposals table, then
    # let go together: first two disbursed proposals within their first LPJ reminder (28 days by
    # default), then three whose LPJ deadline has passed.
    for due, lpj_due, after in (
        (reminded, today + timedelta(days=20), ("disbursed", 1)),
        (overdue, today - timedelta(days=1), ("lpj_overdue", 0)),
    ):
        with table_locked(live, "proposals", "proposals") as conn:
            conn.execute(
                text(
                    "UPDATE proposals SET stage = 'disbursed', lpj_due = :due,"
                    " lpj_reminders_sent = 0 WHERE public_id IN :ids"
                ),
                {"due": lpj_due, "ids": tuple(p["public_id"] for p in due)},
            )
            # the sweep is leased (servicekit.leases): one replica's run waits, never both
            both_replicas_waiting(live, "proposals", SWEEP_QUERY, replicas=1)
            assert waiting(live, "proposals", SWEEP_QUERY) == 1
        wait_until(
            lambda due=due, after=after: all(lpj_states()[p["public_id"]] == after for p in due),
            timeout=30,
        )
    # Each replica sweeps again, three times, before anything is counted.
    each_replica_runs_again(live, "proposals", "proposals", SWEEP_QUERY, replicas=1)

    public_ids = {
        row["id"]: row["public_id"]
        for row in live.rows("proposals", "SELECT id, public_id FROM proposals")
    }

    def handled(table: str) -> Counter:
        return Counter(
            public_ids[row["proposal_id"]]
            for row in live.rows(
                "proposals", f"SELECT proposal_id FROM {table} WHERE action = 'mark_lpj_overdue'"
            )
        )

    events = outbox(live, "proposals")
    marked = [
        row
        for row in events
        if row["event_type"] == "proposals.stage_changed"
        and row["payload"]["action"] == "mark_lpj_overdue"
    ]
    reminders = [row for row in events if row["event_type"] == "proposals.lpj_reminder_due"]
    moved = Counter(
        line["public_id"]
        for name in sweepers
        for line in live.lines(name)
        if line.get("message") == "proposal moved" and line.get("to") == "lpj_overdue"
    )
    once = dict.fromkeys((p["public_id"] for p in overdue), 1)
    assert handled("stage_changes") == once  # the public timeline
    assert handled("audit_log") == once
    assert Counter(row["payload"]["public_id"] for row in marked) == once
    assert moved == once  # one replica's sweep moved each, once
    assert Counter(row["payload"]["public_id"] for row in reminders) == dict.fromkeys(
        (p["public_id"] for p in reminded), 1
    )
    # and each applicant is told once: one email per event
    owners = {p["public_id"]: p["owner"]["email"] for p in proposals}
    expected = {(owners[r["payload"]["public_id"]], r["event_id"]): 1 for r in marked + reminders}

    def received():
        return {(a, e): len(mail_for_event(live, a, e)) for a, e in expected}

    assert settle(received, expected) == expected


def test_the_outbox_relay_in_two_replicas_publishes_every_row_once(live, citizens, points):
    start_replica(live, "complaints")
    warga = live.run("-m", "services.accounts.demo", "--user-id", "warga@gawe.example").strip()
    before = max((row["id"] for row in outbox(live, "complaints")), default=0)
    filers = citizens[2:10]
    places = [next(points) for _ in filers]

    # At once: the demo loader writes ten reports and their events straight into the outbox
    # (only the relay publishes those), and eight citizens file reports over HTTP.
    def demo():
        return live.run("-m", "services.complaints.demo", "--reporter-user-id", warga)

    results = all_at_once(
        [
            demo,
            *(
                lambda c=c, p=p: file_report(live, c, p)
                for c, p in zip(filers, places, strict=True)
            ),
        ]
    )
    filed = results[1:]
    assert [r.status_code for r in filed] == [201] * len(filers), [r.text for r in filed]
    new_rows = [row for row in outbox(live, "complaints") if row["id"] > before]
    assert len(new_rows) >= 10 + len(filers)

    wait_until(lambda: all(row["published_at"] for row in outbox(live, "complaints")), 30)
    # Each replica relays again, three times, before anything is counted.
    each_replica_runs_again(live, "complaints", "outbox", RELAY_QUERY)

    # Every outbox row of every app, since the platform started, reached the bus once: each
    # row published before the spy's queues are read is there, once; nothing is there twice.
    cut = datetime.now(UTC)
    seen = live.spy.drain()
    rows = [row for spec in installed_apps() if spec.database for row in outbox(live, spec.name)]
    published = {r["event_id"] for r in rows if r["published_at"] and r["published_at"] < cut}
    assert {e: seen[e] for e in published} == dict.fromkeys(published, 1)
    assert {e: n for e, n in seen.items() if n != 1} == {}
    assert set(seen) <= {r["event_id"] for r in rows}
    assert {r["event_id"] for r in new_rows} <= published

    # and each reporter hears of each report once: the eight citizens, and the demo citizen of
    # the demo reports that are theirs
    events = created_events(live)
    expected = {
        (c["email"], events[r.json()["public_id"]]): 1 for c, r in zip(filers, filed, strict=True)
    } | {
        ("warga@gawe.example", row["event_id"]): 1
        for row in new_rows
        if row["payload"].get("reporter_user_id") == int(warga)
    }
    assert len(expected) == len(filers) + 3  # the demo gives its citizen three reports

    def received():
        return {(a, e): len(mail_for_event(live, a, e)) for a, e in expected}

    assert settle(received, expected) == expected


def test_every_process_stops_cleanly_on_sigterm(live):
    services = [n for n in live.processes if n not in ("gateway", "smtp")]
    for name in [*services, "gateway"]:
        live.processes[name].send_signal(signal.SIGTERM)
    for name in [*services, "gateway"]:
        assert live.processes[name].wait(timeout=30) == 0, (name, live.log_tail(name))
    assert not ready(live.api)
    for name in services:
        lines = live.lines(name)
        assert lines and all("request_id" in line and "level" in line for line in lines)
        assert any(
            line.get("message") == f"stopping services: {name.split('@')[0]}" for line in lines
        ), name
