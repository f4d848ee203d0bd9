"""The leaders' dashboard's part of the authorisation matrix (tests/security): it has no
resource of its own to build and no URL variable; its figures are counts, so admins read them
as PUBLIC_ONLY and the matrix's world has no leader. Its two streams would hold the matrix's
call for a minute when let through: they are called with a budget year that is not a number,
refused with 400 after the caller's check (401/403 before it), which is what the matrix reads."""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES: dict = {}

CALLS = {
    "dashboard.stream": lambda w: Call(query={"budget_year": "bukan-angka"}),
    "dashboard_pages.leaders_stream": lambda w: Call(query={"budget_year": "bukan-angka"}),
}


def build(builder) -> None:
    """Nothing to build: the dashboard reads the events of the world's report and proposal."""
