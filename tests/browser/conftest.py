"""The browser tests' platform: the real processes of `make run` (tests/e2e), with no tile
server configured, so every page must load from 127.0.0.1 alone. One platform serves every
module of this package (started once: each start costs about half a minute); each scenario
checks what it made itself, never a count of everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import started_platform
from tests.e2e.live import DEMO_PASSWORD, ROOT

# Where the screenshots go: stable, so CI can keep them (var/ is ignored by git).
SCREENSHOTS = ROOT / "var" / "test-output" / "screenshots"


@pytest.fixture(scope="package")
def no_tiles():
    """GAWE_TILE_URL unset for the platform's processes (they copy this environment)."""
    saved = os.environ.pop("GAWE_TILE_URL", None)
    yield
    if saved is not None:
        os.environ["GAWE_TILE_URL"] = saved


@pytest.fixture(scope="package")
def browser_vhost(rabbit_manager, request, run_id):
    """A RabbitMQ vhost of the browser tests' own; deleted with all its queues afterwards."""
    from tests.support.bus import temporary_vhost

    with temporary_vhost(rabbit_manager, request.config, f"gawe_{run_id}_browser") as cfg:
        yield cfg


@pytest.fixture(scope="package")
def live(no_tiles, browser_vhost, databases, tmp_path_factory):
    """`make run`'s processes, once for the whole package."""
    with started_platform(browser_vhost["AMQP_URI"], databases, tmp_path_factory) as platform:
        yield platform


@pytest.fixture(scope="package")
def platform_url(live):
    assert "GAWE_TILE_URL" not in live.env
    return live.base


@pytest.fixture(scope="package")
def drive(platform_url):
    """Run a scenario of tests/browser/drive.py in a process of its own; its JSON answer."""

    def run(scenario: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.browser.drive", scenario, platform_url, str(SCREENSHOTS)],
            cwd=ROOT,
            env={**os.environ, "DEMO_PASSWORD": DEMO_PASSWORD},
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run
