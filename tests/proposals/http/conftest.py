"""Every HTTP test module of Serang Open starts with this year's and next year's rounds open."""

import pytest


@pytest.fixture(autouse=True)
def _rounds_open(request) -> None:
    """Submitting needs an open round (issue 16): Kesra opens them through the API, once per
    module, for every test that runs on the module's platform (not the database-only ones)."""
    if "platform" in request.fixturenames:
        request.getfixturevalue("rounds_open")
