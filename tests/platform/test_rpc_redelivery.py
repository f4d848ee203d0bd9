"""A call RabbitMQ delivers a second time is refused, never run twice (servicekit.entrypoints).

The process that took the call died before answering (kill -9, a lost connection): the broker
hands the call out again, marked redelivered, and the first run may have committed already.
Here the first taker is a bare consumer that takes the call and closes its connection without
acknowledging it, which is what RabbitMQ sees of a killed process, deterministically.
"""

from __future__ import annotations

import pytest
from kombu import Connection
from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ClusterRpcProxy

from servicekit.entrypoints import rpc
from servicekit.errors import Unavailable
from tests.support.waiting import wait_until

RUNS: list[str] = []


class Counter:
    name = "redelivery_probe"

    @rpc
    def record(self, marker: str) -> str:
        RUNS.append(marker)
        return marker


@pytest.fixture
def config(module_vhost):
    return {"AMQP_URI": module_vhost["AMQP_URI"]}


def started(config) -> ServiceContainer:
    container = ServiceContainer(Counter, config)
    container.start()
    return container


def waiting_calls(config) -> int:
    with Connection(config["AMQP_URI"], connect_timeout=5) as conn:
        return conn.default_channel.queue_declare(queue="rpc-redelivery_probe", passive=True)[1]


def test_a_redelivered_call_is_answered_unavailable_and_not_run(config):
    RUNS.clear()
    started(config).stop()  # its durable RPC queue stays, with nobody consuming it
    with ClusterRpcProxy(config, timeout=30) as proxy:
        reply = proxy.redelivery_probe.record.call_async("first")
        wait_until(lambda: waiting_calls(config) == 1, timeout=10)
        # a consumer takes the call and "dies" before acknowledging it
        with Connection(config["AMQP_URI"], connect_timeout=5) as taker:
            taken = taker.default_channel.basic_get("rpc-redelivery_probe", no_ack=False)
            assert taken is not None and not taken.delivery_info["redelivered"]
        container = started(config)
        try:
            with pytest.raises(Unavailable) as refused:
                reply.result()
            assert refused.value.errors == {"layanan": ["redelivery_probe dimulai ulang"]}
            assert RUNS == []  # never run: the first taker may have run it
            assert proxy.redelivery_probe.record("second") == "second"  # a fresh call runs
            assert RUNS == ["second"]
            assert waiting_calls(config) == 0
        finally:
            container.stop()
