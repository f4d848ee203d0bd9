"""The complaint maps in a real browser (issue 13): Debian's Chromium driven by Playwright against
the processes `make run` starts, with no tile server (scenarios: tests/browser/scenarios/complaints.py).

A citizen places the pin by clicking the map, sees the desa named, files the report with a photo,
finds it on /saya and on the public map of /pengaduan, whose marker leads to the report's page and
its own small map; the DPUPR officer opens it from the map of the queue and moves it on; the
citizen's page then shows the new status and the inbox an unread message. On the report form,
open reports of the chosen category near the pin appear on the map and in a list with "Dukung
laporan ini", which records the citizen's support; a refused field is named by its label. No
request leaves 127.0.0.1 and no page logs an error.
"""

from __future__ import annotations

import pytest

from gateway.complaints.maps import MAP_LIMIT
from services.complaints.contract import STATUS_LABELS

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_report_from_the_pin_to_the_public_map_and_moved_on_from_the_queue_map(drive):
    found = drive("tests.browser.scenarios.complaints:citizen_to_officer")
    public_id = found["public_id"]
    filed = found["filed"]
    # the pin placed by a click, the desa named, the photo attached, the report on /saya
    assert filed["located"]["inside"] is True and filed["lokasi_terpilih"].startswith("Desa ")
    assert filed["photo"] is True and "Foto terlampir" in filed["result"], filed
    assert filed["on_saya"] and found["on_saya_map"], found
    assert filed["console_errors"] == [] and filed["foreign_requests"] == [], filed

    # the public map: its first view asked the OGC layer once, bounded, and drew the report
    first = found["first_view"]
    assert first["loaded"] >= 1 and first["seconds"] < 5, first
    assert len(first["requests"]) >= 1, first
    assert all(f"limit={MAP_LIMIT}" in r and "bbox=" in r for r in first["requests"]), first
    assert STATUS_LABELS["submitted"] in first["legend"], first
    marker = found["public_marker"]
    assert marker["href"] == f"/pengaduan/{public_id}", marker
    assert "pin-submitted" in marker["class"], marker  # coloured by status...
    assert f"Status: {STATUS_LABELS['submitted']}" in marker["popup"], marker  # ...and named
    assert marker["title"].startswith(public_id), marker
    # the marker led to the report's page, which shows its point on a small map
    page = found["report_page"]
    assert page["path"] == f"/pengaduan/{public_id}", page
    assert page["marker_title"] == f"Lokasi laporan {public_id}", page
    assert 0 < page["map_width_at_360"] <= 360 and page["page_width_at_360"] <= 360, page

    # the officer's queue map: the marker links the staff page, where the report moved on
    queue = found["queue_marker"]
    assert queue["href"] == f"/staf/pengaduan/{public_id}", queue
    assert f"Status: {STATUS_LABELS['submitted']}" in queue["popup"], queue
    assert found["staff_page"] == f"/staf/pengaduan/{public_id}", found
    assert "Laporan diverifikasi" in found["staff_done"], found
    # the citizen: the new status on the report's page, an unread message in the inbox
    assert STATUS_LABELS["verified"] in found["status_heading"], found
    assert found["unread_after"] > found["unread_before"], found
    assert public_id in found["inbox_text"], found["inbox_text"][:2000]

    assert found["public_errors"] == [], found
    assert found["officer_errors"] == [], found
    assert found["citizen_errors"] == [], found
    assert found["foreign_requests"] == [], found


def test_open_reports_near_the_pin_can_be_supported_from_the_form(drive):
    found = drive("tests.browser.scenarios.complaints:nearby_support")
    other = found["other_id"]
    assert found["located"]["inside"] is True, found
    assert found["on_picker_map"] == 1, found  # on the form's map...
    assert other in found["list"] and "Dukung laporan ini" in found["list"], found  # ...and listed
    assert "m dari penanda" in found["list"], found
    assert other in found["popup"] and "Dukung laporan ini" in found["popup"], found
    assert "tercatat" in found["supported"], found
    assert found["supporters"] == 1, found
    assert found["console_errors"] == [], found

    # the refused field is named by its label, not its key
    assert found["refused_status"] == 422, found
    label = found["label"].strip()
    assert label and label in found["refused"], found
    assert "attribute[" not in found["refused"] and "jumlah_lampu_mati" not in found["refused"]
    assert all("422" in e for e in found["refusal_errors"]), found["refusal_errors"]
    assert found["foreign_requests"] == [], found
