"""Service-to-service RPC with a deadline.

nameko's RpcProxy waits forever for a stopped service. `ServiceRpc("gis")` gives a
proxy whose every call is bounded by a deadline (and whose request message expires
with it, so it is never executed late); a missed deadline or an unknown service
becomes `servicekit.errors.Unavailable`, a typed error the gateway answers with 503.
"""

from __future__ import annotations

import eventlet
from nameko.exceptions import UnknownService
from nameko.rpc import RpcProxy, ServiceProxy

from servicekit.config import setting
from servicekit.context import CALLER_KEY, REQUEST_ID_KEY, request_id_var
from servicekit.errors import Unavailable


class _DeadlineProxy:
    def __init__(self, proxy, service: str, deadline: float, worker_ctx, caller: str):
        self._proxy = proxy
        self._service = service
        self._deadline = deadline
        self._worker_ctx = worker_ctx
        self._caller = caller

    def __getattr__(self, method: str):
        remote = getattr(self._proxy, method)

        def call(*args, **kwargs):
            # The call says which service makes it (not who called this worker): internal RPCs
            # admit only the services they name (servicekit.entrypoints).
            data = self._worker_ctx.data
            inbound = data.get(CALLER_KEY)
            data[CALLER_KEY] = self._caller
            # the request the worker works for now (servicekit.context.working_for may rebind it)
            request_id = data.get(REQUEST_ID_KEY)
            if request_id_var.get():
                data[REQUEST_ID_KEY] = request_id_var.get()
            try:
                with eventlet.Timeout(self._deadline):
                    return remote(*args, **kwargs)
            except eventlet.Timeout:
                raise Unavailable(
                    f"Layanan {self._service} tidak menjawab dalam {self._deadline:g} detik.",
                    {"service": [self._service]},
                ) from None
            except UnknownService:
                raise Unavailable(
                    f"Layanan {self._service} sedang tidak tersedia.", {"service": [self._service]}
                ) from None
            finally:
                if inbound is None:
                    data.pop(CALLER_KEY, None)
                else:
                    data[CALLER_KEY] = inbound
                if request_id is not None:
                    data[REQUEST_ID_KEY] = request_id

        call.__name__ = method
        return call


class ServiceRpc(RpcProxy):
    """`gis = ServiceRpc("gis")` then `self.gis.locate(lat, lon)`; deadline: SERVICE_RPC_TIMEOUT."""

    def __init__(self, target_service: str, **options):
        self._deadline_option = options.pop("deadline", None)
        super().__init__(target_service, **options)

    def setup(self):
        super().setup()
        self.deadline = self._deadline_option or setting(
            self.container.config, "SERVICE_RPC_TIMEOUT", 5.0, float
        )
        self.options.setdefault("expiration", self.deadline)

    def get_dependency(self, worker_ctx):
        return _DeadlineProxy(
            super().get_dependency(worker_ctx),
            self.target_service,
            self.deadline,
            worker_ctx,
            self.container.service_name,
        )


class AppsRpc(ServiceRpc):
    """`apps = AppsRpc()` then `self.apps("proposals").trail_heads(query)`: a service that asks
    every installed app of a kind (e.g. each app with a public trail) names the app at the call;
    each call has the same deadline as ServiceRpc's. Its bus permissions are still its manifest's
    `calls`."""

    def __init__(self, **options):
        super().__init__("*", **options)

    def get_dependency(self, worker_ctx):
        def proxy(service: str) -> _DeadlineProxy:
            remote = ServiceProxy(worker_ctx, service, self.rpc_reply_listener, **self.options)
            return _DeadlineProxy(
                remote, service, self.deadline, worker_ctx, self.container.service_name
            )

        return proxy
