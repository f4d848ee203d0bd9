"""Which desa a point is in, from the desa polygons alone: pure, no I/O.

Shared by the gis service (which builds a `Locator` from its database and answers `locate`)
and the gateway (which builds the same from `GisClient.locator_snapshot` and answers
`GET /api/v1/gis/locate` without a round trip over the bus): the same code over the same
polygons, so the same answers for the same boundary version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

SIMPLIFY_DEGREES = 0.001  # ~110 m; a simplified border stays within this of the real one
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class AreaRef:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class Location:
    """Where a point falls: its desa (deterministic when desa overlap) and the others under ambiguous."""

    inside: bool
    desa: AreaRef | None = None
    ambiguous: tuple[AreaRef, ...] = ()
    nearest: AreaRef | None = None
    distance_m: float | None = None


def choose(covering: list[tuple[float, AreaRef]]) -> tuple[AreaRef, tuple[AreaRef, ...]]:
    """The desa the point lies deepest inside (then the smallest code), and the others."""
    ordered = sorted(covering, key=lambda item: (-round(item[0], 9), item[1].code))
    return ordered[0][1], tuple(ref for _, ref in ordered[1:])


@dataclass(frozen=True)
class CurrentSet:
    id: int
    version: str
    approximate: bool
    kecamatan_names: dict
    # desa code -> ({code, name} of the desa, {code, name} of its kecamatan), filled as asked
    named: dict = field(default_factory=dict, compare=False, repr=False)


class Locator:
    """Which desa a point is in, from the desa polygons alone: pure, no I/O.

    The gis service builds one from its database (its shapely backend); the gateway builds the
    same from `gis.locator_snapshot` to answer `GET /api/v1/gis/locate` without a round trip.
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


def _named(ref: AreaRef, current: CurrentSet) -> tuple[dict, dict | None]:
    """The desa and its kecamatan as answered, built once per desa and set (answers share them,
    read-only: they are only ever serialised)."""
    found = current.named.get(ref.code)
    if found is None:
        parent = ref.parent_code
        kecamatan = (
            {"code": parent, "name": current.kecamatan_names.get(parent, parent)}
            if parent
            else None
        )
        found = current.named[ref.code] = ({"code": ref.code, "name": ref.name}, kecamatan)
    return found


def location_dict(lat: float, lon: float, found: Location, current: CurrentSet) -> dict:
    desa, kecamatan = _named(found.desa, current) if found.desa else (None, None)
    nearest = None
    if found.nearest:
        near_desa, near_kecamatan = _named(found.nearest, current)
        nearest = {
            "desa": near_desa,
            "kecamatan": near_kecamatan,
            "distance_m": round(found.distance_m, 1),
        }
    return {
        "lat": lat,
        "lon": lon,
        "inside": found.inside,
        "desa": desa,
        "kecamatan": kecamatan,
        "ambiguous": [_named(a, current)[0] for a in found.ambiguous],
        "nearest": nearest,
        "boundary_version": current.version,
        "approximate": current.approximate,
    }


def snapshot(current: CurrentSet, rows) -> dict:
    """`rows`: (code, name, parent_code, geometry) of every desa of the current set."""
    return {
        "set_id": current.id,
        "version": current.version,
        "approximate": current.approximate,
        "kecamatan_names": current.kecamatan_names,
        "desa": [
            {
                "code": code,
                "name": name,
                "parent_code": parent,
                "wkb": shapely.to_wkb(geom, hex=True),
            }
            for code, name, parent, geom in rows
        ],
    }


def from_snapshot(data: dict) -> tuple[Locator, CurrentSet]:
    current = CurrentSet(
        data["set_id"], data["version"], data["approximate"], data["kecamatan_names"]
    )
    desa = data["desa"]
    geoms = list(shapely.from_wkb([d["wkb"] for d in desa]))
    refs = [AreaRef(d["code"], d["name"], d["parent_code"]) for d in desa]
    return Locator(refs, geoms), current
