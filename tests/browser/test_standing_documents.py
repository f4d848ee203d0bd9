"""An organisation's standing documents in a real browser (issue 16): its profile page and a
draft's checklist page pass axe-core with no serious finding and fit 360 px; a standing document
is kept through the profile page's form and shows with its validity; a refused date is named in
words. No request leaves 127.0.0.1 and no console error (tests/browser/scenarios/standing.py)."""

from __future__ import annotations

import pytest

from tests.browser.scenarios.proposals import THIS_YEAR

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def found(drive):
    return drive("tests.browser.scenarios.standing:profile_pages")


def test_the_profile_page_keeps_a_standing_document_through_its_form(found):
    profile = found["profile"]
    assert profile["axe"] == [], profile["axe"]
    assert profile["saved_at"] == f"/saya/pemohon/{found['applicant_id']}?ok=dokumen"
    assert "Dokumen tersimpan di profil lembaga" in profile["status"]
    assert "sk-pengurus.pdf" in profile["saved"] and "berlaku" in profile["saved"]
    assert f"31 Desember {THIS_YEAR + 2}" in profile["saved"]
    assert profile["width_360"]["page"] <= profile["width_360"]["view"], profile["width_360"]


def test_a_refused_date_comes_back_named_in_words(found):
    refused = found["refused"]
    assert any(line.startswith("Berlaku sampai:") for line in refused["summary"]), refused
    assert refused["axe"] == [], refused["axe"]
    # the refused form answers 422, which Chromium logs; nothing else may be there
    assert all("422" in e for e in found["refusal_console_errors"]), found


def test_the_checklist_says_which_documents_come_from_the_profile(found):
    checklist = found["checklist"]
    assert checklist["axe"] == [], checklist["axe"]
    assert "profil lembaga" in checklist["text"] and "usulan ini" in checklist["text"]
    assert "Belum ada di profil lembaga" in checklist["text"]
    assert checklist["width_360"]["page"] <= checklist["width_360"]["view"], checklist


def test_nothing_leaves_127_0_0_1_and_no_console_error(found):
    assert found["foreign_requests"] == []
    assert found["console_errors"] == []
