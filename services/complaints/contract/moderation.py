"""Moderation of reports, as other processes know it: admins and the handling agency hide a
report or one of its photos with a reason (and show it again). Hidden items leave every public
output; the reporter still sees theirs with the reason; the moderation is in the timeline for
staff only."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.schema_fields import StrictInteger

HIDE, SHOW = "hide", "show"
# The actions of a report's timeline entries a moderation writes (for staff only), and what each
# says to the staff who read them.
HIDE_PHOTO, SHOW_PHOTO = f"{HIDE}_photo", f"{SHOW}_photo"
MODERATION_LABELS = {
    HIDE: "Laporan disembunyikan dari publik",
    SHOW: "Laporan ditampilkan lagi",
    HIDE_PHOTO: "Foto disembunyikan dari publik",
    SHOW_PHOTO: "Foto ditampilkan lagi",
}


class ModerationSchema(Schema):
    action = fields.String(
        required=True,
        validate=validate.OneOf([HIDE, SHOW]),
        metadata={"description": "hide: sembunyikan dari publik; show: tampilkan lagi"},
    )
    photo_id = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={"description": "foto laporan yang dimoderasi; kosong: laporannya sendiri"},
    )
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"example": "Foto memperlihatkan wajah dan pelat nomor kendaraan warga."},
    )

    @validates_schema
    def hiding_needs_a_reason(self, data, **_):
        if data["action"] == HIDE and not (data.get("reason") or "").strip():
            raise ValidationError("Tuliskan alasan menyembunyikannya.", "reason")


class ModeratedPhotoSchema(Schema):
    id = fields.Integer()
    hidden = fields.Boolean()
    hidden_reason = fields.String(allow_none=True)


class ModerationResultSchema(Schema):
    public_id = fields.String()
    hidden = fields.Boolean()
    hidden_reason = fields.String(allow_none=True)
    photos = fields.List(fields.Nested(ModeratedPhotoSchema))
