"""The gateway's pool of RPC proxies (gateway/rpc.py): after a failed call, the idle proxies
made before it are closed instead of used (their reply queues went with the connection)."""

from __future__ import annotations

import pytest

from gateway import rpc


class FakeProxy:
    """Stands for a pooled nameko proxy: no broker, it records what the pool does with it."""

    made: list[FakeProxy] = []

    def __init__(self, config: dict, timeout: float, generation: int = 0):
        self.generation = generation
        self.broken = False
        self.closed = False
        FakeProxy.made.append(self)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def pool(monkeypatch):
    FakeProxy.made = []
    monkeypatch.setattr(rpc, "_PooledProxy", FakeProxy)
    made = rpc.RpcPool("amqp://guest:guest@127.0.0.1:5672/", timeout=1.0, size=4)
    yield made
    made.close()


def test_a_failed_call_retires_every_idle_proxy_made_before_it(pool):
    with pool._checkout() as first, pool._checkout() as second:  # two calls at once
        assert first is not second
    assert not first.closed and not second.closed  # both idle now
    with pool._checkout() as used:
        assert used is first  # the last one given back
        used.broken = True  # its call found the connection broken
    assert first.closed
    with pool._checkout() as next_one:
        assert next_one not in (first, second)  # a new proxy, of the new generation
        assert next_one.generation == 1
    assert second.closed  # made before the failure: closed, never used again
    with pool._checkout() as again:
        assert again is next_one  # a healthy proxy of this generation is kept and reused
    assert not next_one.closed
    assert len(FakeProxy.made) == 3


def test_without_a_failure_the_idle_proxies_are_reused(pool):
    with pool._checkout() as first:
        pass
    for _ in range(3):
        with pool._checkout() as proxy:
            assert proxy is first
    assert FakeProxy.made == [first] and not first.closed
