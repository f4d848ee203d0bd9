"""Entrypoints with Gawe's conventions.

`rpc`: typed service errors are expected (logged as warnings, not tracebacks), and
every database session of the worker is committed before the reply leaves, so
the caller's next request sees the change; a worker that failed has its sessions rolled back
before the reply leaves, so the caller's next request never waits on the locks the failed one
took (on SQLite a write lock held past the reply blocked the next writer of the same process:
its busy wait does not yield to the green thread that would have released it).

`@rpc(callers=("notifications",))` makes an RPC internal: only the named services may call
it (the caller's name travels in the call's context, set by servicekit.rpc.ServiceRpc and by
the gateway's client, never by a user); any other caller, the gateway included, gets
Forbidden and no worker runs. The broker adds the second wall: each service's bus user may
publish only its own calls (deploy/rabbitmq/definitions.json).

A call RabbitMQ delivers again (the process that took it died before answering) is refused
with Unavailable (503), never run a second time: calls are at most once.

Every RPC a service answers is logged (`rpc handled`, its method and outcome) under the
request id it carries, so a request can be followed into every service it calls.
"""

from __future__ import annotations

import logging
import sys
import time

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError
from nameko.rpc import Rpc as _NamekoRpc

from servicekit.context import CALLER_KEY
from servicekit.database import Database
from servicekit.errors import EXPECTED_ERRORS, Forbidden, Unavailable
from servicekit.metrics import RPC_DURATION, RPC_HANDLED, MetricsListener, rpc_outcome
from servicekit.replies import RpcConsumer

log = logging.getLogger(__name__)
# a connection or channel that broke: the reply cannot go out now
BUS_ERRORS = (OSError, OperationalError, AMQPError)


def commit_worker(worker_ctx) -> None:
    for provider in worker_ctx.container.dependencies:
        if isinstance(provider, Database):
            provider.commit(worker_ctx)


def rollback_worker(worker_ctx) -> None:
    for provider in worker_ctx.container.dependencies:
        if isinstance(provider, Database):
            provider.rollback(worker_ctx)


class Rpc(_NamekoRpc):
    # every service answers RPCs, so every service process serves its metrics (METRICS_PORT)
    metrics_listener = MetricsListener()
    rpc_consumer = RpcConsumer()  # replies serialised once, without a confirm (replies.py)

    def __init__(self, expected_exceptions=(), sensitive_arguments=(), callers=None, **kwargs):
        if not isinstance(expected_exceptions, tuple):
            expected_exceptions = (expected_exceptions,)
        self.callers = tuple(callers) if callers is not None else None
        super().__init__(
            expected_exceptions=expected_exceptions + EXPECTED_ERRORS,
            sensitive_arguments=sensitive_arguments,
            **kwargs,
        )

    def handle_message(self, body, message):
        message.gawe_received = time.perf_counter()
        if message.delivery_info.get("redelivered"):
            # A call taken by a process that died (kill -9, a lost connection) before it
            # answered: RabbitMQ hands it out again, but the first run may have committed
            # already. Running it twice could store a report twice, so it is answered 503 at
            # once; the caller checks before trying again (at most once, never twice).
            log.warning("redelivered RPC refused", extra={"method": self.method_name})
            try:
                raise Unavailable(
                    "Permintaan terputus karena layanan dimulai ulang; periksa hasilnya "
                    "sebelum mengulang.",
                    {"layanan": [f"{self.container.service_name} dimulai ulang"]},
                )
            except Unavailable:
                self.handle_result(message, None, None, sys.exc_info())
            return
        if self.callers is not None:
            caller = self.unpack_message_headers(message).get(CALLER_KEY)
            if caller not in self.callers:
                log.warning(
                    "internal RPC refused",
                    extra={"method": self.method_name, "caller": str(caller)[:64]},
                )
                try:
                    raise Forbidden(
                        "RPC internal: hanya untuk layanan tertentu.",
                        {"caller": [f"diperlukan salah satu dari: {', '.join(self.callers)}"]},
                    )
                except Forbidden:
                    self.handle_result(message, None, None, sys.exc_info())
                return
        super().handle_message(body, message)

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is None:
            try:
                commit_worker(worker_ctx)
            except EXPECTED_ERRORS:
                exc_info = sys.exc_info()
            except Exception:
                log.exception("commit failed for %s", worker_ctx)
                exc_info = sys.exc_info()
        if exc_info is not None and worker_ctx is not None:
            rollback_worker(worker_ctx)
        log.info(
            "rpc handled",
            extra={
                "method": f"{self.container.service_name}.{self.method_name}",
                "outcome": "ok" if exc_info is None else exc_info[0].__name__,
            },
        )
        service, method = self.container.service_name, self.method_name
        RPC_HANDLED.labels(service, method, rpc_outcome(exc_info, EXPECTED_ERRORS)).inc()
        received = getattr(message, "gawe_received", None)
        if received is not None:
            RPC_DURATION.labels(service, method).observe(time.perf_counter() - received)
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except BUS_ERRORS as exc:
            # The bus went away between the work and its reply (the work is committed). Raised
            # here, this would end the worker with an error, and nameko stops the whole
            # service for it (found by tests/platform/test_faults_bus.py). The caller gets no
            # answer (its deadline: 504); the request, never acknowledged, comes back when the
            # connection does and is answered 503 as a redelivery, never run twice.
            log.warning(
                "rpc reply not sent: the message bus is unreachable",
                extra={"method": f"{service}.{method}", "error": type(exc).__name__},
            )
            return result, exc_info


rpc = Rpc.decorator
