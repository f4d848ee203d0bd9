"""The public map layer of open complaint reports, fed by the complaints events (served by gis)."""

from __future__ import annotations

from servicekit.maplayers import MapLayer
from services.complaints.contract.events import (
    REPORT_CREATED,
    REPORT_MERGED,
    REPORT_MODERATED,
    REPORT_SUPPORTED,
    STATUS_CHANGED,
)


def complaint_point(event: dict) -> dict | None:
    """Open reports are on the public map; a report that is finished leaves it."""
    if not event.get("is_open", True) or not event.get("is_public", True):
        return None  # finished, or hidden by a moderator
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


MAP_LAYERS = (
    MapLayer(
        "complaints",
        "Pengaduan terbuka",
        "Laporan kerusakan infrastruktur yang masih terbuka, menurut kategori dan status.",
        ("category", "status", "agency", "kecamatan_code", "desa_code"),
        (REPORT_CREATED, STATUS_CHANGED, REPORT_SUPPORTED, REPORT_MERGED, REPORT_MODERATED),
        complaint_point,
    ),
)
