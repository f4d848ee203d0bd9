"""The leaders' dashboard's part of the personal-data scan (tests/security/test_personal_data.py):
it takes no personal input of its own, so it plants nothing; the scan's planted report,
proposal and job-card application reach its read model as events, and its GET routes (/angka,
/api/v1/dashboard/public, and those a stranger is refused) are searched for them with every
other route."""

from __future__ import annotations


def plant(platform, admin_token: str, w) -> None:
    """Nothing of its own: the dashboard only counts what the other apps planted."""
