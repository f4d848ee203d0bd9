"""One pooled, thread-safe nameko RPC client per gateway process.

A standalone proxy is not thread-safe, and one per request costs a reply queue and
~9 ms. So each process keeps a pool: a thread checks a proxy out, sets the call's
context (correlation id, acting user), calls, and returns it. A proxy that timed
out or lost its connection is thrown away (a late reply would otherwise linger in
it). Requests carry a TTL equal to the timeout, so a request queued for a stopped
service is dropped by RabbitMQ instead of being executed long after the caller
gave up.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from contextlib import contextmanager

from amqp.exceptions import NotFound as AmqpNotFound
from kombu import Connection
from kombu.exceptions import OperationalError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterProxy, ClusterRpcProxy, ServiceProxy

from gateway.metrics import POOL_IN_USE, POOL_SIZE, observe_rpc
from servicekit.context import CALLER_KEY, GATEWAY
from servicekit.errors import ServiceError  # also registers the typed errors for deserialisation

log = logging.getLogger(__name__)


class GatewayUnavailable(Exception):
    """A service (or the bus) cannot answer now: HTTP 503, or 504 for a slow service."""

    def __init__(self, service: str | None, status: int, detail: str):
        super().__init__(detail)
        self.service = service
        self.status = status
        self.detail = detail


class _ExpiringClusterProxy(ClusterProxy):
    def __init__(self, worker_ctx, reply_listener, expiration: float):
        super().__init__(worker_ctx, reply_listener)
        self._expiration = expiration

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._proxies:
            self._proxies[name] = ServiceProxy(
                self._worker_ctx, name, self._reply_listener, expiration=self._expiration
            )
        return self._proxies[name]


class _PooledProxy:
    def __init__(self, config: dict, timeout: float, generation: int = 0):
        self.generation = generation  # the pool's generation it was made in (RpcPool)
        self.standalone = ClusterRpcProxy(config, timeout=timeout)
        self.standalone.start()
        self.standalone._proxy = _ExpiringClusterProxy(
            self.standalone._worker_ctx, self.standalone._reply_listener, expiration=timeout
        )
        self.broken = False

    def call(self, service: str, method: str, context: dict, args, kwargs):
        self.standalone._worker_ctx.data = dict(context)
        return getattr(self.standalone._proxy[service], method)(*args, **kwargs)

    def close(self) -> None:
        try:
            self.standalone.stop()
        except Exception:  # already broken: nothing to clean up but the socket
            log.debug("closing a broken RPC proxy", exc_info=True)


class RpcPool:
    """Proxies of a generation that saw a call fail are not used again. When one call finds the
    connection broken (or gets no answer, which is how a dead connection shows when it broke
    between calls), every idle proxy's reply queue likely went with it (it is deleted with its
    connection), and a stale proxy reconnects only after the reply to its next call was dropped:
    a 504 for a service that answered, once per stale proxy. So a failed call starts a new
    generation, and idle proxies of an older one are closed instead of used (a new proxy costs
    a few ms)."""

    def __init__(self, amqp_uri: str, timeout: float, size: int):
        self._generation = 0
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.config = {"AMQP_URI": amqp_uri, "serializer": "json"}
        self._idle: queue.LifoQueue[_PooledProxy] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._size = size
        POOL_SIZE.inc(size)

    @contextmanager
    def _checkout(self):
        if not self._slots.acquire(timeout=self.timeout):
            raise GatewayUnavailable(None, 503, "Gateway sedang sibuk; coba lagi sebentar lagi.")
        proxy = None
        POOL_IN_USE.inc()
        try:
            proxy = self._idle_proxy() or _PooledProxy(self.config, self.timeout, self._generation)
            yield proxy
        finally:
            if proxy is not None:
                if proxy.broken:
                    self._generation = max(self._generation, proxy.generation + 1)
                if proxy.broken or proxy.generation < self._generation:
                    proxy.close()
                else:
                    self._idle.put(proxy)
            POOL_IN_USE.dec()
            self._slots.release()

    def _idle_proxy(self) -> _PooledProxy | None:
        """The newest idle proxy of the current generation; older ones are closed."""
        while True:
            try:
                proxy = self._idle.get_nowait()
            except queue.Empty:
                return None
            if proxy.generation >= self._generation:
                return proxy
            proxy.close()

    def call(self, service: str, method: str, *args, context: dict | None = None, **kwargs):
        """Call `service.method`; typed service errors pass through unchanged. Each call is
        counted by its outcome (gateway.metrics): ok, the typed error, error, timeout (504) or
        unavailable (503)."""
        started, outcome = time.perf_counter(), "error"
        try:
            result = self._call(service, method, args, kwargs, context)
            outcome = "ok"
            return result
        except GatewayUnavailable as exc:
            outcome = "timeout" if exc.status == 504 else "unavailable"
            raise
        except ServiceError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            observe_rpc(service, method, outcome, started)

    def _call(self, service: str, method: str, args, kwargs, context: dict | None):
        context = {**(context or {}), CALLER_KEY: GATEWAY}  # what the services see as the caller
        try:
            with self._checkout() as proxy:
                try:
                    return proxy.call(service, method, context, args, kwargs)
                except RpcTimeout:
                    proxy.broken = True
                    raise
                except (TimeoutError, OSError, OperationalError, ConnectionError):
                    proxy.broken = True
                    raise
        except RpcTimeout:
            if self.consumer_count(service) == 0:
                raise GatewayUnavailable(
                    service, 503, f"Layanan {service} sedang tidak tersedia."
                ) from None
            raise GatewayUnavailable(
                service, 504, f"Layanan {service} tidak menjawab tepat waktu."
            ) from None
        except UnknownService:
            raise GatewayUnavailable(
                service, 503, f"Layanan {service} sedang tidak tersedia."
            ) from None
        except (OSError, OperationalError, ConnectionError):
            log.warning("message bus unreachable", exc_info=True)
            raise GatewayUnavailable(
                service, 503, "Bus pesan (RabbitMQ) tidak dapat dihubungi."
            ) from None

    def consumer_count(self, service: str) -> int | None:
        """Workers listening for `service` RPC now: 0 when it is stopped, None if the bus is down."""
        try:
            with Connection(self.amqp_uri, connect_timeout=min(self.timeout, 3)) as conn:
                channel = conn.channel()
                try:
                    _, _, consumers = channel.queue_declare(queue=f"rpc-{service}", passive=True)
                    return consumers
                except AmqpNotFound:
                    return 0
        except (OSError, OperationalError, ConnectionError):
            return None

    def bus_reachable(self) -> bool:
        try:
            with Connection(self.amqp_uri, connect_timeout=min(self.timeout, 3)) as conn:
                conn.connect()
            return True
        except (OSError, OperationalError, ConnectionError):
            return False

    def close(self) -> None:
        POOL_SIZE.dec(self._size)
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
