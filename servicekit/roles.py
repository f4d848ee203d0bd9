"""The roles of the platform: plain data, importable by contracts (no nameko behind it)."""

from __future__ import annotations

ROLES = ("citizen", "verifier", "officer", "budget_team", "admin")
STAFF_ROLES = ("verifier", "officer", "budget_team", "admin")
