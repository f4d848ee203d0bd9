"""PostGIS backend: GiST indexes, ST_Covers for locating, ST_DWithin on geography, KNN (<->)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.gis.backends.base import AreaRef, Location, NearbyPoint, SpatialBackend, choose

LOCATE = text(
    """
    WITH pts AS (
        SELECT ord, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g
        FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[])) WITH ORDINALITY AS t(lon, lat, ord)
    )
    SELECT pts.ord, a.code, a.name, a.parent_code, ST_Distance(ST_Boundary(a.geom), pts.g) AS depth
    FROM pts JOIN areas a ON a.set_id = :set_id AND a.level = 'desa' AND ST_Covers(a.geom, pts.g)
    """
)
NEAREST_DESA = text(
    """
    SELECT a.code, a.name, a.parent_code,
           ST_Distance(a.geom::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography) AS metres
    FROM areas a
    WHERE a.set_id = :set_id AND a.level = 'desa'
    ORDER BY a.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)
    LIMIT 1
    """
)


def _filter_sql(filters: dict) -> tuple[str, dict]:
    clauses, params = [], {}
    for n, (key, value) in enumerate(sorted(filters.items())):
        clauses.append(f"p.properties ->> :fk{n} = :fv{n}")
        params[f"fk{n}"] = key
        params[f"fv{n}"] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return "".join(f" AND {c}" for c in clauses), params


class PostgisBackend(SpatialBackend):
    def locate_many(
        self, session: Session, set_id: int, points: list[tuple[float, float]]
    ) -> list[Location]:
        rows = session.execute(
            LOCATE,
            {
                "lons": [lon for _, lon in points],
                "lats": [lat for lat, _ in points],
                "set_id": set_id,
            },
        ).all()
        covering: dict[int, list[tuple[float, AreaRef]]] = {}
        for row in rows:
            covering.setdefault(row.ord - 1, []).append(
                (row.depth, AreaRef(row.code, row.name, row.parent_code))
            )
        results = []
        for i, (lat, lon) in enumerate(points):
            found = covering.get(i)
            if found:
                desa, others = choose(found)
                results.append(Location(inside=True, desa=desa, ambiguous=others))
            else:
                row = session.execute(
                    NEAREST_DESA, {"lon": lon, "lat": lat, "set_id": set_id}
                ).one()
                results.append(
                    Location(
                        inside=False,
                        nearest=AreaRef(row.code, row.name, row.parent_code),
                        distance_m=row.metres,
                    )
                )
        return results

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
        where, params = _filter_sql(filters)
        sql = text(
            f"""
            WITH q AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g)
            SELECT p.feature_id, p.lon, p.lat, p.properties,
                   ST_Distance(p.geom::geography, q.g::geography) AS metres
            FROM points p, q
            WHERE p.layer = :layer
              AND p.geom && ST_Expand(q.g, :deg)
              AND ST_DWithin(p.geom::geography, q.g::geography, :radius){where}
            ORDER BY metres, p.feature_id
            LIMIT :limit
            """
        )
        deg = (
            radius_m / 100_000.0 * 1.2
        )  # a degree is at least ~100 km here: a safe planar prefilter
        rows = session.execute(
            sql,
            {"lon": lon, "lat": lat, "layer": layer, "deg": deg, "radius": radius_m, "limit": limit}
            | params,
        ).all()
        return [NearbyPoint(r.feature_id, r.lon, r.lat, r.metres, r.properties or {}) for r in rows]

    def nearest(
        self, session: Session, layer: str, lat: float, lon: float, k: int, filters: dict
    ) -> list[NearbyPoint]:
        where, params = _filter_sql(filters)
        sql = text(
            f"""
            WITH q AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g)
            SELECT p.feature_id, p.lon, p.lat, p.properties,
                   ST_Distance(p.geom::geography, q.g::geography) AS metres
            FROM points p, q
            WHERE p.layer = :layer{where}
            ORDER BY p.geom <-> q.g
            LIMIT :k
            """
        )
        rows = session.execute(sql, {"lon": lon, "lat": lat, "layer": layer, "k": k} | params).all()
        found = [
            NearbyPoint(r.feature_id, r.lon, r.lat, r.metres, r.properties or {}) for r in rows
        ]
        return sorted(found, key=lambda p: (p.distance_m, p.feature_id))
