"""An applicant's profile changed on its form in a real browser: the organisation's and the
individual's forms pass axe-core with no serious finding and fit 360 px, open filled with what
is kept (the pin on its point), name a refused value beside its field and in the summary with
what was typed kept, and save back to the profile. No request leaves 127.0.0.1 and no console
error (tests/browser/scenarios/profile_edit.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def found(drive):
    return drive("tests.browser.scenarios.profile_edit:profile_forms")


def fits(width: dict) -> bool:
    return width["page"] <= width["view"]


def test_the_form_opens_filled_accessible_and_fits_a_phone(found):
    form = found["form"]
    assert form["axe"] == [], form["axe"]
    assert fits(form["width_360"]), form["width_360"]
    kept, shown = found["kept"], form["values"]
    assert {k: shown[k] for k in ("name", "bank_account_number", "person1_name")} == {
        k: kept[k] for k in ("name", "bank_account_number", "person1_name")
    }
    assert float(shown["lat"]) == pytest.approx(float(kept["lat"]))


def test_a_refused_value_is_named_beside_its_field_and_kept(found):
    refused = found["refused"]
    assert refused["axe"] == [], refused["axe"]
    assert fits(refused["width_360"]), refused["width_360"]
    assert any(line.startswith("Nomor rekening:") for line in refused["summary"]), refused
    assert refused["beside"] == "Nomor rekening hanya angka."
    assert refused["invalid"] == "true"
    assert "bank_account_number-error" in refused["described_by"]
    assert refused["kept"] == "12-AB-34"
    # the refused form answers 422, which Chromium logs; nothing else may be there
    assert all("422" in e for e in found["refusal_console_errors"]), found


def test_a_saved_change_is_back_on_the_profile(found):
    saved = found["saved"]
    assert saved["at"] == f"/saya/pemohon/{found['applicant_id']}?ok=profil"
    assert "Profil pemohon tersimpan" in saved["status"]
    assert "0012349999" in saved["text"] and "081355550000" in saved["text"]


def test_the_individuals_form_is_accessible_and_fits_a_phone(found):
    single = found["individual"]
    assert single["axe"] == [], single["axe"]
    assert fits(single["width_360"]), single["width_360"]
    assert single["nik"] is True


def test_nothing_leaves_127_0_0_1_and_no_console_error(found):
    assert found["foreign_requests"] == []
    assert found["console_errors"] == []
