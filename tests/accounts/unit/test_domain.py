from datetime import UTC, datetime, timedelta

import pytest

from services.accounts.domain import LoginPolicy, nik_problems, normalize_email, staff_problems

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "nik",
    [
        "3604054107900003",  # Banten, Kab. Serang, woman born 01-07-1990 (day + 40)
        "3604051201850001",  # man born 12-01-1985
        "3173012902000001",  # 29 Feb 2000 exists
    ],
)
def test_plausible_nik_has_no_problems(nik):
    assert nik_problems(nik) == []


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("123", "16 angka"),
        ("36040541079000AB", "16 angka"),
        ("9904054107900003", "provinsi"),
        ("3600054107900003", "kabupaten"),
        ("3604004107900003", "kecamatan"),
        ("3604053213900003", "Tanggal lahir"),  # month 13
        ("3604057202900003", "Tanggal lahir"),  # day 72 (women: 41..71)
        ("3604053002900003", "Tanggal lahir"),  # 30 February
        ("3604054107900000", "urut"),
    ],
)
def test_implausible_nik_names_the_part_that_is_wrong(nik, fragment):
    problems = nik_problems(nik)
    assert any(fragment in p for p in problems), problems


def test_email_key_ignores_case_and_spaces():
    assert normalize_email("  Siti.Aminah@Example.ID ") == "siti.aminah@example.id"


def test_first_failures_are_free():
    policy = LoginPolicy(free_attempts=3)
    assert policy.wait_seconds(2, NOW, None, NOW) == 0


def test_failures_beyond_free_attempts_wait_exponentially_and_capped():
    policy = LoginPolicy(free_attempts=3, max_delay_seconds=60)
    assert policy.wait_seconds(3, NOW, None, NOW) == 1
    assert policy.wait_seconds(5, NOW, None, NOW) == 4
    assert policy.wait_seconds(9, NOW, None, NOW) == 60
    assert policy.wait_seconds(5, NOW, None, NOW + timedelta(seconds=4)) == 0


def test_reaching_lock_after_locks_for_lock_seconds_and_resets_the_count():
    policy = LoginPolicy(lock_after=10, lock_seconds=900)
    assert policy.after_failure(8, NOW) == (9, None)
    failures, locked_until = policy.after_failure(9, NOW)
    assert failures == 0
    assert locked_until == NOW + timedelta(seconds=900)
    assert policy.wait_seconds(0, None, locked_until, NOW + timedelta(seconds=100)) == 800
    assert policy.wait_seconds(0, None, locked_until, locked_until) == 0


def test_staff_need_an_agency_except_admins():
    assert staff_problems(["admin"], None) == {}
    assert "agency" in staff_problems(["verifier"], None)


def test_budget_team_lives_at_bpkad():
    assert staff_problems(["budget_team"], "BPKAD") == {}
    assert "BPKAD" in staff_problems(["budget_team"], "DINSOS")["agency"][0]


def test_citizen_is_not_a_staff_role():
    assert "roles" in staff_problems(["citizen"], "DINSOS")
