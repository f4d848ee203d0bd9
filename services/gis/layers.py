"""The point layers other services feed, their queryable properties, and how events feed them.

A layer holds public fields only. A new app adds its layer here with the event types
that feed it and a function turning one event into a point (or None to remove it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import services.proposals.contract  # noqa: F401  (its events, in the catalogue)
from services.complaints.contract import (
    REPORT_CREATED,
    REPORT_MERGED,
    REPORT_SUPPORTED,
    STATUS_CHANGED,
)


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    description: str
    queryables: tuple[str, ...]
    events: tuple[str, ...]
    point_from: Callable[[dict], dict | None]  # event payload -> point, or None: remove it


def complaint_point(event: dict) -> dict | None:
    """Open reports are on the public map; a report that is finished leaves it."""
    if not event.get("is_open", True):
        return None
    return {
        "id": event["public_id"],
        "lat": event["lat"],
        "lon": event["lon"],
        "datetime": event["requested_at"],
        "properties": {
            "public_id": event["public_id"],
            "category": event["category"],
            "category_name": event["category_name"],
            "status": event["status"],
            "agency": event["agency"],
            "kecamatan_code": event.get("kecamatan_code"),
            "kecamatan": event.get("kecamatan_name"),
            "desa_code": event.get("desa_code"),
            "desa": event.get("desa_name"),
            "supporters": event.get("supporters", 0),
            "requested_at": event["requested_at"],
        },
    }


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


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            "complaints",
            "Pengaduan terbuka",
            "Laporan kerusakan infrastruktur yang masih terbuka, menurut kategori dan status.",
            ("category", "status", "agency", "kecamatan_code", "desa_code"),
            (
                REPORT_CREATED,
                STATUS_CHANGED,
                REPORT_SUPPORTED,
                REPORT_MERGED,
            ),
            complaint_point,
        ),
        Layer(
            "proposals",
            "Usulan hibah dan bansos",
            "Usulan hibah dan bantuan sosial (Serang Open) yang telah diajukan, dengan tahap dan "
            "nilainya; penerima perorangan hanya dengan inisial dan titik yang dibulatkan.",
            ("kind", "budget_year", "stage", "agency", "category", "kecamatan_code", "desa_code"),
            (
                "proposals.submitted",
                "proposals.stage_changed",
            ),
            proposal_point,
        ),
    )
}


def layer_events() -> list[str]:
    return sorted({event for layer in LAYERS.values() for event in layer.events})


def layer_for_event(event_type: str) -> Layer | None:
    return next((layer for layer in LAYERS.values() if event_type in layer.events), None)
