"""An event handler that never loses a message: ack after commit, durable queue declared up front.

nameko's `event_handler` acknowledges a message *before* the worker's database session
is committed (`handle_result` runs before `worker_result`), acknowledges it when the
handler raises, and its queue only exists once the service has started, so an event
published earlier is dropped. `reliable_event_handler` fixes the three:

- one durable queue (quorum by default, `EVENT_QUEUE_TYPE`) per handler, bound to every
  event type it subscribes to, never auto-deleted: events published while the service is
  stopped wait for it;
- the worker's databases are committed before the ack; if the handler raises or the commit
  fails, the message is requeued after a pause (`EVENT_REQUEUE_DELAY`, growing with the
  delivery count), never acknowledged and lost;
- a message the handler fails on for another reason than its own database being unavailable
  (a payload it cannot read, a bug) is parked after `EVENT_MAX_DELIVERIES` deliveries (10):
  copied with its error (servicekit.dead_letters: exception type, a short redacted message,
  the handler, the deliveries, first and last failure) to the `gawe.dead-letter` queue and
  acknowledged, or, if that copy cannot be published, rejected, so that RabbitMQ's
  `event-queues-dead-letter` policy (deploy/rabbitmq) moves it there without the error;
  either way it stops coming back and taking a worker each time. An admin lists and replays
  parked events (GET /api/v1/admin/dead-letters, /admin).
  While its database is down an event is requeued however often it comes back. (The delivery
  count is a quorum queue's; on a classic queue nothing is parked. Where no policy gives the
  queue a dead-letter exchange, RabbitMQ drops the parked message: the error line says which);
- each handled event is logged (`event handled`, with its type and id) under the request id
  it carries, so a request can be followed into every service its events reach;
- `declare_queues(service_cls, amqp_uri)` (also `python -m servicekit.reliable_events
  [module:Class ...]`, by default every installed app's service) declares the queues before
  any service runs, e.g. from `make queues`.

The handler is called as `handler(event_type, payload)`; it should store what it must do
(store-first) and keep its own failures (a downstream service down) as data to retry,
so that a requeue only happens when its own database is unavailable.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import logging
import random
import sys
from collections.abc import Callable, Iterable
from functools import partial

import eventlet
from kombu import Connection, Exchange, Queue, binding
from nameko.containers import ContainerBeingKilled
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.messaging import Consumer
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from servicekit import dead_letters
from servicekit.apps import installed_apps, load
from servicekit.config import amqp_uri as env_amqp_uri
from servicekit.config import setting
from servicekit.dead_letters import now_iso
from servicekit.entrypoints import commit_worker
from servicekit.metrics import EVENTS_CONSUMED

log = logging.getLogger(__name__)

EventTypes = Iterable[str] | Callable[[], Iterable[str]]
QUEUE_TYPES = ("quorum", "classic")
FIRST_FAILURES_KEPT = 1000


def event_exchange(source: str) -> Exchange:
    """The exchange nameko publishes `<source>.<name>` events to (same declaration as nameko's)."""
    return Exchange(f"{source}.events", type="topic", durable=True, auto_delete=False)


def queue_name(service: str, method: str) -> str:
    """`evt--<service>.<method>`: nameko's `evt-<source>-<type>--…` shape, for many event types.

    The `evt-` prefix matches the RabbitMQ policy that gives event queues a dead-letter exchange.
    """
    return f"evt--{service}.{method}"


def event_queue(
    service: str, method: str, event_types: Iterable[str], queue_type: str = "quorum"
) -> Queue:
    """A durable queue bound to each `<source>.<name>` in `event_types`."""
    if queue_type not in QUEUE_TYPES:
        raise ValueError(f"EVENT_QUEUE_TYPE must be one of {QUEUE_TYPES}, got {queue_type!r}")
    bindings = []
    for event_type in sorted(set(event_types)):
        source, _, name = event_type.partition(".")
        if not source or not name:
            raise ValueError(f"event type must be '<service>.<name>', got {event_type!r}")
        bindings.append(binding(event_exchange(source), routing_key=name))
    return Queue(
        queue_name(service, method),
        bindings=bindings,
        durable=True,
        auto_delete=False,
        queue_arguments={"x-queue-type": queue_type},
    )


def _resolve(event_types: EventTypes) -> list[str]:
    return list(event_types() if callable(event_types) else event_types)


def _event_type(message) -> str:
    exchange = message.delivery_info.get("exchange") or ""
    source = exchange.removesuffix(".events") if exchange.endswith(".events") else ""
    return f"{source}.{message.delivery_info.get('routing_key', '')}"


def _event_id(body) -> str | None:
    event_id = body.get("event_id") if isinstance(body, dict) else None
    return event_id[:64] if isinstance(event_id, str) else None


def store_unavailable(exc: BaseException | None) -> bool:
    """Whether a failure is the worker's database not answering (down, unreachable, its pool
    exhausted, a lock timeout): the event is fine and is requeued however often it comes back."""
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class ReliableEventConsumer(Consumer):
    """See the module docstring. `event_types` may be a callable, read at container set-up
    (pass it by keyword: nameko takes a lone callable argument for the decorated method)."""

    def __init__(self, event_types: EventTypes, **kwargs):
        self.event_types = event_types
        super().__init__(queue=None, requeue_on_error=True, **kwargs)

    def queue_for(self, service: str, method: str, config: dict | None) -> Queue:
        queue_type = setting(config, "EVENT_QUEUE_TYPE", "quorum")
        return event_queue(service, method, _resolve(self.event_types), queue_type)

    def setup(self):
        config = self.container.config
        self.queue = self.queue_for(self.container.service_name, self.method_name, config)
        self.requeue_delay = setting(config, "EVENT_REQUEUE_DELAY", 2.0, float)
        self.requeue_delay_max = setting(config, "EVENT_REQUEUE_DELAY_MAX", 30.0, float)
        self.max_deliveries = max(1, setting(config, "EVENT_MAX_DELIVERIES", 10, int))
        self._first_failures: dict[str, str] = {}  # this process's view, oldest first
        super().setup()

    def handle_message(self, body, message):
        event_type = _event_type(message)
        context_data = self.unpack_message_headers(message)
        try:
            self.container.spawn_worker(
                self,
                (event_type, body),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_result, message),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            try:
                commit_worker(worker_ctx)
            except Exception:
                exc_info = sys.exc_info()
        deliveries = int((message.headers or {}).get("x-delivery-count") or 0) + 1
        about = {
            "event_type": _event_type(message),
            "event_id": _event_id(worker_ctx.args[1] if len(worker_ctx.args) > 1 else None),
            "handler": f"{self.container.service_name}.{self.method_name}",
            "deliveries": deliveries,
        }
        consumed = partial(
            EVENTS_CONSUMED.labels,
            self.container.service_name,
            self.method_name,
            about["event_type"],
        )
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            self._first_failures.pop(self._failure_key(message, about), None)
            log.info("event handled", extra=about)
            consumed("handled").inc()
            return result, exc_info
        key = self._failure_key(message, about)
        self._first_failures.setdefault(key, now_iso())
        while len(self._first_failures) > FIRST_FAILURES_KEPT:
            self._first_failures.pop(next(iter(self._first_failures)))
        if deliveries >= self.max_deliveries and not store_unavailable(exc_info[1]):
            consumed("parked").inc()
            self._park(message, about, exc_info, self._first_failures.pop(key, None))
            return result, exc_info
        pause = min(self.requeue_delay_max, self.requeue_delay * 2 ** min(deliveries - 1, 10))
        log.error(
            "event not stored, requeued after a pause",
            exc_info=exc_info,
            extra=about | {"routing_key": message.delivery_info.get("routing_key"), "pause": pause},
        )
        # Pause before the requeue: the message comes straight back, and the store is failing.
        eventlet.sleep(pause * random.uniform(0.5, 1.0))
        self.queue_consumer.requeue_message(message)
        consumed("requeued").inc()
        return result, exc_info

    @staticmethod
    def _failure_key(message, about: dict) -> str:
        return about["event_id"] or str(hash(message.body))

    def _park(self, message, about: dict, exc_info, first_failure: str | None) -> None:
        """To `gawe.dead-letter` with its error (servicekit.dead_letters), then acknowledged;
        if that copy cannot be published, rejected to the policy's dead-letter exchange."""
        parked = dead_letters.park(
            self.container.config["AMQP_URI"],
            message,
            queue=self.queue.name,
            handler=about["handler"],
            event_type=about["event_type"],
            deliveries=about["deliveries"],
            exc=exc_info[1],
            first_failure=first_failure,
        )
        how = (
            "published to the dead-letter queue"
            if parked
            else "rejected to the dead-letter exchange"
        )
        log.error(
            "event parked: %s after %d deliveries",
            how,
            about["deliveries"],
            exc_info=exc_info,
            extra=about,
        )
        if parked:
            self.queue_consumer.ack_message(message)
        else:
            self._reject(message)

    def _reject(self, message) -> None:
        # as nameko's ack and requeue: on a closed channel the broker has reclaimed it already
        if message.channel.connection:
            with contextlib.suppress(ConnectionError):
                message.reject(requeue=False)


reliable_event_handler = ReliableEventConsumer.decorator


def reliable_handlers(service_cls: type) -> dict[str, ReliableEventConsumer]:
    """Every `reliable_event_handler` of a service class, by method name."""
    handlers = {}
    for method_name, method in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, ReliableEventConsumer):
                handlers[method_name] = entrypoint
    return handlers


def handler_event_types(service_cls: type) -> dict[str, list[str]]:
    """The event types each reliable handler of a service class consumes, by method name."""
    return {
        method: sorted(set(_resolve(handler.event_types)))
        for method, handler in reliable_handlers(service_cls).items()
    }


def service_queues(service_cls: type, config: dict | None = None) -> list[Queue]:
    """The queues of every `reliable_event_handler` of a service class."""
    return [
        handler.queue_for(service_cls.name, method, config)
        for method, handler in reliable_handlers(service_cls).items()
    ]


def declare_queues(service_cls: type, amqp_uri: str, config: dict | None = None) -> list[str]:
    """Declare (idempotently) the exchanges, queues and bindings of a service's event handlers."""
    queues = service_queues(service_cls, config)
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        for queue in queues:
            queue.bind(channel).declare()
    return [q.name for q in queues]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Declare the event queues of services before they run (idempotent)."
    )
    parser.add_argument(
        "services",
        nargs="*",
        help="module:Class, e.g. services.x.service:X (default: every installed app's service)",
    )
    args = parser.parse_args(argv)
    for spec in args.services or [spec.service for spec in installed_apps()]:
        for name in declare_queues(load(spec), env_amqp_uri()):
            print(f"declared {name}")
    return 0


if __name__ == "__main__":
    # Run the importable module's main: under `-m` this file is also `__main__`, whose
    # ReliableEventConsumer is a different class from the one the services are decorated with.
    from servicekit.reliable_events import main as module_main

    sys.exit(module_main())
