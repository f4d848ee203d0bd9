"""What an insider with write access to a service's database would do to its public trail
(servicekit.trail), for the tamper tests: change an entry in place, or rewrite a whole chain
consistently (every hash after the change recomputed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text

from servicekit.database import make_engine
from servicekit.trail_store import backfill_rows


def _rows(url: str, sql: str, **params) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def change_entry(url: str, chain: str, seq: int, note: str) -> None:
    """The entry's note changed in place; its hashes left as they were."""
    (row,) = _rows(
        url, "SELECT data FROM public_trail WHERE chain = :c AND seq = :s", c=chain, s=seq
    )
    data = row["data"] if isinstance(row["data"], dict) else json.loads(row["data"])
    _rows(
        url,
        "UPDATE public_trail SET data = :d WHERE chain = :c AND seq = :s",
        d=json.dumps(data | {"note": note}),
        c=chain,
        s=seq,
    )


def rewrite_chain(url: str, chain: str, note: str) -> None:
    """The first entry's note changed and every hash of the chain recomputed."""
    rows = _rows(
        url, "SELECT seq, at, data FROM public_trail WHERE chain = :c ORDER BY seq", c=chain
    )
    lines = []
    for row in rows:
        data = row["data"] if isinstance(row["data"], dict) else json.loads(row["data"])
        at = row["at"]
        if isinstance(at, str):  # SQLite: naive UTC text
            at = datetime.fromisoformat(at).replace(tzinfo=UTC)
        lines.append((chain, at, data | ({"note": note} if row["seq"] == 1 else {})))
    for fixed in backfill_rows(lines):
        _rows(
            url,
            "UPDATE public_trail SET data = :data, data_hash = :dh, prev_hash = :p, hash = :h "
            "WHERE chain = :c AND seq = :s",
            data=json.dumps(fixed["data"]),
            dh=fixed["data_hash"],
            p=fixed["prev_hash"],
            h=fixed["hash"],
            c=chain,
            s=fixed["seq"],
        )


# A digest every PERIOD seconds, sealed half a second after its period ends: the platform's
# transparency settings in the tests that wait for digests.
PERIOD = 2


def transparency_config(smtp_port: int, key_file) -> dict:
    """`service_config` of a test platform that seals a digest every PERIOD seconds with a
    signing key of its own (in `key_file`), mail going to the test's SMTP server."""
    from tests.notifications.conftest import FAST

    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        **FAST,
        "SERVICE_RPC_TIMEOUT": 3.0,
        "TRANSPARENCY_DIGEST_SECONDS": PERIOD,
        "TRANSPARENCY_SEAL_DELAY_SECONDS": 0.5,
        "TRANSPARENCY_SEAL_INTERVAL": 0.5,
        "TRANSPARENCY_SIGNING_KEY_FILE": str(key_file),
    }
