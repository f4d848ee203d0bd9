"""The browser tests' platform: the real processes of `make run` (tests/e2e), with no tile
server configured, so every page must load from 127.0.0.1 alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import live  # noqa: F401  (the fixture, started once per module)
from tests.e2e.live import DEMO_PASSWORD, ROOT

# Where the screenshots go: stable, so CI can keep them (var/ is ignored by git).
SCREENSHOTS = ROOT / "var" / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def no_tiles():
    """GAWE_TILE_URL unset for the platform's processes (they copy this environment)."""
    saved = os.environ.pop("GAWE_TILE_URL", None)
    yield
    if saved is not None:
        os.environ["GAWE_TILE_URL"] = saved


@pytest.fixture(scope="module")
def platform_url(no_tiles, live):  # noqa: F811
    assert "GAWE_TILE_URL" not in live.env
    return live.base


@pytest.fixture(scope="module")
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
