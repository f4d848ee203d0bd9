"""Typed clients of an app's RPCs, published in its contract.

An app's `contract.py` declares `class ComplaintsClient(Client)` with one method per RPC that
other processes may call (`def create_report(self, report: dict) -> dict`), each a one-line
`return self._call("create_report", report)`. Whoever holds a way to call the bus wraps it:

- the gateway: `ComplaintsClient(gateway.api.rpc)`, a function `(service, method, *args,
  **kwargs)` that adds the request's context;
- a service: `ComplaintsClient.over(self.complaints)`, where `complaints =
  ServiceRpc("complaints")` is its nameko dependency.

So a reader (or a tool) follows a call from the gateway into the service that serves it by
name, and a renamed RPC breaks at import time instead of at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Client:
    service: ClassVar[str]

    def __init__(self, call: Callable[..., Any]):
        self._caller = call

    @classmethod
    def over(cls, proxy) -> Client:
        """A client over a service's nameko proxy (`ServiceRpc(...)` dependency)."""
        return cls(
            lambda _service, method, *args, **kwargs: getattr(proxy, method)(*args, **kwargs)
        )

    def _call(self, method: str, *args, **kwargs):
        return self._caller(self.service, method, *args, **kwargs)
