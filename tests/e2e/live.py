"""The platform as `make run` starts it, as real processes: helpers of the e2e suite.

Every process is a line of the Procfile (servicekit.apps.procfile: every installed app's
processes, then the gunicorn gateway; `make run` runs the same commands under supervisord, see
test_supervision.py), run through the shell, on a private vhost, fresh PostgreSQL databases, a
var/ folder of its own and a real SMTP server (aiosmtpd, a process too, writing every message
it accepts into a Maildir). Each process logs to a file of its own; requests go over HTTP.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import mailbox
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
from kombu import Connection, Queue
from sqlalchemy import text

from servicekit.apps import app_names, procfile
from servicekit.database import make_engine
from servicekit.reliable_events import event_exchange
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "demo-Gawe-2026"
START_TIMEOUT = 90.0  # seconds for every process to answer /readyz on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile_commands(bin_dir: Path = BIN) -> dict[str, str]:
    """The Procfile `make run` starts, as {process name: shell command}."""
    commands = {}
    for line in procfile(f"{bin_dir}/").splitlines():
        name, _, command = line.partition(": ")
        commands[name] = command
    return commands


def json_lines(path: Path) -> list[dict]:
    """The JSON log lines of a process's log file (gunicorn's own start-up lines are text)."""
    found = []
    if not path.exists():
        return found
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):  # a line being written
                found.append(json.loads(line))
    return found


class Api:
    """HTTP to the gateway; `token` signs in, `headers` adds to it. Answers requests' Response."""

    def __init__(self, base: str):
        self.base = base

    def call(self, method, path, token=None, headers=None, **kwargs) -> requests.Response:
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)


@dataclass
class Live:
    """The running platform: its processes by name, their environment, logs, mail."""

    env: dict
    logs: Path
    maildir: Path
    base: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    spy: EventSpy | None = None

    @property
    def api(self) -> Api:
        return Api(self.base)

    def start(self, name: str, command: str) -> subprocess.Popen:
        """Run a Procfile command through the shell, which `exec`s it."""
        with (self.logs / f"{name}.log").open("w") as log:
            process = subprocess.Popen(
                command,
                shell=True,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def replica(self, app: str, number: int = 2) -> str:
        """Start one more process of an app, with its very Procfile command; its name."""
        name = f"{app}@{number}"
        self.start(name, procfile_commands()[app])
        return name

    def lines(self, name: str) -> list[dict]:
        return json_lines(self.logs / f"{name}.log")

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"

    def run(self, *args: str) -> str:
        """A one-off command of the project (a CLI), with the platform's environment."""
        done = subprocess.run(
            [str(BIN / "python"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def database(self, app: str) -> str:
        return self.env[f"{app.upper()}_DATABASE_URL"]

    def rows(self, app: str, sql: str, **params) -> list[dict]:
        engine = make_engine(self.database(app))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(sql), params)
                return [dict(r._mapping) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()

    def mail(self) -> list[email.message.EmailMessage]:
        """Every message the SMTP server accepted (one file per delivery, never overwritten)."""
        box = mailbox.Maildir(
            self.maildir,
            factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default),
            create=False,
        )
        return list(box)

    def mail_to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.mail() if str(m["To"]).lower() == address.lower()]

    def stop(self, name: str, sig=signal.SIGKILL) -> int:
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
        return process.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def start_replica(live: Live, app_name: str) -> str:
    """A second process of the app, with the very command of the Procfile; once it consumes
    (/readyz counts the consumers of the app's RPC queue)."""
    name = live.replica(app_name)

    def serving():
        assert live.processes[name].poll() is None, live.log_tail(name)
        body = live.api.get("/readyz").json()
        return body["services"][app_name].get("workers") == 2

    wait_until(serving, timeout=60, interval=0.3)
    return name


@contextlib.contextmanager
def table_locked(live: Live, app_name: str, table: str):
    """An ACCESS EXCLUSIVE lock on one of an app's tables, held for the block: every query of
    the table, by any process, waits until it ends."""
    engine = make_engine(live.database(app_name))
    try:
        with engine.begin() as conn:
            conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            yield conn
    finally:
        engine.dispose()


def waiting(live: Live, app_name: str, query_part: str) -> int:
    """How many sessions on the app's database wait for a lock in a query containing this."""
    return live.rows(
        app_name,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND query LIKE :q",
        q=f"%{query_part}%",
    )[0]["n"]


def both_replicas_waiting(live: Live, app_name: str, query_part: str, replicas: int = 2) -> None:
    """Until a timer's query of each of two replicas waits on a lock: a replica runs one worker
    of a timer at a time (nameko waits for it before the next tick), so two are both. A leased
    timer (servicekit.leases) runs in one replica at a time: `replicas=1`."""
    wait_until(lambda: waiting(live, app_name, query_part) >= replicas, timeout=20, interval=0.1)


def each_replica_runs_again(
    live: Live, app_name: str, table: str, query_part: str, times=3, replicas: int = 2
):
    """`times` more runs of a timer in each of two replicas (or, leased, in one of them), each
    seen waiting on the table: every run of a cycle started after the previous cycle's ended."""
    for _ in range(times):
        with table_locked(live, app_name, table):
            both_replicas_waiting(live, app_name, query_part, replicas)


def ready(api: Api) -> bool:
    try:
        return api.get("/readyz").status_code == 200
    except requests.RequestException:
        return False


def wait_ready(live: Live) -> None:
    def up():
        dead = {n: p.returncode for n, p in live.processes.items() if p.poll() is not None}
        assert not dead, (dead, {n: live.log_tail(n) for n in dead})
        return ready(live.api)

    wait_until(up, timeout=START_TIMEOUT, interval=0.5)


class EventSpy:
    """A queue of the test's own bound to every app's event exchange: every event published on
    the bus, counted by event_id (what a consumer would receive, duplicates included)."""

    def __init__(self, amqp_uri: str, name: str = "e2e-spy"):
        self.connection = Connection(amqp_uri)
        self.queues = [
            Queue(
                f"{name}.{app}",
                exchange=event_exchange(app),
                routing_key="#",
                durable=False,
                auto_delete=False,
            )
            for app in app_names()
        ]
        channel = self.connection.default_channel
        for queue in self.queues:
            queue(channel).declare()
        self.seen: Counter = Counter()

    def drain(self) -> Counter:
        """Take every message waiting; the count of each event_id seen so far."""
        channel = self.connection.default_channel
        for queue in self.queues:
            bound = queue(channel)
            while (message := bound.get(no_ack=True)) is not None:
                self.seen[json.loads(message.body)["event_id"]] += 1
        return self.seen

    def close(self) -> None:
        self.connection.release()
