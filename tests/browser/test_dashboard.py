"""The leaders' dashboard in a real browser (issue 13): on /dasbor, signed in as the demo
regent, the open-report count rises within five seconds of a report filed through the API,
without a reload; /dasbor and /angka have no serious accessibility violation, no console
error, nothing loaded from elsewhere, and fit a 360 px phone."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SERIOUS = {"serious", "critical"}


def test_the_open_report_count_rises_without_a_reload(drive):
    found = drive("tests.browser.scenarios.dashboard:count_rises")
    assert found["landed"].endswith("/dasbor")  # the regent lands on the dashboard
    assert found["filed"] == 201
    assert found["after"] == found["before"] + 1 and found["rose_ms"] <= 5000
    assert found["same_page"] is True and "aktif" in found["live_status"]
    assert found["charts"] >= 5
    for page in (found, found["angka"]):
        assert not [v["id"] for v in page["violations"] if v["impact"] in SERIOUS]
        assert page["fits"]["scroll_width_360"] <= 360
    assert found["angka"]["status"] is True
    assert found["console_errors"] == [] and found["foreign_requests"] == []
