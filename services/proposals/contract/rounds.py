"""Application rounds: per budget year and kind (hibah, bansos), the dates between which
proposals may be submitted. Bagian Kesra (and admins) open a round and may change its dates;
anyone may read the schedule."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from services.proposals.contract.catalogue import KINDS

ROUND_STATUS_LABELS = {
    "upcoming": "Belum dibuka",
    "open": "Dibuka",
    "closed": "Ditutup",
}


class RoundDatesSchema(Schema):
    """A round's opening and closing dates (both days included)."""

    opens_on = fields.Date(required=True, metadata={"example": "2027-01-15"})
    closes_on = fields.Date(required=True, metadata={"example": "2027-03-31"})

    @validates_schema
    def ordered(self, data, **_):
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            raise ValidationError(
                {"closes_on": ["Tanggal penutupan tidak boleh sebelum tanggal pembukaan."]}
            )


class RoundSchema(RoundDatesSchema):
    """A new round: one per budget year and kind."""

    budget_year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=2000, max=2100, error="Tahun anggaran tidak valid."),
    )
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class RoundOutSchema(Schema):
    """A round as anyone sees it, with whether it is open today (WIB)."""

    id = fields.Integer()
    budget_year = fields.Integer()
    kind = fields.String()
    kind_label = fields.String()
    opens_on = fields.Date()
    closes_on = fields.Date()
    status = fields.String(metadata={"enum": list(ROUND_STATUS_LABELS)})
    status_label = fields.String()
    schedule = fields.String(metadata={"example": "15 Januari 2027 s.d. 31 Maret 2027"})
