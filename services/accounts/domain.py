"""Rules of the accounts service: plain Python, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicekit.roles import installed_roles, staff_roles
from services.accounts.contract import nik_problems  # noqa: F401  (the NIK rule is published)

BUDGET_TEAM_AGENCY = "BPKAD"


def normalize_email(email: str) -> str:
    """The key that makes addresses unique regardless of case and stray spaces."""
    return email.strip().lower()


@dataclass(frozen=True)
class LoginPolicy:
    """Repeated failures first slow an account down, then lock it for a while.

    After `free_attempts` consecutive failures each further attempt must wait
    2^(n - free_attempts) seconds (capped) after the last failure; at `lock_after`
    failures the account is locked for `lock_seconds`. A success clears it all.
    """

    free_attempts: int = 3
    lock_after: int = 10
    lock_seconds: int = 900
    max_delay_seconds: int = 60

    def wait_seconds(
        self,
        failures: int,
        last_failed_at: datetime | None,
        locked_until: datetime | None,
        now: datetime,
    ) -> int:
        """Seconds the caller must wait before the next attempt is even checked."""
        if locked_until is not None and now < locked_until:
            return math.ceil((locked_until - now).total_seconds())
        if failures >= self.free_attempts and last_failed_at is not None:
            delay = min(2 ** (failures - self.free_attempts), self.max_delay_seconds)
            remaining = (last_failed_at + timedelta(seconds=delay) - now).total_seconds()
            if remaining > 0:
                return math.ceil(remaining)
        return 0

    def after_failure(self, failures: int, now: datetime) -> tuple[int, datetime | None]:
        """New (failure count, locked_until) after one more failure."""
        failures += 1
        if failures >= self.lock_after:
            return 0, now + timedelta(seconds=self.lock_seconds)
        return failures, None


def staff_problems(roles: list[str], agency_code: str | None) -> dict[str, list[str]]:
    """Field errors for a staff account's roles and agency."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(roles) - set(staff_roles()))
    if unknown:
        errors["roles"] = [f"Peran staf tidak dikenal: {', '.join(unknown)}."]
    if not roles:
        errors["roles"] = ["Paling sedikit satu peran staf."]
    # an agency's desk needs its agency; admins and roles without a desk (leader) need none
    needs_agency = set(roles) & {r.name for r in installed_roles() if r.desk} - {"admin"}
    if needs_agency and not agency_code:
        errors["agency"] = ["Staf harus terikat pada satu perangkat daerah (OPD)."]
    if "budget_team" in roles and agency_code and agency_code != BUDGET_TEAM_AGENCY:
        errors["agency"] = [f"Tim anggaran (TAPD) berkedudukan di {BUDGET_TEAM_AGENCY}."]
    return errors
