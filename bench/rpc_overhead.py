"""The cost of crossing RabbitMQ: one `health` round trip against the same call in-process."""

from __future__ import annotations

import statistics
import time

from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.services import worker_factory
from sqlalchemy.orm import Session

from servicekit.config import amqp_uri, database_url
from servicekit.database import make_engine
from services.accounts.service import AccountsService


def _timed(call, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def measure(n: int = 2000) -> dict:
    engine = make_engine(database_url("accounts"))
    with Session(engine) as session:
        service = worker_factory(AccountsService, db=session)
        _timed(service.health, 50)
        local = _timed(service.health, n)
    engine.dispose()
    with ClusterRpcProxy({"AMQP_URI": amqp_uri()}, timeout=10) as rpc:
        _timed(rpc.accounts.health, 50)
        remote = _timed(rpc.accounts.health, n)
    local_p50, remote_p50 = statistics.median(local), statistics.median(remote)
    return {
        "calls": n,
        "in_process_p50_ms": local_p50 * 1000,
        "rpc_p50_ms": remote_p50 * 1000,
        "rpc_p99_ms": sorted(remote)[int(n * 0.99) - 1] * 1000,
        "ratio": remote_p50 / local_p50,
    }
