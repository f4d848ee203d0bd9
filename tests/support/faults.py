"""Faults for the platform tests, made on the real RabbitMQ and PostgreSQL: a raw message on an
event exchange, the dead-letter exchange and policy production declares, a PostgreSQL database
that refuses connections, an outbox that cannot reach the broker, and the log lines of a run.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from urllib.parse import urlparse, urlunparse

from kombu import Connection, Producer
from sqlalchemy import text
from sqlalchemy.engine import make_url

from servicekit.apps import installed_apps
from servicekit.busdefinitions import definitions
from servicekit.database import make_engine
from servicekit.outbox import Outbox
from servicekit.reliable_events import event_exchange
from tests.support import logcapture
from tests.support.databases import postgres_admin_url

DEAD_LETTER_POLICY = "event-queues-dead-letter"


# --- the bus --------------------------------------------------------------------------------


def nameko_headers(request_id: str | None = None) -> dict:
    """The headers nameko's event dispatcher puts on an event (and the request id it carries)."""
    headers = {"nameko.call_id_stack": [f"standalone_event_dispatcher.dispatch.{uuid.uuid4()}"]}
    if request_id:
        headers["nameko.request_id"] = request_id
    return headers


def publish_raw(amqp_uri: str, event_type: str, body, headers: dict | None = None) -> None:
    """Publish `body` (JSON) to `<source>.events` with routing key `<name>`, as it is: no
    catalogue, no validation, nothing added."""
    source, _, name = event_type.partition(".")
    exchange = event_exchange(source)
    with Connection(amqp_uri) as connection:
        producer = Producer(connection.default_channel)
        producer.publish(
            body,
            exchange=exchange,
            routing_key=name,
            declare=[exchange],
            serializer="json",
            headers=headers or {},
            delivery_mode=2,
        )


def ready_messages(amqp_uri: str, queue: str) -> int:
    """Messages waiting in `queue` now (not those delivered and not yet acknowledged)."""
    with Connection(amqp_uri) as connection:
        _, count, _ = connection.default_channel.queue_declare(queue=queue, passive=True)
        return count


def _dead_letter_definitions() -> dict:
    """The dead-letter exchange, queue, binding and event-queue policy of production's
    deploy/rabbitmq/definitions.json (servicekit.busdefinitions), by kind."""
    defs = definitions(installed_apps())
    [policy] = [p for p in defs["policies"] if p["name"] == DEAD_LETTER_POLICY]
    exchange_name = policy["definition"]["dead-letter-exchange"]
    [exchange] = [e for e in defs["exchanges"] if e["name"] == exchange_name]
    [binding] = [b for b in defs["bindings"] if b["source"] == exchange_name]
    [queue] = [q for q in defs["queues"] if q["name"] == binding["destination"]]
    return {"policy": policy, "exchange": exchange, "queue": queue, "binding": binding}


def install_dead_letter(rabbit_manager, vhost: str) -> str:
    """Declare on `vhost` what production's definitions declare for parked events (the
    dead-letter exchange and queue, and the policy that gives every `evt-` queue that
    exchange); returns the dead-letter queue's name."""
    found = _dead_letter_definitions()
    exchange, queue, binding, policy = (
        found["exchange"],
        found["queue"],
        found["binding"],
        found["policy"],
    )
    rabbit_manager._put(
        "exchanges",
        vhost,
        exchange["name"],
        json={k: exchange[k] for k in ("type", "durable", "auto_delete", "internal", "arguments")},
    )
    rabbit_manager._put(
        "queues",
        vhost,
        queue["name"],
        json={k: queue[k] for k in ("durable", "auto_delete", "arguments")},
    )
    rabbit_manager._post(
        "bindings",
        vhost,
        "e",
        binding["source"],
        "q",
        binding["destination"],
        json={"routing_key": binding["routing_key"], "arguments": binding["arguments"]},
    )
    rabbit_manager._put(
        "policies",
        vhost,
        policy["name"],
        json={k: policy[k] for k in ("pattern", "apply-to", "priority", "definition")},
    )
    return queue["name"]


def take_messages(amqp_uri: str, queue: str) -> list:
    """Every message waiting in `queue`, acknowledged (kombu messages: .payload, .headers)."""
    taken = []
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        while (raw := channel.basic_get(queue, no_ack=True)) is not None:
            taken.append(channel.message_to_python(raw))
    return taken


# --- the outbox's way to the broker --------------------------------------------------------


def outbox_of(runner) -> Outbox:
    """The Outbox dependency of the one service a ServiceRunner runs."""
    [container] = runner.containers
    return next(d for d in container.dependencies if isinstance(d, Outbox))


@contextlib.contextmanager
def outbox_cut_off(runner):
    """The service keeps serving (its RPC consumer and database are untouched) but the broker
    refuses its outbox: the outbox connects to a vhost that is not there, so every publish
    fails at once with a connection error, as when RabbitMQ is down. Afterwards the outbox
    talks to the vhost it had before, with nothing reset."""
    publisher = outbox_of(runner).publisher
    original = publisher.amqp_uri
    parts = urlparse(original)
    publisher.amqp_uri = urlunparse(parts._replace(path=f"{parts.path}-{uuid.uuid4().hex}-hilang"))
    try:
        yield
    finally:
        publisher.amqp_uri = original


# --- PostgreSQL -----------------------------------------------------------------------------


def _admin(sql: str, **params) -> list:
    engine = make_engine(postgres_admin_url()).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


@contextlib.contextmanager
def database_refusing_connections(url: str):
    """The PostgreSQL database at `url` accepts no connection (and its open ones are ended)
    until the block ends: for its service, its own database is down."""
    name = make_url(url).database
    _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = :name AND pid <> pg_backend_pid()",
            name=name,
        )
        yield
    finally:
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def rows(url: str, sql: str, **params) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


# --- the log --------------------------------------------------------------------------------


def log_records(**match) -> list[dict]:
    """The log lines of this run (as production writes them, parsed), whose fields equal
    `match` (e.g. request_id=..., logger=...)."""
    found = []
    for line in logcapture.lines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if all(record.get(k) == v for k, v in match.items()):
            found.append(record)
    return found
