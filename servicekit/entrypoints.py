"""Entrypoints with Gawe's conventions.

`rpc`: typed service errors are expected (logged as warnings, not tracebacks), and
every database session of the worker is committed before the reply leaves, so
the caller's next request sees the change.
"""

from __future__ import annotations

import logging
import sys

from nameko.rpc import Rpc as _NamekoRpc

from servicekit.database import Database
from servicekit.errors import EXPECTED_ERRORS

log = logging.getLogger(__name__)


def commit_worker(worker_ctx) -> None:
    for provider in worker_ctx.container.dependencies:
        if isinstance(provider, Database):
            provider.commit(worker_ctx)


class Rpc(_NamekoRpc):
    def __init__(self, expected_exceptions=(), sensitive_arguments=(), **kwargs):
        if not isinstance(expected_exceptions, tuple):
            expected_exceptions = (expected_exceptions,)
        super().__init__(
            expected_exceptions=expected_exceptions + EXPECTED_ERRORS,
            sensitive_arguments=sensitive_arguments,
            **kwargs,
        )

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is None:
            try:
                commit_worker(worker_ctx)
            except EXPECTED_ERRORS:
                exc_info = sys.exc_info()
            except Exception:
                log.exception("commit failed for %s", worker_ctx)
                exc_info = sys.exc_info()
        return super().handle_result(message, worker_ctx, result, exc_info)


rpc = Rpc.decorator
