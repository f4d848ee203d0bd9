"""The conversation on a proposal (`/api/v1/proposals/<id>/messages`), on the proposals
blueprint: its applicant and the staff who may see its applicant write to each other; the other
side hears of a new message in their inbox and by email. gateway/proposals/rest.py imports
this module, so the blueprint carries these routes too.
"""

from __future__ import annotations

from gateway.access import APPLICANT_READERS
from gateway.api import endpoint
from gateway.proposals.rest import BASE, TAGS, blueprint, proposals
from servicekit.errors import Forbidden
from services.proposals.contract import MessageInSchema, MessageOutSchema


@blueprint.get(f"{BASE}/<proposal_id:public_id>/messages")
@endpoint(
    "Percakapan usulan",
    tags=TAGS,
    response=MessageOutSchema,
    many=True,
    auth=True,
    errors=(403, 404),
    access=APPLICANT_READERS,
)
def messages(public_id):
    """The messages between the applicant and the staff handling the proposal, oldest first:
    for the applicant's members and the staff who may see the applicant (its OPD; Kesra and
    BPKAD at the stages they act on; admins)."""
    return proposals.messages(public_id)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/messages")
@endpoint(
    "Kirim pesan tentang usulan",
    tags=TAGS,
    body=MessageInSchema,
    response=MessageOutSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 422),
    access=APPLICANT_READERS,
)
def post_message(public_id, body):
    """A message to the other side (the applicant, or the staff handling the proposal), who
    hears of it in their inbox and by email; not on a draft (409). The message is chained
    into the proposal's audit log by its hash."""
    return proposals.post_message(public_id, body)


def conversation_for_page(public_id: str) -> list[dict] | None:
    """The messages for a page that shows the proposal: None when the caller is not in the
    conversation (staff who follow the proposal but may not see its applicant now)."""
    try:
        return proposals.messages(public_id)
    except Forbidden:
        return None


def post_from_form(public_id: str, body: str) -> dict:
    """A message written in a page's form (the same checks as the API's)."""
    return proposals.post_message(public_id, MessageInSchema().load({"body": body}))
