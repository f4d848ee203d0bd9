"""Sealing the digests (docs/transparency.md): after each period (a WIB day) ends, and a delay
for late commits, ask every app with a public trail for the heads of the chains that changed,
commit the heads not committed before under a Merkle root chained to the previous digest, sign,
and keep it for good.

A period is sealed once: the unique period name refuses a second digest, and the sealing timer
is leased (one replica at a time). Periods missed while the service was down are sealed in
order when it is back (each says when it was issued). The first digest holds every chain."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.apps import installed_apps
from servicekit.errors import Unavailable
from servicekit.trail import GENESIS, MAX_HEADS_PAGE, at_text, canonical, heads_root, sha256
from services.transparency.contract import DIGEST_PUBLISHED
from services.transparency.keys import DAY, Schedule
from services.transparency.models import Anchor, Digest, SigningKey

log = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")
ORIGIN = datetime(2000, 1, 1, tzinfo=WIB)  # periods are counted from a WIB midnight
MAX_PER_TICK = 31  # periods sealed in one tick, at most (a month of downtime in one go)


def period_of(moment: datetime, seconds: int) -> tuple[datetime, datetime]:
    """The period holding `moment`: its start and end (UTC)."""
    index = int((moment - ORIGIN).total_seconds() // seconds)
    start = ORIGIN + timedelta(seconds=index * seconds)
    return start.astimezone(UTC), (start + timedelta(seconds=seconds)).astimezone(UTC)


def period_name(start: datetime, seconds: int) -> str:
    local = start.astimezone(WIB)
    return local.date().isoformat() if seconds == DAY else local.strftime("%Y-%m-%dT%H:%M:%S")


def trail_apps() -> list[str]:
    return sorted(spec.name for spec in installed_apps() if spec.trails)


def seal_due(db: Session, schedule: Schedule, ask, outbox, now: datetime | None = None) -> int:
    """Seal every period that has ended (and waited the delay) since the last digest; `ask(app,
    query)` is the app's `trail_heads`. Returns how many digests were published."""
    now = now or datetime.now(UTC)
    last = db.scalar(select(Digest).order_by(Digest.period_start.desc()).limit(1))
    if last is not None:
        start = last.period_end
    else:
        start = period_of(
            now - timedelta(seconds=schedule.period + schedule.delay), schedule.period
        )[0]
    sealed = 0
    while sealed < MAX_PER_TICK:
        end = start + timedelta(seconds=schedule.period)
        if end + timedelta(seconds=schedule.delay) > now:
            break
        last = seal(db, schedule, ask, start, end, last, now)
        outbox.add(DIGEST_PUBLISHED, date=last.period, hash=last.hash, heads=last.heads_count)
        db.commit()
        sealed += 1
        start = end
    return sealed


def seal(db, schedule: Schedule, ask, start, end, previous: Digest | None, now) -> Digest:
    heads = changed_heads(db, collect_heads(ask, end))
    name = period_name(start, schedule.period)
    signer = schedule.signer
    header = {
        "version": 1,
        "date": name,
        "period_start": at_text(start),
        "period_end": at_text(end),
        "previous": previous.hash if previous is not None else GENESIS,
        "root": heads_root(heads),
        "heads": len(heads),
        "issued": at_text(now),
        "key_id": signer.key_id,
    }
    body = canonical(header)
    digest = Digest(
        period=name,
        period_start=start,
        period_end=end,
        header=body.decode(),
        hash=sha256(body),
        signature=signer.sign(body),
        heads=canonical(heads).decode(),
        heads_count=len(heads),
        issued_at=now,
    )
    db.add(digest)
    for head in heads:
        db.merge(Anchor(chain=head["chain"], seq=head["seq"], hash=head["hash"], period=name))
    if db.get(SigningKey, signer.key_id) is None:
        db.add(SigningKey(key_id=signer.key_id, public_key=signer.public_key, first_used=now))
    log.info("digest sealed", extra={"period": name, "heads": len(heads)})
    return digest


def collect_heads(ask, until: datetime) -> list[dict]:
    """Every trail app's chain heads before `until`, every chain: a step committed late, or a
    chain imported with earlier dates, is still found (one query a day per app, in pages)."""
    found: list[dict] = []
    for app in trail_apps():
        after = None
        while True:
            query = {"until": until.isoformat(), "after": after, "limit": MAX_HEADS_PAGE}
            page = ask_again(ask, app, query)
            found.extend(page)
            if len(page) < MAX_HEADS_PAGE:
                break
            after = page[-1]["chain"]
    return found


def ask_again(ask, app: str, query: dict, attempts: int = 3) -> list[dict]:
    """`ask`, once more after a missed deadline: the first tick runs as the service starts, and
    its first call's reply can be lost before the reply queue listens (the question is a read:
    asking twice changes nothing)."""
    for attempt in range(1, attempts + 1):
        try:
            return ask(app, query)
        except Unavailable:
            if attempt == attempts:
                raise
            log.warning("trail heads not answered, asking again", extra={"app": app})
    raise AssertionError("unreachable")


def changed_heads(db: Session, heads: list[dict]) -> list[dict]:
    """The heads not committed already, sorted by chain. A chain whose head is now at or before
    the committed one but differs was rewritten: logged and left out (the published digest
    keeps the old head, which is what verifiers catch)."""
    anchored: dict[str, tuple[int, str]] = {}
    chains = [head["chain"] for head in heads]
    for first in range(0, len(chains), 5000):
        rows = db.execute(select(Anchor).where(Anchor.chain.in_(chains[first : first + 5000])))
        anchored.update({a.chain: (a.seq, a.hash) for (a,) in rows})
    changed = []
    for head in heads:
        before = anchored.get(head["chain"])
        if before == (head["seq"], head["hash"]):
            continue
        if before is not None and before[0] >= head["seq"]:
            # never sign a rewritten head: the digest that has the old one stays the evidence
            log.error("a committed chain was rewritten", extra={"chain": head["chain"]})
            continue
        changed.append({"chain": head["chain"], "seq": head["seq"], "hash": head["hash"]})
    return sorted(changed, key=lambda head: head["chain"])


# --- reading ------------------------------------------------------------------------------------


def published(digest: Digest) -> dict:
    return {
        "digest": json.loads(digest.header),
        "hash": digest.hash,
        "signature": digest.signature,
        "heads": json.loads(digest.heads),
    }


def summary(digest: Digest) -> dict:
    header = json.loads(digest.header)
    return {
        "date": digest.period,
        "hash": digest.hash,
        "previous": header["previous"],
        "root": header["root"],
        "heads": digest.heads_count,
        "issued": header["issued"],
        "url": f"/api/v1/transparency/digests/{digest.period}",
    }
