"""The transparency app's part of the authorisation matrix (tests/security): its routes are
public. The world's platform seals yesterday's digest when it starts (the sealing timer is
eager), and the matrix reads that digest by its date.

The world's chains are made after that digest's day ended, so no digest commits one yet and a
proof of any of them is 404 (which the matrix counts as refused). The proof route is called with
the world's report's public id alone, not a chain's name: refused with 422 by the query's
schema, for everyone alike, which shows the route open to every persona (tests/transparency/
http/test_proofs.py reads real proofs)."""

from __future__ import annotations

from tests.security.authz_calls import Call
from tests.support.waiting import wait_until

VARIABLES = {"date": "digest_date"}

CALLS = {
    "transparency.proof": lambda w: Call(query={"chain": w.values["report"]}),
}


def build(builder) -> None:
    client = builder.app.test_client()

    def published() -> list:
        return client.get("/api/v1/transparency/digests").get_json()["digests"]

    wait_until(lambda: published(), timeout=60)
    builder.values["digest_date"] = published()[0]["date"]
