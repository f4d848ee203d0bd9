"""The complaints app's open data (issue 16): the public statistics' reply and the area feed's
query. Public facts only."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)


class FeedQuerySchema(Schema):
    """One area: `kecamatan=<code>` or `desa=<code>`."""

    kecamatan = fields.String(load_default=None, validate=validate.Length(min=1, max=20))
    desa = fields.String(load_default=None, validate=validate.Length(min=1, max=20))

    @validates_schema
    def _one_area(self, data, **kwargs):
        if bool(data.get("kecamatan")) == bool(data.get("desa")):
            raise ValidationError("Isi tepat satu: kecamatan atau desa.", "kecamatan")


class _AgencyCount(Schema):
    agency = fields.String(required=True)
    reports = fields.Integer(required=True)


class _CategoryCount(Schema):
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    reports = fields.Integer(required=True)


class _MonthCount(Schema):
    month = fields.String(required=True, metadata={"example": "2026-11"})
    reports = fields.Integer(required=True)


class StatisticsSchema(Schema):
    """Every filed report counted; working days as the SLA counts them (weekends and holidays
    excluded); within the SLA = resolved at most `sla_working_days` after coming in."""

    total = fields.Integer(required=True)
    by_agency = fields.List(fields.Nested(_AgencyCount), required=True)
    by_category = fields.List(fields.Nested(_CategoryCount), required=True)
    by_month = fields.List(fields.Nested(_MonthCount), required=True)
    resolved = fields.Integer(required=True)
    median_working_days_to_resolve = fields.Float(required=True, allow_none=True)
    sla_working_days = fields.Integer(required=True)
    resolved_within_sla_share = fields.Float(
        required=True, allow_none=True, metadata={"description": "0..1"}
    )
    as_of = fields.String(required=True)
