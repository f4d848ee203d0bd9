"""The conversation on a proposal between its applicant and the staff handling it: what is
sent, what is answered, and the event a new message raises (ids and public facts only: the
message's text never leaves the service but to the people in the conversation)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.events import event
from services.proposals.contract.events import _ProposalFacts

SIDES = ("applicant", "staff")
SIDE_LABELS = {"applicant": "Pemohon", "staff": "Petugas"}


class MessageInSchema(Schema):
    body = fields.String(
        required=True,
        validate=validate.Length(min=1, max=4000, error="Pesan 1 sampai 4000 karakter."),
        metadata={
            "example": "Mohon unggah ulang rencana anggaran biaya yang sudah ditandatangani."
        },
    )


class MessageOutSchema(Schema):
    id = fields.Integer()
    side = fields.String(metadata={"enum": list(SIDES)})
    author = fields.String(metadata={"example": "Verifikator DISPORA"})
    mine = fields.Boolean(metadata={"description": "written by the caller"})
    body = fields.String()
    at = fields.String()


@event("proposals.message_posted")
class ProposalMessagePosted(_ProposalFacts):
    """A message was added to a proposal's conversation; the other side hears of it."""

    message_id = fields.Integer(required=True)
    from_side = fields.String(required=True)  # applicant | staff
    # who hears of it: the applicant's account (a staff message), or the staff of an agency
    # (an applicant's message: the agency of the last staff member who wrote, else the OPD's)
    to_user_id = fields.Integer(allow_none=True, load_default=None)
    to_agency = fields.String(allow_none=True, load_default=None)
