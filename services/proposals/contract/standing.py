"""An organisation's standing documents (issue 16): the deed and its ministry decree, the board's
decree, the NPWP, the chair's KTP and the domicile letter live on its profile with their
validity, and every proposal's checklist reuses them. What is sent to keep one, and what is
answered about them and about a proposal's printable documents.

Private: only the applicant's members and the staff who may see the applicant read them.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from services.proposals.contract.catalogue import (
    EXPIRES,
    NEVER,
    STANDING_KINDS,
    VALIDITIES,
)

STATUSES = ("valid", "expired", "missing")
STATUS_LABELS = {"valid": "berlaku", "expired": "tidak berlaku lagi", "missing": "belum ada"}


class StandingUploadSchema(Schema):
    """A new version of one standing document (the file comes with it, checked by the gateway).

    Its validity: `valid_until` is required where the kind expires (SK kepengurusan, surat
    keterangan domisili), refused where it has no end (akta pendirian, SK Kemenkumham), and
    optional for the KTP and the NPWP; when both dates are given the end comes after the start.
    """

    kind = fields.String(required=True, validate=validate.OneOf(list(STANDING_KINDS)))
    valid_from = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "mulai berlaku / terbit"}
    )
    valid_until = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "berlaku sampai"}
    )

    @validates_schema
    def validity(self, data, **_):
        kind = STANDING_KINDS.get(data.get("kind") or "")
        start, end = data.get("valid_from"), data.get("valid_until")
        problems = []
        if kind is not None and kind.validity == EXPIRES and end is None:
            problems.append(f"Wajib diisi: {kind.name} memiliki masa berlaku.")
        if kind is not None and kind.validity == NEVER and end is not None:
            problems.append(f"{kind.name} tidak memiliki masa berlaku; kosongkan tanggal ini.")
        if start is not None and end is not None and end <= start:
            problems.append(f"Harus sesudah tanggal mulai berlaku ({start.isoformat()}).")
        if problems:
            raise ValidationError({"valid_until": problems})


class StandingDocumentOutSchema(Schema):
    """One version of a standing document."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(STANDING_KINDS)})
    name = fields.String()
    filename = fields.String(allow_none=True)
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    valid_from = fields.String(allow_none=True)
    valid_until = fields.String(allow_none=True)
    uploaded_at = fields.String()
    replaced_at = fields.String(
        allow_none=True, metadata={"description": "when a newer version replaced it (history)"}
    )
    current = fields.Boolean(metadata={"description": "the profile's version now"})
    url = fields.String()


class StandingItemSchema(Schema):
    """A kind of standing document on the profile: its version now and whether it holds today."""

    kind = fields.String(metadata={"enum": list(STANDING_KINDS)})
    name = fields.String()
    validity = fields.String(
        metadata={
            "enum": list(VALIDITIES),
            "description": "none: no end date; optional: may have one; required: expires",
        }
    )
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_label = fields.String()
    reason = fields.String(allow_none=True)
    document = fields.Nested(StandingDocumentOutSchema, allow_none=True)


class StandingDocumentsSchema(Schema):
    """An organisation's standing documents: each kind with its version now, and the history."""

    applicant_id = fields.Integer()
    items = fields.List(fields.Nested(StandingItemSchema))
    history = fields.List(
        fields.Nested(StandingDocumentOutSchema),
        metadata={"description": "replaced versions, newest first: kept, never deleted"},
    )


class PrintableSchema(Schema):
    """A printable PDF of the proposal that exists at its stage."""

    document = fields.String(metadata={"enum": ["berita-acara", "nphd", "kuitansi"]})
    label = fields.String()
    url = fields.String()
