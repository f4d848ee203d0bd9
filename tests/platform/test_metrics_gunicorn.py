"""The gateway's /metrics under gunicorn as `make run` starts it: every worker's figures summed
(prometheus_client's multiprocess mode, set up by deploy/gunicorn.conf.py), and a worker killed
with SIGKILL leaves the live gauges (its files marked dead by the child_exit hook).

No service is needed: /healthz and /metrics answer without the bus doing anything.
"""

from __future__ import annotations

import os
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.live import BIN, ROOT, free_port
from tests.support.waiting import wait_until

WORKERS, POOL = 2, 3


def sample(body: str, name: str, **labels) -> float:
    total = 0.0
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            if s.name == name and labels.items() <= s.labels.items():
                total += s.value
    return total


def scrape(base: str) -> str | None:
    """/metrics, or None while nothing listens or the worker taking it is still booting."""
    try:
        return requests.get(f"{base}/metrics", timeout=5).text
    except requests.RequestException:
        return None


@pytest.fixture(scope="module")
def gunicorn(module_vhost, tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    stale = var / "prometheus-gateway"
    stale.mkdir()
    (stale / "counter_1.db").write_bytes(b"left by an earlier run")  # emptied at start
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "PROMETHEUS_"))}
    env |= {
        "AMQP_URI": module_vhost["AMQP_URI"],
        "GAWE_VAR_DIR": str(var),
        "GATEWAY_BIND": f"127.0.0.1:{port}",
        "GATEWAY_WORKERS": str(WORKERS),
        "GATEWAY_RPC_POOL_SIZE": str(POOL),
        "GATEWAY_SECRET_KEY": "test-secret-key-with-enough-entropy-0123456789",
        "GIS_EDGE_LOCATE": "false",
    }
    log = (var / "gateway.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up():
            assert process.poll() is None, (var / "gateway.log").read_text()[-2000:]
            body = scrape(base)
            # every worker has made its RPC pool (create_app) and written its gauge
            return body is not None and sample(body, "gawe_gateway_rpc_pool_size") == WORKERS * POOL

        wait_until(up, timeout=60, interval=0.2)
        yield base, process, stale
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_metrics_add_up_every_worker(gunicorn):
    base, process, folder = gunicorn
    assert not (folder / "counter_1.db").exists()  # an earlier run's figures are not counted
    before = sample(requests.get(f"{base}/metrics", timeout=5).text, "gawe_http_requests_total")

    def hit(_):
        with requests.Session() as session:  # a connection of its own: any worker may take it
            return session.get(f"{base}/healthz", timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(hit, range(40))) == {200}
    body = requests.get(f"{base}/metrics", timeout=5).text
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    assert sample(body, "gawe_http_requests_total", **labels) == 40
    # the 40 requests plus the scrape before them, whichever worker answered each
    assert sample(body, "gawe_http_requests_total") == before + 41
    assert sample(body, "gawe_gateway_rpc_pool_size") == WORKERS * POOL
    assert len(psutil.Process(process.pid).children()) == WORKERS


def test_a_killed_worker_leaves_the_live_gauges(gunicorn):
    base, process, folder = gunicorn
    victim = psutil.Process(process.pid).children()[0].pid
    os.kill(victim, signal.SIGKILL)

    def replaced():
        pids = {child.pid for child in psutil.Process(process.pid).children()}
        if victim in pids or len(pids) != WORKERS:
            return False
        body = scrape(base)
        # gunicorn started a new worker; the dead one's pool is no longer counted
        return body is not None and sample(body, "gawe_gateway_rpc_pool_size") == WORKERS * POOL

    wait_until(replaced, timeout=60, interval=0.2)
    assert not list(folder.glob(f"gauge_livesum_{victim}.db"))
