"""Payloads of the complaints service's RPC methods: what callers send and what they get back."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.schema_fields import StrictBoolean, StrictInteger
from services.complaints.contract.forwarding import EXTRA_ACTIONS, RECATEGORISE
from services.complaints.contract.statuses import STATUSES, TRANSITIONS

LAT = validate.Range(min=-90, max=90, error="Lintang harus antara -90 dan 90.")
LON = validate.Range(min=-180, max=180, error="Bujur harus antara -180 dan 180.")
PER_PAGE_MAX = 100
# the datatypes of a category's extra attributes (Open311 service definition)
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


class ReportCreateSchema(Schema):
    """A citizen's report: where, what, how bad."""

    category = fields.String(
        required=True, validate=validate.Length(max=40), metadata={"example": "jalan-rusak"}
    )
    lat = fields.Float(required=True, allow_nan=False, validate=LAT, metadata={"example": -6.1405})
    lon = fields.Float(required=True, allow_nan=False, validate=LON, metadata={"example": 106.2213})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    description = fields.String(
        required=True,
        validate=validate.Length(min=5, max=4000, error="Uraian 5 sampai 4000 karakter."),
        metadata={"example": "Jalan desa berlubang sepanjang kira-kira 2 km, sulit dilalui motor."},
    )
    attributes = fields.Dict(
        keys=fields.String(validate=validate.Length(max=60)),
        values=fields.Raw(allow_none=True),
        load_default=dict,
        metadata={
            "example": {
                "panjang_kerusakan_m": 2000,
                "tingkat_kerusakan": "berat",
                "jenis_jalan": "desa",
            }
        },
    )
    contact_email = fields.Email(
        load_default=None, allow_none=True, validate=validate.Length(max=254)
    )
    contact_name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=120)
    )
    contact_phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Nomor telepon tidak valid."),
    )
    media_url = fields.Url(load_default=None, allow_none=True, validate=validate.Length(max=500))
    ignore_duplicates = StrictBoolean(
        load_default=False,
        metadata={
            "description": "true: laporkan sebagai laporan baru walau ada laporan serupa di dekatnya"
        },
    )


class TransitionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf([*TRANSITIONS, *EXTRA_ACTIONS]))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    duplicate_of = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=24),
        metadata={
            "description": "untuk mark_duplicate: nomor laporan yang asli, mis. SRG-2026-000123"
        },
    )

    to_agency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=2, max=32),
        metadata={
            "description": "untuk forward: kode OPD tujuan (mis. DLH), atau instansi di luar"
            " kabupaten (PROV_BANTEN, KOTA_SERANG, BPJN_BANTEN): laporan ditutup di sini",
            "example": "DLH",
        },
    )
    category = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "untuk recategorise: kode kategori yang baru"},
    )

    @validates_schema
    def duplicate_needs_target(self, data, **_):
        if data["action"] == "mark_duplicate" and not data.get("duplicate_of"):
            raise ValidationError("Sebutkan laporan aslinya.", "duplicate_of")

    @validates_schema
    def recategorise_needs_category(self, data, **_):
        if data["action"] == RECATEGORISE and not data.get("category"):
            raise ValidationError("Sebutkan kategori yang baru.", "category")


def _known_statuses(raw: str) -> None:
    unknown = set(raw.split(",")) - set(STATUSES) - {""}
    if unknown:
        raise ValidationError(f"Status tidak dikenal: {', '.join(sorted(unknown))}.")


def _valid_bbox(raw: str) -> None:
    parse_bbox(raw)


class ListQuerySchema(Schema):
    bbox = fields.String(
        load_default=None,
        validate=_valid_bbox,
        metadata={
            "description": "minLon,minLat,maxLon,maxLat (WGS84)",
            "example": "106.0,-6.3,106.4,-5.9",
        },
    )
    category = fields.String(load_default=None, validate=validate.Length(max=40))
    status = fields.String(
        load_default=None,
        validate=_known_statuses,
        metadata={"description": "satu atau lebih status, dipisah koma"},
    )
    kecamatan = fields.String(load_default=None, validate=validate.Length(max=16))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=PER_PAGE_MAX))


class QueueQuerySchema(ListQuerySchema):
    overdue = fields.Boolean(load_default=None, allow_none=True)


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in raw.split(","))
    except ValueError:
        raise ValidationError("bbox harus minLon,minLat,maxLon,maxLat.") from None
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ValidationError("bbox tidak valid (terbalik atau di luar jangkauan).")
    return min_lon, min_lat, max_lon, max_lat


class AttributeValueSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)


class AttributeSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{1,60}$"))
    datatype = fields.String(required=True, validate=validate.OneOf(DATATYPES))
    required = StrictBoolean(load_default=False)
    variable = StrictBoolean(load_default=True)
    order = StrictInteger(load_default=1, validate=validate.Range(min=1, max=100))
    description = fields.String(required=True, validate=validate.Length(min=1, max=300))
    datatype_description = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=300)
    )
    min = fields.Float(load_default=None, allow_none=True)
    max = fields.Float(load_default=None, allow_none=True)
    values = fields.List(fields.Nested(AttributeValueSchema), load_default=list)


class CategorySchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]{2,40}$"))
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    description = fields.String(load_default="", validate=validate.Length(max=1000))
    group = fields.String(load_default="", validate=validate.Length(max=80))
    keywords = fields.String(load_default="", validate=validate.Length(max=300))
    agency_code = fields.String(required=True, validate=validate.Length(min=2, max=32))
    routes_by_area = StrictBoolean(load_default=False)
    active = StrictBoolean(load_default=True)
    attributes = fields.List(fields.Nested(AttributeSchema), load_default=list)


class ApiKeyCreateSchema(Schema):
    organisation = fields.String(required=True, validate=validate.Length(min=2, max=200))


# --- what goes out ------------------------------------------------------------------------


class TimelineSchema(Schema):
    at = fields.DateTime(format="iso")
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    actor = fields.String(
        metadata={"description": "Pelapor, Sistem, atau kode OPD: staf tidak disebut namanya"}
    )
    note = fields.String(allow_none=True)


class PhotoSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    url = fields.String()
    hidden_reason = fields.String(
        allow_none=True,
        metadata={
            "description": "hanya bagi pelapor, OPD yang menangani, dan admin: foto"
            " disembunyikan dari publik"
        },
    )


class PublicReportSchema(Schema):
    public_id = fields.String(metadata={"example": "SRG-2026-000123"})
    category = fields.String()
    category_name = fields.String()
    status = fields.String()
    status_label = fields.String()
    agency = fields.String()
    unit = fields.String(allow_none=True)
    lat = fields.Float()
    lon = fields.Float()
    desa = fields.String(allow_none=True)
    kecamatan = fields.String(allow_none=True)
    kecamatan_code = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    description = fields.String()
    attributes = fields.Dict()
    media_url = fields.String(allow_none=True)
    photos = fields.List(fields.Nested(PhotoSchema))
    supporters = fields.Integer()
    duplicate_of = fields.String(allow_none=True)
    requested_at = fields.DateTime(format="iso")
    updated_at = fields.DateTime(format="iso")
    due_at = fields.DateTime(format="iso", allow_none=True)
    overdue = fields.Boolean()
    status_note = fields.String(allow_none=True)
    timeline = fields.List(fields.Nested(TimelineSchema))
    forwarded_to = fields.String(
        allow_none=True,
        metadata={"description": "instansi di luar kabupaten tujuan laporan (forwarded_external)"},
    )


class PrivateReportSchema(PublicReportSchema):
    """What the reporter (and the agency handling it) also sees."""

    token = fields.String()
    reporter_user_id = fields.Integer(allow_none=True)
    contact_email = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    source = fields.String()
    hidden_reason = fields.String(
        allow_none=True,
        metadata={"description": "laporan disembunyikan dari publik oleh moderator, dengan alasan"},
    )


class ReportPageSchema(Schema):
    items = fields.List(fields.Nested(PublicReportSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class CandidateSchema(Schema):
    public_id = fields.String()
    category_name = fields.String()
    status_label = fields.String()
    distance_m = fields.Float()
    description = fields.String()
    supporters = fields.Integer()


class ApiKeySchema(Schema):
    id = fields.Integer()
    organisation = fields.String()
    key_prefix = fields.String()
    active = fields.Boolean()
    created_at = fields.DateTime(format="iso")
    api_key = fields.String(metadata={"description": "hanya ditampilkan sekali, saat dibuat"})
