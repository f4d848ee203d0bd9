"""The published contract of the gis service: what any other process may know of it.

Its RPC request and reply schemas (the gateway validates query parameters with these same
schemas) and `GisClient`, the typed client of its RPCs. gis publishes no events; it consumes
those of the apps that feed its public map layers (each app's `map_layers`). Depends only on
the standard library, marshmallow and servicekit.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.client import Client

LAT = validate.Range(min=-90, max=90, error="Lintang harus antara -90 dan 90.")
LON = validate.Range(min=-180, max=180, error="Bujur harus antara -180 dan 180.")
LAYER = validate.Regexp(r"^[a-z][a-z0-9_-]{1,39}$", error="Nama lapisan tidak valid.")


class LocateQuerySchema(Schema):
    lat = fields.Float(required=True, allow_nan=False, validate=LAT, metadata={"example": -6.0653})
    lon = fields.Float(required=True, allow_nan=False, validate=LON, metadata={"example": 106.119})


# a Length (not a function) so that the API document states it: minItems = maxItems = 2
PAIR = "Setiap titik berbentuk [lintang, bujur]."


class LocateBatchSchema(Schema):
    points = fields.List(
        fields.List(fields.Float(allow_nan=False), validate=validate.Length(equal=2, error=PAIR)),
        required=True,
        validate=validate.Length(min=1, max=10_000, error="1 sampai 10.000 titik."),
        metadata={"example": [[-6.0653, 106.119], [-6.1199, 106.1503]]},
    )


class NearbyQuerySchema(Schema):
    layer = fields.String(required=True, validate=LAYER, metadata={"example": "complaints"})
    lat = fields.Float(required=True, allow_nan=False, validate=LAT)
    lon = fields.Float(required=True, allow_nan=False, validate=LON)
    radius_m = fields.Float(
        load_default=50.0, allow_nan=False, validate=validate.Range(min=1, max=50_000)
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class NearestQuerySchema(Schema):
    layer = fields.String(required=True, validate=LAYER)
    lat = fields.Float(required=True, allow_nan=False, validate=LAT)
    lon = fields.Float(required=True, allow_nan=False, validate=LON)
    k = fields.Integer(load_default=5, validate=validate.Range(min=1, max=100))


class AreaSearchSchema(Schema):
    q = fields.String(
        required=True, validate=validate.Length(min=2, max=80), metadata={"example": "Tanjung Teja"}
    )
    level = fields.String(load_default=None, validate=validate.OneOf(["kecamatan", "desa"]))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class PointSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=60))
    lat = fields.Float(required=True, allow_nan=False, validate=LAT)
    lon = fields.Float(required=True, allow_nan=False, validate=LON)
    properties = fields.Dict(load_default=dict)
    datetime = fields.AwareDateTime(load_default=None, allow_none=True)


class AreaRefSchema(Schema):
    code = fields.String()
    name = fields.String()


class NearestAreaSchema(Schema):
    desa = fields.Nested(AreaRefSchema)
    kecamatan = fields.Nested(AreaRefSchema)
    distance_m = fields.Float()


class LocationSchema(Schema):
    lat = fields.Float()
    lon = fields.Float()
    inside = fields.Boolean()
    desa = fields.Nested(AreaRefSchema, allow_none=True)
    kecamatan = fields.Nested(AreaRefSchema, allow_none=True)
    ambiguous = fields.List(
        fields.Nested(AreaRefSchema), metadata={"description": "desa lain yang juga mencakup titik"}
    )
    nearest = fields.Nested(
        NearestAreaSchema, allow_none=True, metadata={"description": "untuk titik di luar wilayah"}
    )
    boundary_version = fields.String()
    approximate = fields.Boolean(
        metadata={"description": "true: batas perkiraan (demo), bukan batas resmi"}
    )


class NearbySchema(Schema):
    id = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    distance_m = fields.Float()
    properties = fields.Dict()


class AreaMatchSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.String(allow_none=True)
    score = fields.Float()


class ImportResultSchema(Schema):
    version = fields.String()
    created = fields.Boolean()
    areas = fields.Integer()


class BoundarySetSchema(Schema):
    id = fields.Integer()
    version = fields.String()
    source = fields.String()
    valid_from = fields.String()
    approximate = fields.Boolean()
    current = fields.Boolean()
    areas = fields.Integer()


class GisClient(Client):
    service = "gis"

    def locate(self, lat: float, lon: float) -> dict:
        """The desa and kecamatan of a point (LocationSchema)."""
        return self._call("locate", lat, lon)

    def locate_many(self, points: list) -> list[dict]:
        """locate for many [lat, lon] points at once, in the same order."""
        return self._call("locate_many", points)

    def locator_snapshot(self) -> dict:
        """The current desa polygons (WKB), for servicekit.geo.locating.from_snapshot."""
        return self._call("locator_snapshot")

    def boundary_version(self) -> dict:
        """Which boundary set is current: {set_id, version}."""
        return self._call("boundary_version")

    def search_areas(self, q: str, level: str | None = None, limit: int = 10) -> list[dict]:
        """Areas by code or name, spelling-tolerant (AreaMatchSchema each)."""
        return self._call("search_areas", q, level, limit)

    def nearby(
        self,
        layer: str,
        lat: float,
        lon: float,
        radius_m: float,
        filters: dict | None = None,
        limit: int = 50,
    ) -> list[dict]:
        """Points of a layer within radius_m metres, nearest first (NearbySchema each)."""
        return self._call("nearby", layer, lat, lon, radius_m, filters, limit)

    def nearest(
        self, layer: str, lat: float, lon: float, k: int = 5, filters: dict | None = None
    ) -> list[dict]:
        """The k nearest points of a layer (NearbySchema each)."""
        return self._call("nearest", layer, lat, lon, k, filters)

    def upsert_points(self, layer: str, points: list[dict]) -> int:
        """Add or replace points of a layer (PointSchema each); complaints and proposals only."""
        return self._call("upsert_points", layer, points)

    def remove_points(self, layer: str, feature_ids: list[str]) -> int:
        """Remove points of a layer by id; complaints and proposals only."""
        return self._call("remove_points", layer, feature_ids)

    def import_boundaries(self, geojson: dict, version: str, source: str) -> dict:
        """An admin imports a boundary FeatureCollection as a new version (ImportResultSchema)."""
        return self._call("import_boundaries", geojson, version, source)

    def boundary_sets(self) -> list[dict]:
        """Every imported boundary version (BoundarySetSchema each)."""
        return self._call("boundary_sets")

    def collections(self) -> list[dict]:
        """The OGC API - Features collections: {id, title, kind, description, queryables}."""
        return self._call("collections")

    def items(self, collection: str, params: dict) -> dict:
        """Features of a collection, filtered and paged: {features, matched}."""
        return self._call("items", collection, params)

    def feature(self, collection: str, feature_id: str) -> dict:
        """One GeoJSON feature of a collection."""
        return self._call("feature", collection, feature_id)
