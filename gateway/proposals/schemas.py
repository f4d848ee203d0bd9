"""HTTP-only shapes of the proposals endpoints (payloads come from services.proposals.contract)."""

from marshmallow import Schema, fields, validate


class NoteSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class ApplicantActionSchema(NoteSchema):
    """submit, resubmit and LPJ need nothing else; withdraw needs its reason in `note`."""
