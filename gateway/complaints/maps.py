"""What the complaint maps of the web pages share (gateway/static/js/peta-pengaduan.js draws them).

The public map of /pengaduan reads the gis layer "complaints" (open reports only, public fields
only: services/complaints/contract/maplayer.py) by bounding box; a report's page, the staff
queue and /saya draw the points their page already shows. The pages get these settings from one
context processor, so the templates, the script and the bench agree on them.
"""

from __future__ import annotations

from flask import current_app

from services.complaints.contract import OPEN_STATUSES, STATUS_LABELS, STATUSES

# Markers of one request of the public map: enough for a kecamatan at a glance, bounded so that
# one view never asks for the whole layer (the rest appear as the visitor zooms in).
MAP_LIMIT = 500
# The form's "open reports near the pin": about 300 m each way of the pin.
NEARBY_DEGREES = 0.003
NEARBY_LIMIT = 20
# The public layer's queryables by the list's own query parameters (same names as the list).
LIST_FILTERS = {"category": "category", "status": "status", "kecamatan": "kecamatan_code"}


def map_filters(filters: dict) -> dict[str, str]:
    """The /pengaduan list's filters as the map layer's query parameters (its queryables)."""
    return {
        layer_key: str(filters[list_key])
        for list_key, layer_key in LIST_FILTERS.items()
        if filters.get(list_key)
    }


def shows_open_reports(filters: dict) -> bool:
    """Whether the public map can show anything for these filters: it holds open reports only,
    so a filter on finished statuses leaves it empty."""
    wanted = [s for s in (filters.get("status") or "").split(",") if s]
    return not wanted or any(s in OPEN_STATUSES for s in wanted)


def map_context() -> dict:
    """Template variables of the complaint maps: statuses in lifecycle order with their labels
    (the legend; the script reads its labels from it), the open ones, the limits and the
    base-map tiles (none unless GAWE_TILE_URL is set)."""
    settings = current_app.config["GAWE"]
    return {
        "peta_pengaduan": {
            "statuses": [(code, STATUS_LABELS[code]) for code in STATUSES],
            "open_statuses": [code for code in STATUSES if code in OPEN_STATUSES],
            "limit": MAP_LIMIT,
            "nearby_degrees": NEARBY_DEGREES,
            "nearby_limit": NEARBY_LIMIT,
            "filters": map_filters,
            "shows_open_reports": shows_open_reports,
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
        }
    }
