"""The default backend: shapely 2 STRtree over the areas of the current set, held in memory.

Points of the layers stay in the database; a bounding-box query on indexed lon/lat columns
narrows them, then great-circle distances decide.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.gis.backends.base import (
    EARTH_RADIUS_M,
    AreaRef,
    Location,
    NearbyPoint,
    SpatialBackend,
    choose,
    haversine_m,
)
from services.gis.models import Point
from services.gis.store import desa_polygons

METRES_PER_DEGREE = 111_320.0
SIMPLIFY_DEGREES = 0.001  # ~110 m; a simplified border stays within this of the real one


class Locator:
    """Which desa a point is in, from the desa polygons alone: pure, no I/O.

    The gis service builds one from its database (this backend); the gateway builds the same
    from `gis.locator_snapshot` to answer `GET /api/v1/gis/locate` without a round trip.
    Same code, same polygons: the same answers.
    """

    def __init__(self, refs: list[AreaRef], geoms: list):
        shapely.prepare(geoms)
        self.refs = refs
        self.geoms = geoms
        self.tree = shapely.STRtree(geoms)
        self.polygons = np.asarray(geoms, dtype=object)  # for vectorised operations
        # simplified borders: a quick first guess of the nearest desa of a point outside
        self.coarse = shapely.STRtree(shapely.simplify(self.polygons, SIMPLIFY_DEGREES))

    def locate_many(self, points: list[tuple[float, float]]) -> list[Location]:
        geometries = shapely.points(
            np.array([(lon, lat) for lat, lon in points], dtype=float).reshape(-1, 2)
        )
        inputs, hits = self.tree.query(geometries, predicate="covered_by")
        covering: dict[int, list[int]] = {}
        for i, j in zip(inputs.tolist(), hits.tolist(), strict=True):
            covering.setdefault(i, []).append(j)
        outside = self._outside(geometries, [i for i in range(len(points)) if i not in covering])
        results = []
        for i, point in enumerate(geometries):
            found = covering.get(i)
            if not found:
                results.append(outside[i])
            elif len(found) == 1:
                results.append(Location(inside=True, desa=self.refs[found[0]]))
            else:
                depths = [(self.geoms[j].boundary.distance(point), self.refs[j]) for j in found]
                desa, others = choose(depths)
                results.append(Location(inside=True, desa=desa, ambiguous=others))
        return results

    def _outside(self, geometries, wanted: list[int]) -> dict[int, Location]:
        """Nearest desa of every point outside, all at once: nearest polygon, then the shortest
        line to it, measured on the sphere."""
        if not wanted:
            return {}
        points = geometries[wanted]
        # A first guess on simplified borders, then every desa that could still be nearer,
        # measured exactly: the same answer as a search on the real borders, much faster.
        _, guess = self.coarse.query_nearest(points, all_matches=False)
        bound = shapely.distance(self.polygons[guess], points) + 2 * SIMPLIFY_DEGREES
        inputs, candidates = self.coarse.query(points, predicate="dwithin", distance=bound)
        exact = shapely.distance(self.polygons[candidates], points[inputs])
        order = np.lexsort((candidates, exact, inputs))  # per point: nearest, then smallest code
        first = order[np.r_[True, inputs[order][1:] != inputs[order][:-1]]]
        inputs, nearest = inputs[first], candidates[first]
        lines = shapely.shortest_line(self.polygons[nearest], points[inputs])
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)  # [edge point, query point]
        lon1, lat1 = np.radians(ends[:, 0, 0]), np.radians(ends[:, 0, 1])
        lon2, lat2 = np.radians(ends[:, 1, 0]), np.radians(ends[:, 1, 1])
        a = (
            np.sin((lat2 - lat1) / 2) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        )
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, a)))
        return {
            wanted[int(i)]: Location(inside=False, nearest=self.refs[int(j)], distance_m=float(d))
            for i, j, d in zip(inputs, nearest, metres, strict=True)
        }


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
