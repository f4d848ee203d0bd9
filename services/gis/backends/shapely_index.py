"""The default backend: shapely 2 STRtree over the areas of the current set, held in memory.

Points of the layers stay in the database; a bounding-box query on indexed lon/lat columns
narrows them, then great-circle distances decide.
"""

from __future__ import annotations

import math
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.geo.locating import AreaRef, Location, Locator, haversine_m
from services.gis.backends.base import NearbyPoint, SpatialBackend
from services.gis.models import Point
from services.gis.store import desa_polygons

METRES_PER_DEGREE = 111_320.0


def _matches(properties: dict, filters: dict) -> bool:
    return all(_text(properties.get(key)) == _text(value) for key, value in filters.items())


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ShapelyBackend(SpatialBackend):
    def __init__(self):
        self._indexes: dict[int, Locator] = {}
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._indexes.clear()

    def _index(self, session: Session, set_id: int) -> Locator:
        index = self._indexes.get(set_id)
        if index is None:
            rows = desa_polygons(session, set_id)
            index = Locator([AreaRef(*row[:3]) for row in rows], [row[3] for row in rows])
            with self._lock:
                self._indexes = {set_id: index}
        return index

    def locate_many(
        self, session: Session, set_id: int, points: list[tuple[float, float]]
    ) -> list[Location]:
        return self._index(session, set_id).locate_many(points)

    def nearby(
        self,
        session: Session,
        layer: str,
        lat: float,
        lon: float,
        radius_m: float,
        filters: dict,
        limit: int,
    ) -> list[NearbyPoint]:
        dlat = radius_m / METRES_PER_DEGREE
        dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
        rows = session.scalars(
            select(Point).where(
                Point.layer == layer,
                Point.lon.between(lon - dlon, lon + dlon),
                Point.lat.between(lat - dlat, lat + dlat),
            )
        )
        found = []
        for row in rows:
            if not _matches(row.properties or {}, filters):
                continue
            distance = haversine_m(lat, lon, row.lat, row.lon)
            if distance <= radius_m:
                found.append(
                    NearbyPoint(row.feature_id, row.lon, row.lat, distance, row.properties or {})
                )
        return sorted(found, key=lambda p: (p.distance_m, p.feature_id))[:limit]

    def nearest(
        self, session: Session, layer: str, lat: float, lon: float, k: int, filters: dict
    ) -> list[NearbyPoint]:
        radius = 1_000.0
        while True:
            found = self.nearby(session, layer, lat, lon, radius, filters, k)
            if len(found) >= k or radius >= 200_000:
                return found
            radius *= 4
