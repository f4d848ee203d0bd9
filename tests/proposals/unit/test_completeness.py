"""Whether each checklist item counts (services/proposals/completeness.py), the validity rules of
a standing document (StandingUploadSchema), and how the eligibility check words what is missing:
pure rules over plain values, no platform."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from marshmallow import ValidationError

from services.proposals.completeness import (
    NOT_ON_PROFILE,
    NOT_UPLOADED,
    PROFILE,
    PROPOSAL,
    Held,
    assess,
    problem,
    used_versions,
)
from services.proposals.contract.catalogue import (
    DOCUMENT_TYPES,
    PROFILE_DOCUMENTS,
    STANDING_KINDS,
    checklist,
    profile_documents,
    proposal_documents,
)
from services.proposals.contract.standing import StandingUploadSchema
from services.proposals.eligibility import Facts, check

TODAY = date(2026, 12, 1)
YEAR = 2027  # the proposal's budget year
REQUIRED = ("surat_permohonan", "akta_pendirian", "sk_kemenkumham", "sk_kepengurusan")


def held(kind: str, until: date | None = None, number: int = 1) -> Held:
    return Held(kind, number, None, until)


def by_type(items) -> dict:
    return {i.doc_type: i for i in items}


def test_the_checklists_split_into_the_proposals_own_and_the_profiles():
    hibah = checklist("hibah", "organisation")
    assert proposal_documents("hibah", "organisation") == (
        "surat_permohonan",
        "rab",
        "rekening_bank",
    )
    assert set(profile_documents("hibah", "organisation")) == set(STANDING_KINDS)
    assert set(hibah) == set(proposal_documents("hibah", "organisation")) | set(STANDING_KINDS)
    assert set(profile_documents("bansos", "organisation")) == {
        "sk_kepengurusan",
        "ktp_ketua",
        "surat_domisili",
    }
    assert profile_documents("bansos", "individual") == ()
    assert profile_documents("bansos", "individual", "unplanned") == ()
    assert "akta_badan_hukum" in PROFILE_DOCUMENTS  # the old combined copy is not uploaded now


def test_the_proposals_own_documents_count_once_uploaded():
    items = by_type(assess(REQUIRED, frozenset({"surat_permohonan"}), {}, YEAR, TODAY))
    assert items["surat_permohonan"].satisfied and items["surat_permohonan"].source == PROPOSAL
    missing = by_type(assess(REQUIRED, frozenset(), {}, YEAR, TODAY))["surat_permohonan"]
    assert not missing.satisfied and missing.reason == NOT_UPLOADED


def test_a_standing_document_counts_while_its_version_on_the_profile_holds():
    versions = {
        "akta_pendirian": held("akta_pendirian"),  # no end
        "sk_kemenkumham": held("sk_kemenkumham", date(YEAR, 1, 1)),  # the budget year's first day
        "sk_kepengurusan": held("sk_kepengurusan", date(YEAR + 2, 6, 30), number=7),
    }
    items = by_type(assess(REQUIRED, frozenset(), versions, YEAR, TODAY))
    for code in ("akta_pendirian", "sk_kemenkumham", "sk_kepengurusan"):
        assert items[code].satisfied and items[code].source == PROFILE and not items[code].copy
    assert items["sk_kepengurusan"].held.document_id == 7
    assert [v.kind for v in used_versions(list(items.values()))] == [
        "akta_pendirian",
        "sk_kemenkumham",
        "sk_kepengurusan",
    ]


@pytest.mark.parametrize(
    ("until", "words"),
    [
        (date(2026, 11, 30), "Sudah tidak berlaku (berlaku sampai 30 November 2026)"),
        (date(2026, 12, 31), "sebelum tahun anggaran 2027"),  # valid today, not for the year
    ],
)
def test_an_expired_one_or_one_ending_before_the_budget_year_is_missing_with_its_reason(
    until, words
):
    versions = {"sk_kepengurusan": held("sk_kepengurusan", until)}
    item = by_type(assess(REQUIRED, frozenset(), versions, YEAR, TODAY))["sk_kepengurusan"]
    assert not item.satisfied and words in item.reason and item.held == versions["sk_kepengurusan"]
    assert used_versions([item]) == []


def test_the_last_valid_day_is_today():
    assert problem(held("surat_domisili", TODAY), TODAY) is None
    assert problem(held("surat_domisili", TODAY), TODAY, TODAY.year) is None
    assert problem(held("surat_domisili", date(2026, 11, 30)), TODAY) is not None


def test_a_kind_the_profile_lacks_says_so():
    item = by_type(assess(REQUIRED, frozenset(), {}, YEAR, TODAY))["akta_pendirian"]
    assert not item.satisfied and item.reason == NOT_ON_PROFILE and item.held is None


def test_a_copy_uploaded_to_the_proposal_still_counts_but_a_valid_profile_version_comes_first():
    uploaded = frozenset({"akta_badan_hukum", "sk_kepengurusan"})
    expired = {"sk_kepengurusan": held("sk_kepengurusan", date(2025, 1, 1))}
    items = by_type(assess(REQUIRED, uploaded, expired, YEAR, TODAY))
    for code in ("akta_pendirian", "sk_kemenkumham"):  # the old combined akta counts for both
        assert items[code].satisfied and items[code].copy
    assert items["sk_kepengurusan"].satisfied and items["sk_kepengurusan"].copy
    assert used_versions(list(items.values())) == []  # nothing of the profile was used

    valid = {"sk_kepengurusan": held("sk_kepengurusan", date(YEAR + 1, 1, 1))}
    item = by_type(assess(REQUIRED, uploaded, valid, YEAR, TODAY))["sk_kepengurusan"]
    assert item.satisfied and not item.copy and used_versions([item]) == [valid["sk_kepengurusan"]]


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"kind": "sk_kepengurusan"}, "Wajib diisi"),
        ({"kind": "surat_domisili", "valid_from": "2026-01-01"}, "Wajib diisi"),
        ({"kind": "akta_pendirian", "valid_until": "2030-01-01"}, "tidak memiliki masa berlaku"),
        ({"kind": "sk_kemenkumham", "valid_until": "2030-01-01"}, "tidak memiliki masa berlaku"),
        (
            {"kind": "npwp", "valid_from": "2026-05-01", "valid_until": "2026-05-01"},
            "sesudah tanggal mulai berlaku (2026-05-01)",
        ),
    ],
)
def test_a_standing_documents_validity_is_refused_naming_valid_until(payload, error):
    with pytest.raises(ValidationError) as refused:
        StandingUploadSchema().load(payload)
    assert list(refused.value.messages) == ["valid_until"]
    assert error in " ".join(refused.value.messages["valid_until"])


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "ktp_ketua"},
        {"kind": "npwp", "valid_until": "2030-01-01"},
        {"kind": "akta_pendirian", "valid_from": "2009-05-17"},
        {"kind": "sk_kepengurusan", "valid_from": "2025-01-01", "valid_until": "2029-12-31"},
    ],
)
def test_a_standing_documents_validity_that_fits_its_kind_is_taken(payload):
    loaded = StandingUploadSchema().load(payload)
    assert loaded["kind"] == payload["kind"]


FACTS = Facts(
    kind="hibah",
    budget_year=YEAR,
    applicant_kind="organisation",
    applicant_name="Yayasan Al-Ikhlas Cikande",
    legal_form="yayasan",
    legal_entity_number="AHU-0001234.AH.01.04",
    domicile_inside=True,
    bank_account_number="0012345678",
    bank_account_name="Yayasan Al-Ikhlas Cikande",
    required_documents=REQUIRED,
    uploaded_documents=frozenset(REQUIRED),
    overdue_lpj=(),
    hibah_years=frozenset(),
)


def test_eligibility_names_the_missing_own_documents_together_and_each_profile_reason_apart():
    assert check(FACTS) == []
    facts = replace(
        FACTS,
        uploaded_documents=frozenset({"akta_pendirian", "sk_kemenkumham"}),
        document_reasons=(("sk_kepengurusan", "Sudah tidak berlaku."),),
    )
    own, profile = check(facts)
    assert own.rule == profile.rule == "dokumen"
    assert own.message == f"Dokumen belum diunggah: {DOCUMENT_TYPES['surat_permohonan'].name}."
    assert profile.message == "SK kepengurusan (profil lembaga): Sudah tidak berlaku."
