"""The platform in a real browser (issue 13): Debian's Chromium driven by Playwright against
the processes `make run` starts, with no tile server configured.

Every main page loads with no console error and no request leaving 127.0.0.1, axe-core finds
no serious or critical violation on it, and it is photographed at 360 and 1280 px
(var/test-output/screenshots). The boundaries map draws the kecamatan; a citizen places the pin
of a report by keyboard and by clicking the map, sees the desa named, files the report with a
photo and finds it on /saya. The other browser modules: the complaint maps (the same report on
the public map, moved on from the officer's queue map), Serang Open's maps, the leaders'
dashboard, and phones at 360 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.drive import PUBLIC_PAGES, SIGNED_IN_PAGES, slug

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SERIOUS = {"serious", "critical"}
# Serious or critical violations known and not fixed yet, by page (axe rule ids): listed here,
# never skipped; any other one fails the test.
KNOWN_VIOLATIONS: dict[str, set[str]] = {}  # page -> axe rule ids accepted for now: none


def test_every_main_page_loads_cleanly_is_accessible_and_photographed(drive):
    found = drive("pages")
    pages = {p["path"]: p for p in found["pages"]}
    assert list(pages) == PUBLIC_PAGES + list(SIGNED_IN_PAGES)
    assert found["foreign_requests"] == []
    problems = {}
    for path, page in pages.items():
        serious = {v["id"] for v in page["violations"] if v["impact"] in SERIOUS}
        wrong = {
            "status": page["status"] if page["status"] != 200 else None,
            "sent elsewhere": page["url"] if page["url"] != path else None,  # e.g. to /masuk
            "console errors": page["console_errors"],
            "axe": sorted(serious - KNOWN_VIOLATIONS.get(path, set())),
        }
        if any(wrong.values()):
            problems[path] = wrong | {"violations": page["violations"]}
        shots = [Path(s) for s in page["screenshots"]]
        assert [s.name for s in shots] == [f"{slug(path)}-{w}.png" for w in (360, 1280)]
        assert all(s.stat().st_size > 0 for s in shots)
    assert problems == {}


def test_public_map_draws_the_kecamatan_from_127_0_0_1_alone(drive):
    found = drive("peta")
    assert found["panes"] >= 4, found  # Leaflet's map, tile, overlay, marker... panes
    assert found["paths"] > 0, found  # the boundaries, SVG paths in the overlay pane
    assert found["console_errors"] == [], found
    assert found["foreign_requests"] == [], found


def test_citizen_pins_the_report_on_the_map_and_finds_it(drive):
    found = drive("report")
    first, moved = found["keyboard"]["steps"]
    assert "Enter" in found["keyboard"]["label"], found  # the map says how to use it by keyboard
    assert first["lat"] and first["lon"] and first["said"], found  # Enter placed the pin
    assert float(moved["lon"]) > float(first["lon"]), found  # panned east, placed again
    assert abs(float(moved["lat"]) - float(first["lat"])) < 0.001, found  # not north or south
    assert found["located"]["inside"] is True, found
    assert found["lokasi_terpilih"].startswith("Desa "), found
    assert "Kec. " in found["lokasi_terpilih"], found
    assert found["desa"] and found["desa"] in found["lokasi_terpilih"], found
    assert float(found["lat"]) < 0 < float(found["lon"]), found  # south of the equator, east
    assert found["photo"] is True, found
    assert "Foto terlampir" in found["result"], found
    assert found["on_saya"], found
    assert found["console_errors"] == [], found
    assert found["foreign_requests"] == [], found
