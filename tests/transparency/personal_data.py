"""The transparency app's part of the personal-data scan (tests/security/test_personal_data.py):
it takes no personal input, so it plants nothing; its digests hold chain names and hashes only.
The scan reads the digest the platform sealed when it started (yesterday's), by its date; the
chains of the planted proposals and reports are scanned through their own /trail routes."""

from __future__ import annotations

from tests.support.waiting import wait_until


def plant(platform, admin_token: str, w) -> None:
    client = platform.client

    def published() -> list:
        return client.get("/api/v1/transparency/digests").get_json()["digests"]

    wait_until(lambda: published(), timeout=60)
    w.values["date"] = [digest["date"] for digest in published()]
