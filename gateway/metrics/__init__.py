"""The gateway's Prometheus metrics (prometheus_client), served at `/metrics` (rest.py).

- `gawe_http_requests_total{route,method,status}` and `gawe_http_request_duration_seconds{route,
  method}`: `route` is the Flask rule's template (`/api/v1/complaints/<public_id>`), `<unmatched>`
  for a path no rule serves, never the path itself (it may hold an id or an email);
- `gawe_gateway_rpc_calls_total{service,method,outcome}` and `gawe_gateway_rpc_duration_seconds
  {service,method}` (gateway/rpc.py): outcome `ok`, a typed service error's class (`Invalid`,
  `NotFound`, ...), `error` (any other exception), `timeout` (504: the service runs but did not
  answer in time) or `unavailable` (503: stopped, the bus down or the pool busy);
- `gawe_gateway_rpc_pool_in_use` and `gawe_gateway_rpc_pool_size`: pooled RPC proxies checked out
  and the pool's slots, summed over the live worker processes.

gunicorn runs several worker processes: deploy/gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR (a
folder under GAWE_VAR_DIR, emptied when the master starts, dead workers marked by `child_exit`)
before any worker imports prometheus_client, and `/metrics` then adds up every worker's files.
Without that variable (tests, `flask run`) the process's own registry is served.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: most pages and calls take a few ms; the RPC timeout is 5 s, the worker's 30 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "gawe_http_requests",
    "HTTP requests answered by the gateway, by route template, method and status",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "gawe_http_request_duration_seconds",
    "Time the gateway took to answer, by route template and method",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RPC_CALLS = Counter(
    "gawe_gateway_rpc_calls",
    "RPCs the gateway made, by service, method and outcome",
    ["service", "method", "outcome"],
)
RPC_DURATION = Histogram(
    "gawe_gateway_rpc_duration_seconds",
    "Time an RPC from the gateway took (pool wait included), by service and method",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
POOL_IN_USE = Gauge(
    "gawe_gateway_rpc_pool_in_use",
    "Pooled RPC proxies checked out now (all live worker processes)",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "gawe_gateway_rpc_pool_size",
    "Slots of the RPC pools (GATEWAY_RPC_POOL_SIZE per live worker process)",
    multiprocess_mode="livesum",
)


def label_method(method: str) -> str:
    return method if method in METHODS else "other"


_REQUEST_CHILDREN: dict[tuple, tuple] = {}  # (route, method, status) -> (counter, histogram)


def observe_request(route: str | None, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:  # labels() looks up under a lock each time: once per route is enough
        route, method = route or UNMATCHED, label_method(method)
        children = (
            HTTP_REQUESTS.labels(route, method, str(status)),
            HTTP_DURATION.labels(route, method),
        )
        if len(_REQUEST_CHILDREN) < 10_000:  # routes x methods x statuses: bounded anyway
            _REQUEST_CHILDREN[key] = children
    children[0].inc()
    children[1].observe(seconds)


def observe_rpc(service: str, method: str, outcome: str, started: float) -> None:
    RPC_CALLS.labels(service, method, outcome).inc()
    RPC_DURATION.labels(service, method).observe(time.perf_counter() - started)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric: summed over the gunicorn workers in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
