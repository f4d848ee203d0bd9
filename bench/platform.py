"""Start and stop the whole platform for a benchmark, exactly as `make run` does (supervisord on
the configuration servicekit.supervise writes from the installed apps' manifests)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kombu import Connection

from servicekit import supervise
from servicekit.config import amqp_uri

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The running platform's supervisor pid and environment (bench.memory walks the process tree
# under the pid; bench.replicas starts extra service processes with the same environment).
CURRENT: dict = {}


def gateway_url() -> str:
    return "http://" + os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=5) as response:
            return json.loads(response.read())["status"] == "ok"
    except OSError:
        return False


def _already_running() -> bool:
    with Connection(amqp_uri(), connect_timeout=3) as conn:
        try:
            _, _, consumers = conn.channel().queue_declare(queue="rpc-accounts", passive=True)
        except Exception:
            return False
        return consumers > 0


@contextlib.contextmanager
def running_platform(log_path: Path):
    """Yield the gateway URL once /readyz is ok; stop every process afterwards."""
    if _already_running():
        raise SystemExit(
            "The platform is already running (make run?): stop it first, the benchmark starts its own."
        )
    log = log_path.open("w")
    var = Path(os.environ.get("GAWE_VAR_DIR", "var"))
    conf = supervise.write(f"{BIN}/", var, ROOT)
    # supervise.PROCESS_ENV, as the image and the systemd env file set it (Dockerfile)
    env = (
        os.environ
        | supervise.process_env()
        | {
            # The default of `make run` (every request's line logged): logging is part of the
            # per-request cost issue #15 measures. BENCH_LOG_LEVEL=WARNING measures without it.
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
            # One demo citizen files every report of the file_report scenario: at the product's
            # limit (10 per 10 minutes) nearly all would be 429s, measuring only the limiter.
            "COMPLAINTS_RATE_LIMIT": os.environ.get("COMPLAINTS_RATE_LIMIT", "100000000"),
            # The login scenario signs in from one address thousands of times a minute: the
            # per-address limit would measure the limiter (the per-account lockout still applies).
            "GATEWAY_LIMIT_LOGIN": os.environ.get("GATEWAY_LIMIT_LOGIN", "100000000 per minute"),
            "GATEWAY_LIMIT_REGISTER": os.environ.get(
                "GATEWAY_LIMIT_REGISTER", "100000000 per minute"
            ),
        }
    )
    process = subprocess.Popen(
        [BIN / "supervisord", "-c", str(conf)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    CURRENT.update(pid=process.pid, env=env)
    url = gateway_url()
    try:
        deadline = time.monotonic() + 120
        while not _ready(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"platform did not become ready; see {log_path}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # supervisord stops every process gracefully
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        CURRENT.clear()
        log.close()
