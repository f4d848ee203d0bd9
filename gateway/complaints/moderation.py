"""Moderation of complaint reports over HTTP (issue 16): admins and the agency handling a report
hide it, or one of its photos, from the public with a reason, and show it again."""

from __future__ import annotations

from flask import Blueprint

from gateway.access import COMPLAINT_MODERATORS
from gateway.api import endpoint, rpc
from services.complaints.contract import (
    ComplaintsClient,
    ModerationResultSchema,
    ModerationSchema,
)

blueprint = Blueprint("complaints_moderation", __name__)
complaints = ComplaintsClient(rpc)


@blueprint.post("/api/v1/complaints/<complaint_id:public_id>/moderation")
@endpoint(
    "Moderasi laporan",
    tags=("Pengaduan (staf)",),
    body=ModerationSchema,
    response=ModerationResultSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=COMPLAINT_MODERATORS,
)
def moderate(public_id, body):
    """Hide a report, or one of its photos (`photo_id`), from every public list, page, map layer
    and Open311 output, with a `reason` (action `hide`), or show it again (action `show`). The
    reporter still sees it with the reason; the moderation is in the timeline for staff only.

    Aturan antar-kolom (422 naming the field): `reason` is required with `hide`; `photo_id`
    names a photo of this report (404 otherwise); hiding what is hidden, or showing what is
    shown, is 409."""
    return complaints.moderate(public_id, body)
