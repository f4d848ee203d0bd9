"""The gis service: which kecamatan and desa a point is in, point layers, spatial queries."""

from __future__ import annotations

import logging

from nameko.timer import timer
from shapely.geometry import mapping

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Invalid, NotFound, Unavailable
from servicekit.geo.locating import CurrentSet, location_dict, snapshot
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.payloads import load
from servicekit.reliable_events import reliable_event_handler
from services.gis import store
from services.gis.boundaries import BoundaryFileError, parse_feature_collection, with_kecamatan
from services.gis.contract import PointSchema
from services.gis.dependencies import Spatial
from services.gis.layers import LAYERS, layer_events, layer_for_event
from services.gis.models import outbox

log = logging.getLogger(__name__)
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


class GisService:
    name = "gis"

    db = Database("gis")
    outbox = Outbox(outbox)
    actor = CallContext()
    spatial = Spatial()

    def _current(self) -> CurrentSet:
        current = self.spatial.current(self.db)
        if current is None:
            raise Unavailable("Belum ada batas wilayah yang dimuat.")
        return current

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- locating ---------------------------------------------------------------------------

    @rpc
    def locate(self, lat: float, lon: float) -> dict:
        """The desa and kecamatan a point is in (a point on a border counts as inside); outside the
        regency: inside=false with the nearest desa and its distance in metres."""
        return self.locate_many([[lat, lon]])[0]

    @rpc
    def locate_many(self, points: list) -> list[dict]:
        """locate for many [lat, lon] points at once (at most GIS_BATCH_MAX)."""
        if len(points) > self.spatial.batch_max:
            raise Invalid(
                "Terlalu banyak titik.", {"points": [f"Paling banyak {self.spatial.batch_max}."]}
            )
        pairs = [(float(lat), float(lon)) for lat, lon in points]
        current = self._current()
        found = self.spatial.backend.locate_many(self.db, current.id, pairs)
        return [
            location_dict(lat, lon, loc, current)
            for (lat, lon), loc in zip(pairs, found, strict=True)
        ]

    @rpc
    def locator_snapshot(self) -> dict:
        """The current set's desa polygons (WKB) with codes and names, for a read-only copy of
        `locate` at the edge (the gateway). About 1.5 MB on the real data; fetched once per
        boundary version."""
        current = self._current()
        return snapshot(current, store.desa_polygons(self.db, current.id))

    @rpc
    def boundary_version(self) -> dict:
        """Which boundary set is current: cheap, for holders of a snapshot to check."""
        current = self._current()
        return {"set_id": current.id, "version": current.version}

    @rpc
    def search_areas(self, q: str, level: str | None = None, limit: int = 10) -> list[dict]:
        """Areas by code or name, tolerant of known alternative spellings (Tanjung Teja → Tunjung Teja)."""
        current = self._current()
        return [
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "parent_code": a.parent_code,
                "score": round(s, 3),
            }
            for s, a in store.search_areas(self.db, current.id, q, level, limit)
        ]

    # --- point layers ----------------------------------------------------------------------

    @rpc
    def nearby(
        self,
        layer: str,
        lat: float,
        lon: float,
        radius_m: float,
        filters: dict | None = None,
        limit: int = 50,
    ) -> list[dict]:
        """Points of a layer within radius_m metres, nearest first (e.g. duplicate complaints)."""
        found = self.spatial.backend.nearby(
            self.db, layer, lat, lon, float(radius_m), filters or {}, int(limit)
        )
        return [_nearby(p) for p in found]

    @rpc
    def nearest(
        self, layer: str, lat: float, lon: float, k: int = 5, filters: dict | None = None
    ) -> list[dict]:
        """The k nearest points of a layer."""
        return [
            _nearby(p)
            for p in self.spatial.backend.nearest(self.db, layer, lat, lon, int(k), filters or {})
        ]

    @rpc(callers=("complaints", "proposals"))
    def upsert_points(self, layer: str, points: list[dict]) -> int:
        """Add or replace points of a layer (public fields only)."""
        return store.upsert_points(self.db, layer, [load(PointSchema(), p) for p in points])

    @rpc(callers=("complaints", "proposals"))
    def remove_points(self, layer: str, feature_ids: list[str]) -> int:
        return store.remove_points(self.db, layer, list(feature_ids))

    @reliable_event_handler(event_types=layer_events)
    def feed_layers(self, event_type: str, payload: dict) -> None:
        """Keep the public point layers in step with the facts other services publish."""
        layer = layer_for_event(event_type)
        if layer is None:
            return
        point = layer.point_from(payload)
        if point is None:
            store.remove_points(
                self.db, layer.name, [payload.get("public_id") or str(payload.get("id"))]
            )
        else:
            store.upsert_points(self.db, layer.name, [load(PointSchema(), point)])

    # --- boundaries ----------------------------------------------------------------------------

    @rpc
    def import_boundaries(self, geojson: dict, version: str, source: str) -> dict:
        """Admins import a boundary GeoJSON as a new version; a bad file changes nothing."""
        self.actor.require_role("admin")
        try:
            records = with_kecamatan(parse_feature_collection(geojson))
        except BoundaryFileError as exc:
            raise Invalid("Berkas batas wilayah ditolak.", {"features": exc.problems}) from None
        boundary_set, created = store.import_set(self.db, records, version=version, source=source)
        self.spatial.forget_current()
        return {
            "version": boundary_set.version,
            "created": created,
            "areas": boundary_set.area_count,
        }

    @rpc
    def boundary_sets(self) -> list[dict]:
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
            for s in store.fetch_sets(self.db)
        ]

    # --- OGC API - Features ----------------------------------------------------------------------

    @rpc
    def collections(self) -> list[dict]:
        current = self._current()
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

    @rpc
    def items(self, collection: str, params: dict) -> dict:
        """Features of a collection in a bbox, filtered by properties (and datetime for points), paged."""
        bbox = params.get("bbox")
        if collection in AREA_LEVELS:
            rows, matched = store.fetch_areas(
                self.db,
                self._current().id,
                collection,
                bbox,
                params.get("filters", {}),
                params["limit"],
                params["offset"],
            )
            features = [area_feature(a) for a in rows]
            if bbox:  # the SQL used bounding boxes; keep only areas that really meet the bbox
                from shapely.geometry import box

                window = box(*bbox)
                features = [
                    f for f, a in zip(features, rows, strict=True) if a.geom.intersects(window)
                ]
            return {"features": features, "matched": matched}
        if collection in LAYERS:
            interval = params.get("interval")
            rows, matched = store.fetch_points(
                self.db,
                collection,
                bbox,
                params.get("filters", {}),
                interval,
                params["limit"],
                params["offset"],
            )
            return {"features": [point_feature(p) for p in rows], "matched": matched}
        raise NotFound("Koleksi tidak dikenal.", {"collection": [collection]})

    @rpc
    def feature(self, collection: str, feature_id: str) -> dict:
        if collection in AREA_LEVELS:
            area = store.get_area(self.db, self._current().id, feature_id, level=collection)
            if area is not None:
                return area_feature(area)
        elif collection in LAYERS:
            point = store.get_point(self.db, collection, feature_id)
            if point is not None:
                return point_feature(point)
        else:
            raise NotFound("Koleksi tidak dikenal.", {"collection": [collection]})
        raise NotFound("Fitur tidak ditemukan.", {"featureId": [feature_id]})


def _nearby(point) -> dict:
    return {
        "id": point.feature_id,
        "lat": point.lat,
        "lon": point.lon,
        "distance_m": round(point.distance_m, 2),
        "properties": point.properties,
    }
