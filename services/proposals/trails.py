"""Serang Open's public trail (servicekit.trail): a submitted proposal's chain, every chain in
pages for the verifier, and each chain's head for the transparency app's daily digest."""

from __future__ import annotations

from servicekit import trail_store
from servicekit.errors import NotFound
from servicekit.payloads import load
from servicekit.trail import HeadsQuerySchema, TrailsQuerySchema
from services.proposals import store
from services.proposals.contract.stages import DRAFT
from services.proposals.desk import Desk
from services.proposals.models import TrailEntry


def trail(desk: Desk, public_id: str) -> dict:
    """Anyone: the chain of one submitted proposal (a draft has none and is not found)."""
    proposal = store.get_proposal(desk.db, public_id)
    if proposal.stage == DRAFT or proposal.submitted_at is None:
        raise NotFound("Usulan tidak ditemukan.", {"id": [f"Tidak ada usulan {public_id}."]})
    chain = store.trail_chain(public_id)
    return trail_store.chain_answer(
        chain, trail_store.entries_of(desk.db, TrailEntry, [chain])[chain]
    )


def trails(desk: Desk, query: dict | None = None) -> dict:
    """Anyone: every proposal's chain, a page at a time."""
    params = load(TrailsQuerySchema(), query, "Parameter kueri tidak valid.")
    return trail_store.trails_page(
        desk.db, TrailEntry, params["after"], params["limit"], lambda chains: {}
    )


def heads(desk: Desk, query: dict) -> list[dict]:
    """For the transparency app: each chain's last entry before `until`."""
    params = load(HeadsQuerySchema(), query, "Parameter kueri tidak valid.")
    return trail_store.heads(desk.db, TrailEntry, params["until"], params["after"], params["limit"])
