"""Point layers: spatial queries, and keeping the layers in step with other services' events.

Plain functions behind GisService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

from servicekit.payloads import load
from services.gis import store
from services.gis.contract import PointSchema
from services.gis.desk import Desk
from services.gis.layers import layer_for_event


def nearby(
    desk: Desk,
    layer: str,
    lat: float,
    lon: float,
    radius_m: float,
    filters: dict | None,
    limit: int,
) -> list[dict]:
    """Points of a layer within radius_m metres, nearest first."""
    found = desk.spatial.backend.nearby(
        desk.db, layer, lat, lon, float(radius_m), filters or {}, int(limit)
    )
    return [_nearby(p) for p in found]


def nearest(
    desk: Desk, layer: str, lat: float, lon: float, k: int, filters: dict | None
) -> list[dict]:
    """The k nearest points of a layer."""
    found = desk.spatial.backend.nearest(desk.db, layer, lat, lon, int(k), filters or {})
    return [_nearby(p) for p in found]


def upsert_points(desk: Desk, layer: str, points: list[dict]) -> int:
    """Add or replace points of a layer (public fields only)."""
    return store.upsert_points(desk.db, layer, [load(PointSchema(), p) for p in points])


def remove_points(desk: Desk, layer: str, feature_ids: list[str]) -> int:
    return store.remove_points(desk.db, layer, list(feature_ids))


def feed_layers(desk: Desk, event_type: str, payload: dict) -> None:
    """Keep the public point layers in step with the facts other services publish."""
    layer = layer_for_event(event_type)
    if layer is None:
        return
    point = layer.point_from(payload)
    if point is None:
        store.remove_points(
            desk.db, layer.name, [payload.get("public_id") or str(payload.get("id"))]
        )
    else:
        store.upsert_points(desk.db, layer.name, [load(PointSchema(), point)])


def _nearby(point) -> dict:
    return {
        "id": point.feature_id,
        "lat": point.lat,
        "lon": point.lon,
        "distance_m": round(point.distance_m, 2),
        "properties": point.properties,
    }
