"""The real processes `make run` starts: `nameko run` with deploy/nameko.yaml and gunicorn with
deploy/gunicorn.conf.py, talking over a private vhost."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, data=None):
    request = urllib.request.Request(url, data=json.dumps(data).encode() if data else None)
    if data:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def wait_for(predicate, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture
def processes(module_vhost, databases, tmp_path):
    port = free_port()
    env = os.environ | {
        "AMQP_URI": module_vhost["AMQP_URI"],
        "ACCOUNTS_DATABASE_URL": databases.create("accounts"),
        "GAWE_VAR_DIR": str(tmp_path / "var"),
        "GATEWAY_BIND": f"127.0.0.1:{port}",
        "GATEWAY_SERVICES": "accounts",
        "GATEWAY_WORKERS": "1",
        "DEMO_PASSWORD": "demo-Gawe-2026",
        "LOG_LEVEL": "INFO",
    }
    env.pop("GATEWAY_SECRET_KEY", None)
    subprocess.run(
        [BIN / "python", "-m", "services.accounts.demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    started = {
        "accounts": subprocess.Popen(
            [
                BIN / "nameko",
                "run",
                "--config",
                "deploy/nameko.yaml",
                "services.accounts.service:AccountsService",
            ],
            env=env | {"GAWE_SERVICE_NAME": "accounts"},
            cwd=ROOT,
            stdout=(logs / "accounts.log").open("w"),
            stderr=subprocess.STDOUT,
        ),
        "gateway": subprocess.Popen(
            [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            env=env,
            cwd=ROOT,
            stdout=(logs / "gateway.log").open("w"),
            stderr=subprocess.STDOUT,
        ),
    }
    try:
        yield f"http://127.0.0.1:{port}", env, logs, started
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def test_real_processes_serve_readiness_and_demo_login_then_stop_cleanly(processes):
    base, env, logs, started = processes
    assert wait_for(lambda: get(base + "/readyz")[0] == 200), (logs / "gateway.log").read_text()[
        -2000:
    ]

    status, body = get(
        base + "/api/v1/auth/login", {"email": "kesra@gawe.example", "password": "demo-Gawe-2026"}
    )
    assert status == 200
    assert body["user"]["roles"] == ["verifier"] and body["user"]["agency"] == "KESRA"

    # make demo hands the demo citizen's id to the other services' demo loaders
    status, warga = get(
        base + "/api/v1/auth/login", {"email": "warga@gawe.example", "password": "demo-Gawe-2026"}
    )
    printed = subprocess.run(
        [BIN / "python", "-m", "services.accounts.demo", "--user-id", "warga@gawe.example"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert status == 200 and printed.strip() == str(warga["user"]["id"])

    key_file = Path(env["GAWE_VAR_DIR"]) / "gateway_secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"

    for process in started.values():
        process.send_signal(signal.SIGTERM)
    for name, process in started.items():
        assert process.wait(timeout=20) == 0, name

    lines = [
        json.loads(line)
        for line in (logs / "accounts.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert lines and all("request_id" in line and "level" in line for line in lines)
    assert any(line.get("message") == "stopping services: accounts" for line in lines)
