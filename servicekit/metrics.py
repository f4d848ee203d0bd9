"""Prometheus metrics of a service process (prometheus_client), served on `METRICS_PORT`.

Every service gets them without declaring anything:

- `gawe_rpc_handled_total{service,method,outcome}` and `gawe_rpc_handled_duration_seconds`
  (servicekit.entrypoints.Rpc): outcome `ok`, a typed error's class (`Invalid`, `NotFound`, ...)
  or `error` for anything unexpected, so the label set stays bounded;
- `gawe_events_published_total{service,event_type}` and `gawe_outbox_publish_failures_total`
  (servicekit.outbox); `gawe_outbox_backlog{service}` (rows not published yet) and
  `gawe_outbox_oldest_unpublished_seconds{service}`, read from the service's database when
  scraped (the rows not published are few, found by the `published_at` index);
- `gawe_events_consumed_total{service,handler,event_type,outcome}` (servicekit.reliable_events):
  outcome `handled`, `requeued` or `parked` (rejected to the dead-letter queue);
- `gawe_db_duration_seconds{service,kind}` (servicekit.database): time in the service's own
  database, `kind` `statement` (each statement run) or `commit`: `make bench` splits a
  request's time into its hops with it.

The listener is a sub-extension of every `@rpc` entrypoint (one per process, shared by the
containers of a process, as in the tests): `METRICS_PORT` unset or 0 leaves it off;
`METRICS_HOST` is the address it binds (127.0.0.1 by default; 0.0.0.0 in a container, where
Prometheus scrapes the pod's address). A port already taken (a second replica on one machine
given the same port) is logged and leaves that process without a listener: metrics never stop
a service.

An app adds figures of its own database with `DatabaseGauge` (a dependency provider, queried
at scrape time), e.g. the notifications app's deliveries by status.

No label ever holds personal data: only names from the code (service, method, event type,
handler, outcome, a status column's values).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import eventlet
import eventlet.wsgi
from nameko.extensions import DependencyProvider, SharedExtension
from prometheus_client import REGISTRY, Counter, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, func, select

from servicekit.config import setting

log = logging.getLogger(__name__)

# Seconds: RPCs are mostly a few ms; the gateway gives up at GATEWAY_RPC_TIMEOUT (5 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

RPC_HANDLED = Counter(
    "gawe_rpc_handled", "RPCs a service answered, by outcome", ["service", "method", "outcome"]
)
RPC_DURATION = Histogram(
    "gawe_rpc_handled_duration_seconds",
    "Time from an RPC's arrival to its reply, by method",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
DB_DURATION = Histogram(
    "gawe_db_duration_seconds",
    "Time a service spent in its database: statements run, and commits",
    ["service", "kind"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_PUBLISHED = Counter(
    "gawe_events_published", "Events published from the outbox", ["service", "event_type"]
)
PUBLISH_FAILURES = Counter(
    "gawe_outbox_publish_failures",
    "Outbox rows that could not be published (left for the relay)",
    ["service"],
)
EVENTS_CONSUMED = Counter(
    "gawe_events_consumed",
    "Events delivered to a reliable handler, by outcome (handled, requeued, parked)",
    ["service", "handler", "event_type", "outcome"],
)


def rpc_outcome(exc_info, expected: tuple[type[BaseException], ...]) -> str:
    """`ok`, the typed error's class name, or `error`: a bounded label."""
    if exc_info is None:
        return "ok"
    kind = exc_info[0]
    return kind.__name__ if kind is not None and issubclass(kind, expected) else "error"


# --- gauges read from a service's database at scrape time -------------------------------------


class _DatabaseCollector(Collector):
    """One metric family; each service process (container) registered adds its samples."""

    def __init__(self, name: str, documentation: str, labels: tuple[str, ...]):
        self.name, self.documentation, self.labels = name, documentation, labels
        self.sources: dict[str, Callable[[], Iterable[tuple[tuple[str, ...], float]]]] = {}
        self._lock = threading.Lock()

    def describe(self):
        return [GaugeMetricFamily(self.name, self.documentation, labels=("service", *self.labels))]

    def collect(self):
        family = GaugeMetricFamily(self.name, self.documentation, labels=("service", *self.labels))
        with self._lock:
            sources = list(self.sources.items())
        for service, read in sources:
            try:
                samples = list(read())
            except Exception:  # the database down must not fail the whole scrape
                log.warning("metric %s of %s not read", self.name, service, exc_info=True)
                continue
            for labels, value in samples:
                family.add_metric([service, *labels], value)
        yield family


_collectors: dict[str, _DatabaseCollector] = {}
_collectors_lock = threading.Lock()


def database_collector(name: str, documentation: str, labels=()) -> _DatabaseCollector:
    """The process's collector of `name`, registered once in the default registry."""
    with _collectors_lock:
        if name not in _collectors:
            _collectors[name] = _DatabaseCollector(name, documentation, tuple(labels))
            REGISTRY.register(_collectors[name])
        return _collectors[name]


class DatabaseGauge(DependencyProvider):
    """A gauge family read from the service's database when Prometheus scrapes:

        delivery = DatabaseGauge("gawe_notifications", "Notifications by status",
                                 ("status", "channel"), store.count_by_status)

    `read(session)` returns {(label values...): number}; the `service` label is added."""

    def __init__(self, name: str, documentation: str, labels: tuple[str, ...], read):
        self.name, self.documentation, self.labels, self.read = name, documentation, labels, read

    def setup(self):
        from servicekit.database import Database

        db = next(d for d in self.container.dependencies if isinstance(d, Database))
        collector = database_collector(self.name, self.documentation, self.labels)

        def read():
            with db.session_factory() as session:
                return list(self.read(session).items())

        collector.sources[self.container.service_name] = read
        self._collector = collector

    def stop(self):
        self._collector.sources.pop(self.container.service_name, None)

    def kill(self):
        self.stop()


def register_outbox(service: str, session_factory, table) -> Callable[[], None]:
    """Publish the outbox backlog of `service` at scrape time; returns the unregister call."""
    backlog = database_collector(
        "gawe_outbox_backlog", "Outbox rows committed but not published yet"
    )
    oldest = database_collector(
        "gawe_outbox_oldest_unpublished_seconds",
        "Age of the oldest outbox row not published yet (0 when none)",
    )
    unpublished = table.c.published_at.is_(None)

    def read_backlog():
        with session_factory() as session:
            count = session.execute(select(func.count()).where(unpublished)).scalar_one()
        return [((), count)]

    def read_oldest():
        with session_factory() as session:
            first = session.execute(select(func.min(table.c.created_at)).where(unpublished))
            created = first.scalar_one()
        if created is None:
            return [((), 0.0)]
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return [((), max(0.0, (datetime.now(UTC) - created).total_seconds()))]

    backlog.sources[service] = read_backlog
    oldest.sources[service] = read_oldest

    def unregister():
        backlog.sources.pop(service, None)
        oldest.sources.pop(service, None)

    return unregister


# --- the listener ----------------------------------------------------------------------------


class _Listener:
    """One HTTP listener per process (eventlet's WSGI server, prometheus_client's WSGI app)."""

    def __init__(self, host: str, port: int):
        self.socket = eventlet.listen((host, port))
        self.port = self.socket.getsockname()[1]
        self.thread = eventlet.spawn(
            eventlet.wsgi.server,
            self.socket,
            make_wsgi_app(REGISTRY),
            log_output=False,
            log=logging.getLogger("servicekit.metrics.http"),
        )
        self.users = 0

    def close(self) -> None:
        self.thread.kill()
        self.socket.close()


_listeners: dict[tuple[str, int], _Listener] = {}
_listeners_lock = threading.Lock()


class MetricsListener(SharedExtension):
    """Serves /metrics on METRICS_HOST:METRICS_PORT while its container runs (see module doc)."""

    _key: tuple[str, int] | None = None

    def start(self):
        config = self.container.config
        port = setting(config, "METRICS_PORT", 0, int)
        if not port:
            return
        key = (setting(config, "METRICS_HOST", "127.0.0.1"), port)
        with _listeners_lock:
            listener = _listeners.get(key)
            if listener is None:
                try:
                    listener = _listeners[key] = _Listener(*key)
                except OSError as exc:
                    log.warning(
                        "metrics listener not started on %s:%d: %s", key[0], key[1], exc.strerror
                    )
                    return
                log.info("metrics served on http://%s:%d/metrics", *key)
            listener.users += 1
            self._key = key

    def stop(self):
        with _listeners_lock:
            key, self._key = self._key, None
            listener = _listeners.get(key) if key else None
            if listener is None:
                return
            listener.users -= 1
            if listener.users <= 0:
                _listeners.pop(key).close()

    def kill(self):
        self.stop()


def time_statements(engine, service: str) -> None:
    """Observe every statement `engine` runs into DB_DURATION (kind `statement`)."""
    histogram = DB_DURATION.labels(service, "statement")

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("gawe_started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn, cursor, statement, parameters, context, executemany):
        started = conn.info.get("gawe_started")
        if started:
            histogram.observe(time.perf_counter() - started.pop())
