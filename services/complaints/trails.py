"""The complaints' public trail (servicekit.trail): a report's chain, every chain in pages for
the verifier, and each chain's head for the transparency app's daily digest. A report hidden by
a moderator keeps its chain, with the entries' data withheld (their hashes still link)."""

from __future__ import annotations

from sqlalchemy import select

from servicekit import trail_store
from servicekit.payloads import load
from servicekit.trail import HeadsQuerySchema, TrailsQuerySchema
from services.complaints import store
from services.complaints.desk import Desk
from services.complaints.models import Report, TrailEntry

WITHHELD = "Laporan disembunyikan oleh moderator; isi entrinya tidak ditampilkan."


def trail(desk: Desk, public_id: str) -> dict:
    """Anyone: the chain of one report."""
    report = store.get_report(desk.db, public_id)
    chain = store.trail_chain(public_id)
    entries = trail_store.entries_of(desk.db, TrailEntry, [chain])[chain]
    return trail_store.chain_answer(chain, entries, WITHHELD if report.hidden_at else None)


def trails(desk: Desk, query: dict | None = None) -> dict:
    """Anyone: every report's chain, a page at a time."""
    params = load(TrailsQuerySchema(), query, "Parameter kueri tidak valid.")
    return trail_store.trails_page(
        desk.db, TrailEntry, params["after"], params["limit"], lambda c: _hidden(desk, c)
    )


def heads(desk: Desk, query: dict) -> list[dict]:
    """For the transparency app: each chain's last entry before `until`."""
    params = load(HeadsQuerySchema(), query, "Parameter kueri tidak valid.")
    return trail_store.heads(desk.db, TrailEntry, params["until"], params["after"], params["limit"])


def _hidden(desk: Desk, chains: list[str]) -> dict[str, str]:
    ids = [chain.removeprefix("complaints/") for chain in chains]
    hidden = desk.db.scalars(
        select(Report.public_id).where(Report.public_id.in_(ids), Report.hidden_at.is_not(None))
    )
    return {store.trail_chain(public_id): WITHHELD for public_id in hidden}
