"""The suite talks to the broker AMQP_URI names, as every process of the platform does."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def test_the_options_follow_amqp_uri_when_it_is_set(request):
    """Run in every session: the broker options agree with AMQP_URI (or nameko's defaults when
    it is unset). With GAWE_PROBE_OUT set (the test below), it also writes them down."""
    amqp = request.config.getoption("RABBIT_AMQP_URI")
    api = request.config.getoption("RABBIT_API_URI")
    if out := os.environ.get("GAWE_PROBE_OUT"):
        Path(out).write_text(json.dumps({"amqp": amqp, "api": api}))
    if os.environ.get("AMQP_URI"):
        assert urlsplit(amqp).netloc == urlsplit(os.environ["AMQP_URI"]).netloc
    else:
        assert urlsplit(amqp).hostname in {"localhost", "127.0.0.1"}


def test_a_run_started_with_amqp_uri_uses_its_host_credentials_and_management_api(tmp_path):
    out = tmp_path / "options.json"
    env = os.environ | {
        "AMQP_URI": "amqp://pengguna:rahasia@rabbit.internal:5673/gawe",
        "GAWE_PROBE_OUT": str(out),
    }
    env.pop("CI", None)  # the inner run is one test, judged here
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            f"{__file__}::{test_the_options_follow_amqp_uri_when_it_is_set.__name__}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout[-2000:]
    options = json.loads(out.read_text())
    assert options == {
        "amqp": "amqp://pengguna:rahasia@rabbit.internal:5673/",
        "api": "http://pengguna:rahasia@rabbit.internal:15672",
    }
