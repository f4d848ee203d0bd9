"""The public map layer of Serang Open proposals, fed by the proposals events (served by gis)."""

from __future__ import annotations

from servicekit.maplayers import MapLayer
from services.proposals.contract import events  # noqa: F401  (its events, in the catalogue)


def proposal_point(event: dict) -> dict | None:
    """Every submitted proposal is on the public map, whatever its stage (withdrawn and rejected
    ones stay visible); an individual recipient's point arrives already rounded."""
    return {
        "id": event["public_id"],
        "lat": event["lat"],
        "lon": event["lon"],
        "datetime": event.get("submitted_at") or event["occurred_at"],
        "properties": {
            "public_id": event["public_id"],
            "kind": event["kind"],
            "bansos_type": event.get("bansos_type"),
            "budget_year": event["budget_year"],
            "title": event["title"],
            "recipient_name": event["recipient_name"],
            "recipient_type": event["recipient_type"],
            "category": event["category"],
            "agency": event["agency"],
            "stage": event["stage"],
            "stage_label": event["stage_label"],
            "requested_amount": event["requested_amount"],
            "recommended_amount": event.get("recommended_amount"),
            "approved_amount": event.get("approved_amount"),
            "disbursed_amount": event.get("disbursed_amount"),
            "kecamatan_code": event.get("kecamatan_code"),
            "kecamatan": event.get("kecamatan_name"),
            "desa_code": event.get("desa_code"),
            "desa": event.get("desa_name"),
        },
    }


MAP_LAYERS = (
    MapLayer(
        "proposals",
        "Usulan hibah dan bansos",
        "Usulan hibah dan bantuan sosial (Serang Open) yang telah diajukan, dengan tahap dan "
        "nilainya; penerima perorangan hanya dengan inisial dan titik yang dibulatkan.",
        ("kind", "budget_year", "stage", "agency", "category", "kecamatan_code", "desa_code"),
        ("proposals.submitted", "proposals.stage_changed"),
        proposal_point,
    ),
)
