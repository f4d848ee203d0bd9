"""Serang Open's maps in a real browser (issue #13): an applicant's bansos appears on the
registry map of /usulan without a private value, its popup leads to its public page with its
point, the kecamatan are shaded with a legend and a table, the registry does not scroll
sideways at 360 px; the proposal form's picker writes lat and lon, names the desa and the draft
keeps that point; the applicant form's error summary names a field by its label. No request
leaves 127.0.0.1 and no console error (tests/browser/scenarios/proposals.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def found(drive):
    return drive("tests.browser.scenarios.proposals:registry_map")


def test_the_applicants_proposal_is_on_the_registry_map_without_private_fields(found):
    public_id, registry = found["public_id"], found["registry"]
    assert registry["markers"] >= 1, registry
    assert registry["marker_title"].startswith(f"{public_id}: "), registry
    assert registry["popup_link"] == f"/usulan/{public_id}", registry
    assert public_id in registry["popup"] and "Diminta Rp " in registry["popup"], registry
    assert registry["leaked"] == [], registry
    assert found["detail"]["path"] == f"/usulan/{public_id}", found["detail"]
    assert all(found["detail"]["point"]), found["detail"]
    assert found["detail"]["leaked"] == [], found["detail"]


def test_the_kecamatan_are_shaded_by_the_amount_approved_with_legend_and_table(found):
    registry = found["registry"]
    assert registry["year"].isdigit(), registry
    assert f"tahun anggaran {registry['year']}" in registry["legend"], registry
    assert "Rp 50 juta" in registry["legend"] and "belum ada" in registry["legend"], registry
    assert registry["shaded"] > 0, registry  # the kecamatan polygons
    assert registry["table_rows"] >= 2, registry  # a header and at least this proposal's kecamatan
    assert "Rp " in registry["table"], registry


def test_the_registry_fits_a_360_px_phone(found):
    width = found["registry"]["width_360"]
    assert width["view"] == 360 and width["page"] <= 360, width  # no sideways scroll of the page
    assert width["table"] > width["box"], width  # the ten columns scroll in their own box


def test_the_proposal_form_picker_writes_the_point_and_names_the_desa(found):
    picker = found["picker"]
    assert picker["located"]["inside"], picker
    assert picker["said"].startswith(f"Desa {picker['located']['desa']['name']}"), picker
    lat, lon = float(picker["lat"]), float(picker["lon"])
    assert -6.34 < lat < -5.80 and 105.82 < lon < 106.42, picker
    assert picker["saved_at"].startswith("/saya/usulan/"), picker
    saved = [float(v) for v in picker["saved_point"]]
    assert saved == [pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6)], picker


def test_the_error_summary_names_the_field_by_its_label(found):
    items = found["errors"]["items"]
    assert any(i.startswith("Nama pemilik rekening: ") for i in items), items
    assert not any("bank_account_name" in i for i in items), items
    assert "#bank_account_name" in found["errors"]["links"], found["errors"]


def test_the_maps_pages_have_no_serious_accessibility_violation(found):
    for where in ("registry", "picker"):
        serious = [v for v in found[where]["axe"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (where, serious)


def test_nothing_leaves_127_0_0_1_and_no_console_error(found):
    assert found["foreign_requests"] == [], found["foreign_requests"]
    assert found["console_errors"] == [], found["console_errors"]
    refused = found["refusal_console_errors"]
    assert all("status of 422" in e for e in refused), refused
