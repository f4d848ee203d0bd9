"""Kecamatan and desa: locating points, searching areas, importing boundary sets.

Plain functions behind GisService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

from servicekit.errors import Invalid
from servicekit.geo.locating import location_dict, snapshot
from services.gis import store
from services.gis.boundaries import BoundaryFileError, parse_feature_collection, with_kecamatan
from services.gis.desk import Desk


def locate_many(desk: Desk, points: list) -> list[dict]:
    """locate for many [lat, lon] points at once (at most GIS_BATCH_MAX)."""
    if len(points) > desk.spatial.batch_max:
        raise Invalid(
            "Terlalu banyak titik.", {"points": [f"Paling banyak {desk.spatial.batch_max}."]}
        )
    pairs = [(float(lat), float(lon)) for lat, lon in points]
    current = desk.current()
    found = desk.spatial.backend.locate_many(desk.db, current.id, pairs)
    return [
        location_dict(lat, lon, loc, current) for (lat, lon), loc in zip(pairs, found, strict=True)
    ]


def locator_snapshot(desk: Desk) -> dict:
    """The current set's desa polygons (WKB) with codes and names, for a copy at the edge."""
    current = desk.current()
    return snapshot(current, store.desa_polygons(desk.db, current.id))


def boundary_version(desk: Desk) -> dict:
    """Which boundary set is current."""
    current = desk.current()
    return {"set_id": current.id, "version": current.version}


def search_areas(desk: Desk, q: str, level: str | None, limit: int) -> list[dict]:
    """Areas by code or name, tolerant of known alternative spellings."""
    current = desk.current()
    return [
        {
            "code": a.code,
            "name": a.name,
            "level": a.level,
            "parent_code": a.parent_code,
            "score": round(s, 3),
        }
        for s, a in store.search_areas(desk.db, current.id, q, level, limit)
    ]


def import_boundaries(desk: Desk, geojson: dict, version: str, source: str) -> dict:
    """Admins import a boundary GeoJSON as a new version; a bad file changes nothing."""
    desk.actor.require_role("admin")
    try:
        records = with_kecamatan(parse_feature_collection(geojson))
    except BoundaryFileError as exc:
        raise Invalid("Berkas batas wilayah ditolak.", {"features": exc.problems}) from None
    boundary_set, created = store.import_set(desk.db, records, version=version, source=source)
    desk.spatial.forget_current()
    return {"version": boundary_set.version, "created": created, "areas": boundary_set.area_count}


def boundary_sets(desk: Desk) -> list[dict]:
    """Every boundary set imported, which one is current."""
    return [
        {
            "id": s.id,
            "version": s.version,
            "source": s.source,
            "valid_from": s.valid_from.isoformat(),
            "approximate": s.approximate,
            "current": s.is_current,
            "areas": s.area_count,
        }
        for s in store.fetch_sets(desk.db)
    ]
