"""Moderation of reports, as other processes know it: admins and the handling agency hide a
report or one of its photos with a reason (and show it again). Hidden items leave every public
output; the reporter still sees theirs with the reason; the moderation is in the timeline for
staff only. Moderators find what is hidden in a list of their own (HiddenQuerySchema,
HiddenPageSchema): admins every report's, an agency's staff those their agency handles."""

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


# --- the moderators' list of what is hidden -------------------------------------------------

REPORT_ITEMS, PHOTO_ITEMS = "report", "photo"
HIDDEN_PER_PAGE, HIDDEN_PER_PAGE_MAX = 20, 100


class HiddenQuerySchema(Schema):
    """A page of the moderated reports: every hidden report and every report with a hidden photo
    (`what` narrows to one kind), newest moderation first."""

    page = fields.Integer(  # query strings are text: "2" is 2
        load_default=1,
        validate=validate.Range(
            min=1, max=100_000, error="Nomor halaman (page) harus antara 1 dan 100000."
        ),
        error_messages={"invalid": "Nomor halaman (page) harus berupa bilangan bulat."},
    )
    per_page = fields.Integer(
        load_default=HIDDEN_PER_PAGE,
        validate=validate.Range(
            min=1,
            max=HIDDEN_PER_PAGE_MAX,
            error=f"Jumlah per halaman (per_page) harus antara 1 dan {HIDDEN_PER_PAGE_MAX}.",
        ),
        error_messages={"invalid": "Jumlah per halaman (per_page) harus berupa bilangan bulat."},
    )
    what = fields.String(
        load_default=None,
        validate=validate.OneOf(
            [REPORT_ITEMS, PHOTO_ITEMS],
            error="Jenis (what) harus report (laporan yang disembunyikan) atau photo (laporan"
            " dengan foto yang disembunyikan).",
        ),
        metadata={
            "description": "report: hanya laporan yang disembunyikan; photo: hanya laporan dengan"
            " foto yang disembunyikan; kosong: keduanya"
        },
    )
    agency = fields.String(
        load_default=None,
        validate=validate.Length(min=2, max=32, error="Kode OPD (agency) 2 sampai 32 karakter."),
        metadata={
            "description": "hanya admin: laporan yang ditangani OPD ini (staf OPD selalu melihat"
            " OPD-nya sendiri; OPD lain ditolak dengan 422)",
            "example": "DPUPR",
        },
    )


class HiddenPhotoSchema(Schema):
    id = fields.Integer()
    number = fields.Integer(
        metadata={"description": "urutannya di antara foto laporan: Foto 1, 2, ... di halaman staf"}
    )
    kind = fields.String(metadata={"description": "report: dari pelapor; resolution: perbaikan"})
    hidden_at = fields.DateTime(format="iso")
    hidden_reason = fields.String(allow_none=True)


class HiddenItemSchema(Schema):
    """A moderated report as its moderators list it: never its reporter's name, email or phone."""

    public_id = fields.String(metadata={"example": "SRG-2026-000123"})
    category = fields.String()
    category_name = fields.String()
    agency = fields.String()
    kecamatan = fields.String(allow_none=True)
    desa = fields.String(allow_none=True)
    status = fields.String()
    status_label = fields.String()
    hidden = fields.Boolean(metadata={"description": "laporannya sendiri disembunyikan"})
    hidden_at = fields.DateTime(format="iso", allow_none=True)
    hidden_reason = fields.String(allow_none=True)
    hidden_photos = fields.List(fields.Nested(HiddenPhotoSchema))
    moderated_at = fields.DateTime(
        format="iso",
        metadata={"description": "moderasi terbaru yang masih berlaku (urutan daftar)"},
    )


class HiddenPageSchema(Schema):
    items = fields.List(fields.Nested(HiddenItemSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
