"""The reporter's answer to "Sudah diperbaiki?" (issue 16): after a report is resolved its
reporter gets an email with two links, confirm (the report is closed) and reopen (back to the
agency's queue), each carrying a single-use token, so no sign-in is needed."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)

CONFIRM, REOPEN = "confirm", "reopen"
ANSWERS = (CONFIRM, REOPEN)


class FeedbackAnswerSchema(Schema):
    token = fields.String(
        required=True,
        validate=validate.Length(min=16, max=64),
        metadata={"description": "token dari tautan di email (sekali pakai)"},
    )
    answer = fields.String(
        required=True,
        validate=validate.OneOf(ANSWERS),
        metadata={"description": "confirm: sudah diperbaiki (ditutup); reopen: belum"},
    )
    note = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"example": "Masih ada lubang besar di ujung jalan dekat masjid."},
    )
