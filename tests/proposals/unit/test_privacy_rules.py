"""The rules behind issue #10 in plain Python: CSV cells that cannot start a formula, who may
see an applicant at which stage, the bank account rule, what the audit log keeps of a change."""

from __future__ import annotations

import csv
import io

import pytest

from servicekit.context import Actor
from servicekit.csvsafe import FORMULA_STARTS, safe_cell, write_csv
from services.proposals.access import sees_any, staff_sees_applicant
from services.proposals.applicants import change_record
from services.proposals.contract.stages import STAGES
from services.proposals.eligibility import account_failures
from services.proposals.lifecycle import Agencies

AGENCIES = Agencies()


def staff(role: str, agency: str) -> Actor:
    return Actor(user_id=7, roles=frozenset({role}), agency=agency)


# --- CSV injection (OWASP) ------------------------------------------------------------------


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_could_start_a_formula_is_quoted(first):
    value = f'{first}HYPERLINK("http://jahat.example","klik")'
    assert safe_cell(value) == "'" + value
    text = write_csv(["Title"], [{"Title": value}], bom=False)
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["Title"] == "'" + value


def test_every_dangerous_first_character_is_covered():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize(
    "value",
    ["Yayasan Bina Desa", "1+1=2 di tengah", "", None, 150_000_000, -5, 2.5, "'sudah dikutip"],
)
def test_other_cells_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_write_csv_keeps_only_the_named_columns_in_order_and_quotes_the_header_too():
    rows = [{"b": "=1", "a": "x", "secret": "3604011203750002"}]
    text = write_csv(["a", "b", "=c"], rows)
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert lines == [["a", "b", "'=c"], ["x", "'=1", ""]]
    assert "3604011203750002" not in text


# --- who may see an applicant ---------------------------------------------------------------


def test_the_responsible_agency_sees_its_applicants_once_submitted():
    for role in ("verifier", "officer"):
        assert staff_sees_applicant(staff(role, "DINSOS"), AGENCIES, "submitted", "DINSOS")
        assert staff_sees_applicant(staff(role, "DINSOS"), AGENCIES, "lpj_verified", "DINSOS")
        assert not staff_sees_applicant(staff(role, "DINSOS"), AGENCIES, "draft", "DINSOS")


def test_another_agency_never_sees_them():
    for stage in STAGES:
        assert not staff_sees_applicant(staff("officer", "DPUPR"), AGENCIES, stage, "DINSOS")
        assert not staff_sees_applicant(staff("verifier", "DINKES"), AGENCIES, stage, "DINSOS")


def test_kesra_and_bpkad_see_them_only_at_the_stages_they_act_on():
    kesra = {
        s for s in STAGES if staff_sees_applicant(staff("verifier", "KESRA"), AGENCIES, s, "DINSOS")
    }
    assert kesra == {"submitted", "accepted"}
    tapd = {
        s
        for s in STAGES
        if staff_sees_applicant(staff("budget_team", "BPKAD"), AGENCIES, s, "DINSOS")
    }
    assert tapd == {"recommended", "deferred", "agreement_signed"}
    treasury = {
        s for s in STAGES if staff_sees_applicant(staff("officer", "BPKAD"), AGENCIES, s, "DINSOS")
    }
    assert treasury == {"agreement_signed"}
    # Kesra is the responsible agency of religious hibah: then it sees them throughout
    assert staff_sees_applicant(staff("officer", "KESRA"), AGENCIES, "lpj_submitted", "KESRA")


def test_admins_always_citizens_and_unbound_staff_never():
    admin = Actor(user_id=1, roles=frozenset({"admin"}))
    assert all(staff_sees_applicant(admin, AGENCIES, s, "DINSOS") for s in STAGES)
    citizen = Actor(user_id=2, roles=frozenset({"citizen"}), agency="DINSOS")
    assert not any(staff_sees_applicant(citizen, AGENCIES, s, "DINSOS") for s in STAGES)
    unbound = Actor(user_id=3, roles=frozenset({"verifier"}))
    assert not any(staff_sees_applicant(unbound, AGENCIES, s, "DINSOS") for s in STAGES)


def test_any_proposal_of_the_applicant_is_enough():
    officer = staff("officer", "DINSOS")
    assert not sees_any(officer, AGENCIES, [])
    assert not sees_any(officer, AGENCIES, [("draft", "DINSOS"), ("submitted", "DISPORA")])
    assert sees_any(officer, AGENCIES, [("draft", "DISPORA"), ("withdrawn", "DINSOS")])


# --- the bank account rule and the audit of a change ---------------------------------------


def test_the_account_must_be_in_the_applicants_own_name():
    assert account_failures("organisation", "Yayasan Bina Desa", "0012", "YAYASAN BINA DESA") == []
    [missing] = account_failures("organisation", "Yayasan Bina Desa", None, None)
    assert missing.rule == "rekening"
    [personal] = account_failures("organisation", "Yayasan Bina Desa", "0012", "Haji Ahmad")
    assert "atas nama lembaga" in personal.message
    assert account_failures("individual", "Siti Nurhasanah", None, None) == []
    assert account_failures("individual", "Siti Nurhasanah", "0013", "Siti Nurhasanah") == []
    [other] = account_failures("individual", "Siti Nurhasanah", "0013", "Budi Santoso")
    assert other.rule == "rekening"


def test_the_audit_keeps_which_fields_changed_not_their_values():
    before = {
        "bank_account_number": "0011223344",
        "responsible_people": [{"name": "Ahmad", "nik": "3604011203750002"}],
    }
    after = {"bank_account_number": "0099887766", "responsible_people": []}
    record = change_record(["bank_account_number", "responsible_people"], before, after)
    assert record["bank_account_before"] == "****3344"
    assert record["bank_account_after"] == "****7766"
    assert (record["responsible_people_before"], record["responsible_people_after"]) == (1, 0)
    assert record["before_sha256"] != record["after_sha256"]
    text = str(record)
    assert "0011223344" not in text and "3604011203750002" not in text and "Ahmad" not in text
