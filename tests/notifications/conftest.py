"""A real SMTP server in the test process, a test-only essential event, and bus helpers.

The SMTP server is aiosmtpd's Controller on 127.0.0.1 (a free ephemeral port): its asyncio
loop runs in a thread, which under the suite's eventlet monkey-patching is a green thread
whose selector is eventlet's green select, so it serves the service's (green) smtplib
connections cooperatively. It can be told to refuse the next N messages to an address
with a given reply (4xx or 5xx), and stopped and started again on the same port.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections import defaultdict, deque
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from marshmallow import fields
from nameko.containers import ServiceContainer
from nameko.standalone.events import event_dispatcher
from sqlalchemy import text

from servicekit.database import make_engine
from servicekit.events import CATALOGUE, EventSchema, event, make_event
from services.notifications.contract.subscriptions import (
    SUBSCRIPTIONS,
    Audience,
    ConcernedUser,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DEFAULT_TEMPLATES, DefaultTemplate
from tests.support.factories import login, register_citizen
from tests.support.waiting import wait_until

# --- a test-only essential event (a new app would add the same three things) -------------

ESSENTIAL_EVENT = "ujicoba.decision_made"

if ESSENTIAL_EVENT not in CATALOGUE:

    @event(ESSENTIAL_EVENT)
    class DecisionMade(EventSchema):
        user_id = fields.Integer(required=True)
        title = fields.String(required=True)

    subscribe(
        Subscription(
            event_type=ESSENTIAL_EVENT,
            category="uji",
            essential=True,
            audiences=(Audience("warga", ConcernedUser("user_id")),),
        )
    )
    DEFAULT_TEMPLATES.extend(
        [
            DefaultTemplate(
                ESSENTIAL_EVENT,
                "warga",
                "email",
                subject="Keputusan: {title}",
                body_text="Yth. {nama},\n\nKeputusan atas {title} telah ditetapkan ({waktu}).",
                sample={"nama": "Siti", "waktu": "1 Januari 2027 08.00 WIB"},  # no `title`
            ),
            DefaultTemplate(
                ESSENTIAL_EVENT,
                "warga",
                "inbox",
                subject="Keputusan: {title}",
                body_text="Keputusan atas {title} telah ditetapkan.",
                sample={"title": "Usulan hibah"},
            ),
        ]
    )
assert ESSENTIAL_EVENT in SUBSCRIPTIONS


# --- the SMTP server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


VERIFICATION_SUBJECT = "Verifikasi alamat email akun Gawe Anda"


class SmtpSink:
    """Accepts mail like a real server; refuses on request, per recipient. The address
    verification every sign-up sends (tests.support.factories.register_citizen follows its link
    itself) is kept apart in `verifications`, never refused: the other tests count and refuse
    the mail they are about."""

    def __init__(self):
        self.port = free_port()
        self.messages: list = []
        self.verifications: list = []
        self._refusals: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()
        self.controller: Controller | None = None

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        with self._lock:
            if message["Subject"] == VERIFICATION_SUBJECT:
                self.verifications.append(message)
                return "250 2.0.0 Diterima"
            for rcpt in envelope.rcpt_tos:
                if self._refusals[rcpt.lower()]:
                    return self._refusals[rcpt.lower()].popleft()
            self.messages.append(message)
        return "250 2.0.0 Diterima"

    def refuse(self, address: str, times: int, reply: str = "451 4.3.0 Coba lagi nanti") -> None:
        with self._lock:
            self._refusals[address.lower()].extend([reply] * times)

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if m["To"].lower() == address.lower()]

    def verifications_to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.verifications if m["To"].lower() == address.lower()]

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.controller = None


# Short timings for tests; production defaults are in services/notifications/dependencies.py.
FAST = {
    "NOTIFY_SWEEP_INTERVAL": 0.2,
    "NOTIFY_RETRY_BASE_SECONDS": 0.2,
    "NOTIFY_RETRY_MAX_SECONDS": 1.0,
    "NOTIFY_MAX_ATTEMPTS": 3,
    "NOTIFY_EVENT_MAX_ATTEMPTS": 50,
    "SMTP_TIMEOUT": 2.0,
    "SERVICE_RPC_TIMEOUT": 1.0,
    "EVENT_REQUEUE_DELAY": 0.2,
    "NOTIFY_TEMPLATE_CACHE_SECONDS": 0.0,  # tests change templates in the database
}


@pytest.fixture
def db(platform):
    """The module's notifications database URL."""
    return platform.config["NOTIFICATIONS_DATABASE_URL"]


# --- helpers --------------------------------------------------------------------------------

_seq = itertools.count(1)


def publish(config: dict, event_type: str, **payload) -> dict:
    """Publish a catalogue event on the bus the way a service's outbox does; returns it."""
    evt = make_event(event_type, **payload)
    publish_raw(config, event_type, evt)
    return evt


def publish_raw(config: dict, event_type: str, payload: dict) -> None:
    source, _, name = event_type.partition(".")
    event_dispatcher(config)(source, name, payload)


def citizen(client, **overrides) -> dict:
    user = register_citizen(client, name=f"Warga Notifikasi {next(_seq)}", **overrides)
    return user | {"token": login(client, user["email"])}


def rows(db_url: str, sql: str, **params) -> list[dict]:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def notifications_of(db_url: str, event_id: str) -> list[dict]:
    return rows(
        db_url, "SELECT * FROM notifications WHERE event_id = :e ORDER BY channel", e=event_id
    )


def inbound(db_url: str, event_id: str) -> dict | None:
    found = rows(db_url, "SELECT * FROM inbound_events WHERE event_id = :e", e=event_id)
    return found[0] if found else None


def sent(db_url: str, event_id: str, channel: str = "email") -> dict | None:
    """The event's notification on `channel` once it is sent, else None."""
    found = [n for n in notifications_of(db_url, event_id) if n["channel"] == channel]
    return found[0] if found and found[0]["status"] == "sent" else None


def part(message, subtype: str):
    return next(p for p in message.walk() if p.get_content_type() == f"text/{subtype}")


# --- what the service has done: its finished workers -----------------------------------------


class FinishedWorkers:
    """The notifications service's workers that finished while watched, in order: the
    entrypoint's name, its arguments, and whether it raised."""

    def __init__(self):
        self._lock = threading.Lock()
        self._done: list[tuple[str, tuple, bool]] = []

    def record(self, worker_ctx, exc_info) -> None:
        with self._lock:
            self._done.append((worker_ctx.entrypoint.method_name, worker_ctx.args, bool(exc_info)))

    def count(self, method: str, event_id: str | None = None) -> int:
        """Workers of `method` that finished without raising; for handle_event, those that
        handled a delivery of `event_id` (when given)."""
        with self._lock:
            done = [args for name, args, failed in self._done if name == method and not failed]
        if event_id is None:
            return len(done)
        return sum(_event_id(args) == event_id for args in done)

    def handled(self, event_id: str, times: int, timeout: float = 15) -> None:
        """Wait until `times` deliveries of the event were handled and acknowledged."""
        wait_until(lambda: self.count("handle_event", event_id) >= times, timeout=timeout)

    def sweeps(self, more: int = 3, timeout: float = 15) -> None:
        """Wait until `more` sweeps finished after this call (at least `more` - 1 of them began
        after it, whole: one may have been under way)."""
        target = self.count("sweep") + more
        wait_until(lambda: self.count("sweep") >= target, timeout=timeout)


def after_sweeps(more: int = 3, timeout: float = 15) -> None:
    """Return once `more` sweeps of the notifications service have finished from now."""
    with finished_workers() as workers:
        workers.sweeps(more, timeout)


def _event_id(args: tuple):
    payload = args[1] if len(args) > 1 else None
    return payload.get("event_id") if isinstance(payload, dict) else None


@contextlib.contextmanager
def finished_workers():
    """Watch the workers of every notifications container, running or started meanwhile.

    nameko calls ServiceContainer._worker_result at the end of every worker, after its result
    was handled (for an event: committed, then acknowledged) and with its dependencies' own
    worker_result (the database session's commit); it is wrapped here, never replaced, the way
    nameko's own entrypoint_waiter wraps it, but on the class, so that a container started
    inside the block (a restart) is watched from its first message.
    """
    watched = FinishedWorkers()
    original = ServiceContainer._worker_result

    def _worker_result(container, worker_ctx, result, exc_info):
        try:
            return original(container, worker_ctx, result, exc_info)
        finally:
            if container.service_name == "notifications":
                watched.record(worker_ctx, exc_info)

    ServiceContainer._worker_result = _worker_result
    try:
        yield watched
    finally:
        ServiceContainer._worker_result = original
