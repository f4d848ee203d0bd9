"""What anyone may read of the transparency app: the digests and the keys."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicekit.errors import NotFound
from servicekit.payloads import load
from services.transparency.contract import DigestsQuerySchema
from services.transparency.keys import Schedule
from services.transparency.models import Digest, SigningKey
from services.transparency.sealing import published, summary

PERIOD = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$")


def digests(db: Session, query: dict | None) -> dict:
    params = load(DigestsQuerySchema(), query, "Parameter kueri tidak valid.")
    page, per_page = params["page"], params["per_page"]
    rows = db.scalars(
        select(Digest)
        .order_by(Digest.period_start.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return {
        "digests": [summary(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": db.scalar(select(func.count(Digest.id))),
    }


def digest(db: Session, period: str) -> dict:
    found = (
        db.scalar(select(Digest).where(Digest.period == period)) if PERIOD.match(period) else None
    )
    if found is None:
        raise NotFound(
            "Ringkasan tidak ditemukan.",
            {
                "date": [
                    f"Belum ada ringkasan untuk {period[:40]}: tanggal YYYY-MM-DD yang sudah lewat."
                ]
            },
        )
    return published(found)


def key(db: Session, schedule: Schedule) -> dict:
    signer = schedule.signer
    keys = [
        {"key_id": k.key_id, "public_key": k.public_key, "since": k.first_used.date().isoformat()}
        for k in db.scalars(select(SigningKey).order_by(SigningKey.first_used))
    ]
    if signer.key_id not in {k["key_id"] for k in keys}:
        keys.append({"key_id": signer.key_id, "public_key": signer.public_key, "since": None})
    return {
        "algorithm": "Ed25519",
        "key_id": signer.key_id,
        "public_key": signer.public_key,
        "keys": keys,
    }
