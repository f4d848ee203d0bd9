"""The transparency app's part of the authorisation matrix (tests/security): its routes are
public. The world's platform seals yesterday's digest when it starts (the sealing timer is
eager), and the matrix reads that digest by its date."""

from __future__ import annotations

from tests.support.waiting import wait_until

VARIABLES = {"date": "digest_date"}


def build(builder) -> None:
    client = builder.app.test_client()

    def published() -> list:
        return client.get("/api/v1/transparency/digests").get_json()["digests"]

    wait_until(lambda: published(), timeout=60)
    builder.values["digest_date"] = published()[0]["date"]
