"""OGC API - Features: the collections (kecamatan, desa, point layers) and their items.

Plain functions behind GisService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

from shapely.geometry import box, mapping

from servicekit.errors import NotFound
from services.gis import store
from services.gis.desk import Desk
from services.gis.layers import LAYERS

AREA_LEVELS = ("kecamatan", "desa")


def area_feature(area) -> dict:
    properties = {
        "kode": area.code,
        "nama": area.name,
        "level": area.level,
        "kode_induk": area.parent_code,
    }
    if area.kind:
        properties["jenis"] = area.kind
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": mapping(area.geom),
        "properties": properties,
    }


def point_feature(point) -> dict:
    properties = dict(point.properties or {})
    if point.datetime:
        properties.setdefault("datetime", point.datetime.isoformat())
    return {
        "type": "Feature",
        "id": point.feature_id,
        "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
        "properties": properties,
    }


def collections(desk: Desk) -> list[dict]:
    current = desk.current()
    suffix = " (batas perkiraan, bukan resmi)" if current.approximate else ""
    found = [
        {
            "id": "kecamatan",
            "title": "Kecamatan",
            "kind": "area",
            "description": f"29 kecamatan Kabupaten Serang, versi {current.version}{suffix}",
            "queryables": ["kode", "nama", "kode_induk"],
        },
        {
            "id": "desa",
            "title": "Desa dan kelurahan",
            "kind": "area",
            "description": f"326 desa/kelurahan Kabupaten Serang, versi {current.version}{suffix}",
            "queryables": ["kode", "nama", "kode_induk", "jenis"],
        },
    ]
    return found + [
        {
            "id": layer.name,
            "title": layer.title,
            "kind": "points",
            "description": layer.description,
            "queryables": list(layer.queryables),
        }
        for layer in LAYERS.values()
    ]


def items(desk: Desk, collection: str, params: dict) -> dict:
    """Features of a collection in a bbox, filtered by properties (and datetime for points), paged."""
    bbox = params.get("bbox")
    if collection in AREA_LEVELS:
        rows, matched = store.fetch_areas(
            desk.db,
            desk.current().id,
            collection,
            bbox,
            params.get("filters", {}),
            params["limit"],
            params["offset"],
        )
        features = [area_feature(a) for a in rows]
        if bbox:  # the SQL used bounding boxes; keep only areas that really meet the bbox
            window = box(*bbox)
            features = [f for f, a in zip(features, rows, strict=True) if a.geom.intersects(window)]
        return {"features": features, "matched": matched}
    if collection in LAYERS:
        rows, matched = store.fetch_points(
            desk.db,
            collection,
            bbox,
            params.get("filters", {}),
            params.get("interval"),
            params["limit"],
            params["offset"],
        )
        return {"features": [point_feature(p) for p in rows], "matched": matched}
    raise NotFound("Koleksi tidak dikenal.", {"collection": [collection]})


def feature(desk: Desk, collection: str, feature_id: str) -> dict:
    if collection in AREA_LEVELS:
        area = store.get_area(desk.db, desk.current().id, feature_id, level=collection)
        if area is not None:
            return area_feature(area)
    elif collection in LAYERS:
        point = store.get_point(desk.db, collection, feature_id)
        if point is not None:
            return point_feature(point)
    else:
        raise NotFound("Koleksi tidak dikenal.", {"collection": [collection]})
    raise NotFound("Fitur tidak ditemukan.", {"featureId": [feature_id]})
