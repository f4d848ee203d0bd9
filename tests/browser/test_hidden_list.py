"""The moderators' list of what is hidden, /staf/pengaduan/disembunyikan, in a real browser
(scenario: tests/browser/scenarios/hidden.py): DPUPR's officer reaches it from the queue and
finds a hidden report and a report with a hidden photo, each with its reason; the page has no
serious or critical axe violation at 1280 or 360 px and is no wider than a phone; a row leads
to the report's desk, where the officer shows the report again, and the list no longer has it.
(The page is also one of the main pages of test_pages.py and test_phones.py, with whatever the
demo officer's agency has hidden at that moment.)"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def found(drive):
    return drive("tests.browser.scenarios.hidden:hidden_list")


def test_the_officer_finds_what_is_hidden_from_the_queue(found):
    hidden, pictured = found["hidden"], found["pictured"]
    rows = found["rows"]
    assert rows.index(pictured) < rows.index(hidden)  # the newest moderation first
    assert "Uraian menyebut nama dan alamat warga" in found["texts"][hidden]
    assert "Laporan disembunyikan" in found["texts"][hidden]
    assert "Foto 1" in found["texts"][pictured] and "wajah warga" in found["texts"][pictured]


def test_the_list_is_accessible_and_fits_a_phone(found):
    desktop, phone = found["desktop"], found["phone"]
    assert desktop["status"] == 200
    assert desktop["url"] == "/staf/pengaduan/disembunyikan"  # reached from the queue's link
    assert [v for v in desktop["violations"] if v["impact"] in SERIOUS] == []
    assert [v for v in phone["axe"] if v["impact"] in SERIOUS] == []
    assert phone["widths"]["scroll"] <= 360, phone["overflowing"]
    assert desktop["console_errors"] == [] and phone["console_errors"] == []


def test_a_row_leads_to_the_desk_where_the_report_is_shown_again_and_leaves_the_list(found):
    hidden, pictured = found["hidden"], found["pictured"]
    assert found["desk"] == f"/staf/pengaduan/{hidden}"
    assert found["said"] == "Tersimpan: Laporan ditampilkan lagi."
    assert hidden not in found["rows_after"] and pictured in found["rows_after"]
    assert found["console_errors"] == [] and found["foreign_requests"] == []
