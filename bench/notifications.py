"""Notifications throughput: events on the bus -> emails accepted by a local SMTP sink.

`python -m bench.notifications` (also run by `make bench` after the HTTP scenarios). It
starts its own processes, exactly as production runs them (`nameko run` with
deploy/nameko.yaml): accounts, and BENCH_NOTIFY_REPLICAS notifications replicas, on a
private RabbitMQ vhost (created and deleted through the management API) and fresh databases
under var/bench-notifications (SQLite; PostgreSQL with BENCH_NOTIFY_POSTGRES_URL, needed for
more than one replica). The SMTP sink is aiosmtpd in this process. Events are
`notifications.test_requested` for distinct citizens: one email and one inbox message each.

Two phases: a sustained rate (BENCH_NOTIFY_RATE events/s for BENCH_NOTIFY_SECONDS), then a
backlog (BENCH_NOTIFY_BACKLOG events published at once, drained). Latency is from just before
the publish to the SMTP server's acceptance. Every email is counted by Message-ID: the bench
fails on a duplicate or a missing one.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from kombu import Connection, Exchange, Producer
from sqlalchemy import text

import services.notifications.contract  # noqa: F401  (its events, in the catalogue)
from servicekit.config import amqp_uri
from servicekit.database import make_engine
from servicekit.events import make_event
from servicekit.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKDIR = ROOT / "var" / "bench-notifications"
VHOST = "gawe_bench_notifications"
MESSAGE_ID = re.compile(rb"Message-ID:\s*<notifikasi\.\d+\.([0-9a-f-]+)@", re.IGNORECASE)


class Sink:
    """Accepts every message and notes when, per event id (from the Message-ID)."""

    def __init__(self):
        self.accepted: dict[str, float] = {}
        self.duplicates = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            key = found.group(1).decode() if found else f"?{len(self.accepted)}"
            if key in self.accepted:
                self.duplicates += 1
            else:
                self.accepted[key] = now
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.accepted)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def management(method: str, path: str) -> None:
    base = os.environ.get("RABBIT_MANAGEMENT_URL", "http://guest:guest@127.0.0.1:15672")
    parts = urllib.parse.urlsplit(base)
    url = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}/api/{path}"
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "PUT" else None)
    token = base64.b64encode(f"{parts.username}:{parts.password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10):
        pass


def vhost_uri() -> str:
    parts = urllib.parse.urlsplit(amqp_uri())
    user = parts.username or "guest"
    management("PUT", f"vhosts/{VHOST}")
    body = json.dumps({"configure": ".*", "write": ".*", "read": ".*"}).encode()
    base = os.environ.get("RABBIT_MANAGEMENT_URL", "http://guest:guest@127.0.0.1:15672")
    m = urllib.parse.urlsplit(base)
    request = urllib.request.Request(
        f"{m.scheme}://{m.hostname}:{m.port or 15672}/api/permissions/{VHOST}/{user}",
        method="PUT",
        data=body,
    )
    token = base64.b64encode(f"{m.username}:{m.password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10):
        pass
    return urllib.parse.urlunsplit(parts._replace(path=f"/{VHOST}"))


def database_urls() -> dict[str, str]:
    postgres = os.environ.get("BENCH_NOTIFY_POSTGRES_URL")
    urls = {}
    for service in ("accounts", "notifications"):
        if postgres:
            from sqlalchemy.engine import make_url

            name = f"gawe_bench_{service}"
            admin = make_engine(postgres).execution_options(isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            urls[service] = make_url(postgres).set(database=name).render_as_string(False)
        else:
            urls[service] = f"sqlite:///{WORKDIR / (service + '.db')}"
        upgrade(service, urls[service])
    return urls


def create_citizens(url: str, count: int) -> list[int]:
    engine = make_engine(url)
    with engine.begin() as conn:
        rows = [{"e": f"warga{i}@bench.example.id", "n": f"Warga Bench {i}"} for i in range(count)]
        conn.execute(
            text(
                "INSERT INTO users (email, email_key, name, password_hash, is_active, created_at,"
                " failed_logins) VALUES (:e, :e, :n, 'x', true, CURRENT_TIMESTAMP, 0)"
            ),
            rows,
        )
        ids = [r[0] for r in conn.execute(text("SELECT id FROM users ORDER BY id"))]
        conn.execute(
            text("INSERT INTO user_roles (user_id, role) VALUES (:u, 'citizen')"),
            [{"u": i} for i in ids],
        )
    engine.dispose()
    return ids


def start(service: str, cls: str, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            BIN / "nameko",
            "run",
            "--config",
            "deploy/nameko.yaml",
            f"services.{service}.service:{cls}",
        ],
        cwd=ROOT,
        env=env | {"GAWE_SERVICE_NAME": service},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_consumers(uri: str, queue: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with Connection(uri, connect_timeout=3) as conn:
                _, _, consumers = conn.channel().queue_declare(queue=queue, passive=True)
                if consumers >= count:
                    return
        except Exception:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{queue} has no {count} consumer(s); see {WORKDIR}/services.log")


def publish_phase(uri, users, sink, events: int, rate: float | None) -> dict:
    """Publish `events` (paced at `rate`/s, or at once), wait until all are accepted."""
    exchange = Exchange("notifications.events", type="topic", durable=True)
    sent_at: dict[str, float] = {}
    before = sink.count()
    started = time.time()
    with Connection(uri) as conn:
        producer = Producer(conn.channel(), exchange=exchange, serializer="json")
        for i in range(events):
            if rate:
                lag = started + i / rate - time.time()
                if lag > 0:
                    time.sleep(lag)
            event = make_event("notifications.test_requested", user_id=users[i % len(users)])
            sent_at[event["event_id"]] = time.time()
            producer.publish(event, routing_key="test_requested", delivery_mode=2)
    published = time.time()
    deadline = published + 120
    while sink.count() - before < events and time.time() < deadline:
        time.sleep(0.05)
    finished = time.time()
    latencies = sorted(
        (sink.accepted[e] - t) * 1000 for e, t in sent_at.items() if e in sink.accepted
    )
    delivered = len(latencies)
    last = max((sink.accepted[e] for e in sent_at if e in sink.accepted), default=finished)
    return {
        "events": events,
        "delivered": delivered,
        "missing": events - delivered,
        "publish_s": published - started,
        "emails_per_s": delivered / (last - started) if delivered else 0.0,
        "p50": statistics.quantiles(latencies, n=100)[49] if delivered > 1 else 0.0,
        "p99": statistics.quantiles(latencies, n=100)[98] if delivered > 1 else 0.0,
    }


def main() -> int:
    rate = float(os.environ.get("BENCH_NOTIFY_RATE", "250"))
    seconds = float(os.environ.get("BENCH_NOTIFY_SECONDS", "20"))
    backlog = int(os.environ.get("BENCH_NOTIFY_BACKLOG", "4000"))
    replicas = int(os.environ.get("BENCH_NOTIFY_REPLICAS", "1"))
    shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir(parents=True)
    uri = vhost_uri()
    urls = database_urls()
    users = create_citizens(urls["accounts"], 2000)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = os.environ | {
        "AMQP_URI": uri,
        "ACCOUNTS_DATABASE_URL": urls["accounts"],
        "NOTIFICATIONS_DATABASE_URL": urls["notifications"],
        "GAWE_VAR_DIR": str(WORKDIR),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        "NAMEKO_MAX_WORKERS": os.environ.get("BENCH_NOTIFY_WORKERS", "32"),
    }
    log = (WORKDIR / "services.log").open("w")
    processes = [start("accounts", "AccountsService", env, log)]
    processes += [start("notifications", "NotificationsService", env, log) for _ in range(replicas)]
    try:
        wait_for_consumers(uri, "rpc-accounts", 1)
        wait_for_consumers(uri, "evt--notifications.handle_event", replicas)
        publish_phase(uri, users, sink, 200, None)  # warm-up: connections, caches
        sustained = publish_phase(uri, users, sink, int(rate * seconds), rate)
        drained = publish_phase(uri, users, sink, backlog, None)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        controller.stop()
        log.close()
        with contextlib.suppress(OSError):
            management("DELETE", f"vhosts/{VHOST}")
    backend = "postgresql" if os.environ.get("BENCH_NOTIFY_POSTGRES_URL") else "sqlite"
    print(
        f"notifications: events -> SMTP sink, {replicas} replica(s), {backend}, "
        f"{env['NAMEKO_MAX_WORKERS']} workers, {os.cpu_count()} CPU"
    )
    print(
        f"{'phase':<26}{'events':>8}{'sent':>8}{'missing':>8}{'emails/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for name, r in (
        (f"sustained {rate:g}/s x {seconds:g}s", sustained),
        (f"backlog of {backlog}", drained),
    ):
        print(
            f"{name:<26}{r['events']:>8}{r['delivered']:>8}{r['missing']:>8}"
            f"{r['emails_per_s']:>10.0f}{r['p50']:>9.0f}{r['p99']:>9.0f}"
        )
    counts = Counter({"duplicates": sink.duplicates})
    print(f"duplicate emails: {counts['duplicates']}  (services log: {WORKDIR}/services.log)")
    ok = sink.duplicates == 0 and sustained["missing"] == 0 and drained["missing"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
