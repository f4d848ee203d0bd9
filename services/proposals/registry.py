"""The public transparency registry: listing with totals, one proposal, open-data export.

No login, public fields only (see views.public_view).
"""

from __future__ import annotations

from servicekit.config import env_str
from servicekit.errors import NotFound
from servicekit.payloads import load
from services.proposals import rounds, store
from services.proposals.contract.payloads import ExportQuerySchema, RegistryQuerySchema
from services.proposals.contract.stages import AWARDED_STAGES, DRAFT
from services.proposals.desk import Desk
from services.proposals.opendata import application_json, grant_360
from services.proposals.views import export_fields, grant_row, public_view

EXPORT_MAX = 100_000


def registry(desk: Desk, query: dict | None = None) -> dict:
    """Submitted proposals, newest first, with totals per year, kind, agency and kecamatan."""
    params = load(RegistryQuerySchema(), query, "Parameter kueri tidak valid.")
    total, totals = store.registry_totals(desk.db, params)
    proposals = store.fetch_registry(desk.db, params, params["page"], params["per_page"])
    timelines = store.fetch_timeline(desk.db, [p.id for p in proposals])
    return {
        "items": [public_view(p, timelines[p.id]) for p in proposals],
        "page": params["page"],
        "per_page": params["per_page"],
        "total": total,
        "totals": totals,
        "rounds": rounds.list_rounds(desk),
    }


def registry_entry(desk: Desk, public_id: str) -> dict:
    """One submitted proposal as the public sees it."""
    proposal = store.get_proposal(desk.db, public_id)
    if proposal.stage == DRAFT or proposal.submitted_at is None:
        raise NotFound("Usulan tidak ditemukan.", {"id": [f"Tidak ada usulan {public_id}."]})
    timeline = store.fetch_timeline(desk.db, [proposal.id])[proposal.id]
    return public_view(proposal, timeline)


def registry_export(desk: Desk, query: dict | None = None, shape: str = "csv") -> dict:
    """The open-data export: 360Giving flat rows of every submitted proposal (csv), the awarded
    grants in 360Giving JSON (grants: from the regent's decision on), or the proposals not
    (yet) awarded in a shape of their own (applications)."""
    params = load(ExportQuerySchema(), query, "Parameter kueri tidak valid.")
    proposals = store.fetch_for_export(desk.db, params, EXPORT_MAX)
    if shape == "grants":
        proposals = [p for p in proposals if p.stage in AWARDED_STAGES]
    elif shape == "applications":
        proposals = [p for p in proposals if p.stage not in AWARDED_STAGES]
    timelines = store.fetch_timeline(desk.db, [p.id for p in proposals])
    if shape == "grants":
        site = env_str("GAWE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
        return {"grants": [grant_360(p, timelines[p.id], site) for p in proposals]}
    if shape == "applications":
        return {"applications": [application_json(p, timelines[p.id]) for p in proposals]}
    return {
        "fields": export_fields(),
        "rows": [grant_row(p, timelines[p.id]) for p in proposals],
    }
