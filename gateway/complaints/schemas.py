"""HTTP-only shapes of the complaints endpoints (payloads come from services.complaints.contract)."""

from marshmallow import Schema, fields, validate

from services.complaints.contract import LAT, LON


class NearbyQuerySchema(Schema):
    category = fields.String(required=True, validate=validate.Length(max=40))
    lat = fields.Float(required=True, allow_nan=False, validate=LAT)
    lon = fields.Float(required=True, allow_nan=False, validate=LON)


class SupportResultSchema(Schema):
    public_id = fields.String()
    supporters = fields.Integer()
    added = fields.Boolean(
        metadata={"description": "false bila Anda sudah pernah mendukung laporan ini"}
    )
    notify = fields.Boolean(
        metadata={"description": "true: Anda juga menerima email setiap status laporan berubah"}
    )


class SupportQuerySchema(Schema):
    notify = fields.Boolean(
        load_default=False,
        metadata={"description": "true: kirimi saya email setiap status laporan ini berubah"},
    )


class AttributeDefinitionSchema(Schema):
    code = fields.String()
    datatype = fields.String()
    required = fields.Boolean()
    variable = fields.Boolean()
    order = fields.Integer()
    description = fields.String()
    datatype_description = fields.String(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    values = fields.List(fields.Dict())


class CategoryOutSchema(Schema):
    code = fields.String()
    name = fields.String()
    description = fields.String()
    group = fields.String()
    keywords = fields.String()
    agency_code = fields.String()
    routes_by_area = fields.Boolean()
    active = fields.Boolean()
    attributes = fields.List(fields.Nested(AttributeDefinitionSchema))
