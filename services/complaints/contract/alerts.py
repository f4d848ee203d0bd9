"""Area alerts of the complaints app (issue 16): anyone subscribes an email address to new
reports in a kecamatan, a desa or a radius around a point, for chosen categories.

What other processes may know of them: the request and reply of `create_alert`, and the two
events notifications turns into emails. The events carry ids and public facts only; the
address and the links' codes are asked of complaints by RPC (`alert_contact`, notifications
only), never carried on the bus.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.events import EventSchema, event
from services.complaints.contract.schemas import LAT, LON

ALERT_REQUESTED = "complaints.alert_requested"
ALERT_MATCHED = "complaints.alert_matched"

MAX_RADIUS_M = 5000  # a radius alert covers at most 5 km around its point
MIN_RADIUS_M = 100
MAX_CATEGORIES = 20
KINDS = ("kecamatan", "desa", "radius")


class AlertCreateSchema(Schema):
    """One area and its categories: a kecamatan, a desa, or a point with a radius."""

    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        metadata={"example": "warga@example.id"},
    )
    categories = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_CATEGORIES, error=f"Pilih 1 sampai {MAX_CATEGORIES} kategori."
        ),
        metadata={"example": ["jalan-rusak", "jembatan-rusak"]},
    )
    kecamatan = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=16)
    )
    desa = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=20)
    )
    lat = fields.Float(load_default=None, allow_none=True, allow_nan=False, validate=LAT)
    lon = fields.Float(load_default=None, allow_none=True, allow_nan=False, validate=LON)
    radius_m = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(
            min=MIN_RADIUS_M,
            max=MAX_RADIUS_M,
            error=f"Radius {MIN_RADIUS_M} sampai {MAX_RADIUS_M} meter.",
        ),
        metadata={"example": 1000},
    )

    @validates_schema
    def _one_area(self, data, **kwargs):
        point = [data.get(k) is not None for k in ("lat", "lon", "radius_m")]
        chosen = [bool(data.get("kecamatan")), bool(data.get("desa")), any(point)]
        if sum(chosen) != 1:
            raise ValidationError(
                "Pilih tepat satu wilayah: kecamatan, desa, atau titik dengan radius.", "kecamatan"
            )
        if any(point) and not all(point):
            missing = [
                k for k, given in zip(("lat", "lon", "radius_m"), point, strict=True) if not given
            ]
            raise ValidationError("Titik perlu lintang, bujur dan radius.", missing[0])


class AlertAcceptedSchema(Schema):
    """The same answer whatever the address: nothing tells whether it has alerts already."""

    message = fields.String(required=True)


class AlertLinkSchema(Schema):
    """What a confirmation or unsubscribe link did: its area, in words."""

    status = fields.String(required=True)  # confirmed | unsubscribed
    area = fields.String(required=True)
    categories = fields.List(fields.String(), required=True)


@event(ALERT_REQUESTED)
class AlertRequested(EventSchema):
    """Someone asked for an alert: its confirmation email goes out (to the address complaints
    keeps; nothing else is sent before it is confirmed)."""

    alert_id = fields.Integer(required=True)


@event(ALERT_MATCHED)
class AlertMatched(EventSchema):
    """A new report lies in a confirmed alert's area and categories: one alert email."""

    alert_id = fields.Integer(required=True)
    report_id = fields.Integer(required=True)
    public_id = fields.String(required=True)
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    area = fields.String(required=True)  # the alert's area in words
    kecamatan_name = fields.String(allow_none=True, load_default=None)
    desa_name = fields.String(allow_none=True, load_default=None)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


ALERT_EVENTS = (AlertRequested, AlertMatched)
