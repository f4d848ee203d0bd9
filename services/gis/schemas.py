"""Payloads of the gis service's RPC methods and the query parameters of its HTTP API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)

LAT = validate.Range(min=-90, max=90, error="Lintang harus antara -90 dan 90.")
LON = validate.Range(min=-180, max=180, error="Bujur harus antara -180 dan 180.")
LAYER = validate.Regexp(r"^[a-z][a-z0-9_-]{1,39}$", error="Nama lapisan tidak valid.")


class LocateQuerySchema(Schema):
    lat = fields.Float(required=True, allow_nan=False, validate=LAT, metadata={"example": -6.0653})
    lon = fields.Float(required=True, allow_nan=False, validate=LON, metadata={"example": 106.119})


def _pair(value):
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValidationError("Setiap titik berbentuk [lintang, bujur].")


class LocateBatchSchema(Schema):
    points = fields.List(
        fields.List(fields.Float(allow_nan=False), validate=_pair),
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
