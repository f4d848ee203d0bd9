"""Moderation of complaint reports over HTTP (issue 16): admins and the agency handling a report
hide it, or one of its photos, from the public with a reason, and show it again; the list of
what is hidden, for them to find it again (`GET /api/v1/complaints/hidden`, a literal path that
the reports' own routes never match: their id is `<complaint_id:...>`, SRG-<year>-<digits>)."""

from __future__ import annotations

from flask import Blueprint

from gateway.access import COMPLAINT_MODERATORS, HIDDEN_REPORTS
from gateway.api import endpoint, rpc
from services.complaints.contract import (
    ComplaintsClient,
    HiddenPageSchema,
    HiddenQuerySchema,
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


@blueprint.get("/api/v1/complaints/hidden")
@endpoint(
    "Laporan dan foto yang disembunyikan",
    tags=("Pengaduan (staf)",),
    query=HiddenQuerySchema,
    query_status=422,
    response=HiddenPageSchema,
    roles=("admin", "officer", "verifier"),
    errors=(403, 422),
    access=HIDDEN_REPORTS,
)
def hidden(query):
    """Every report a moderator hid and every report with a hidden photo, newest moderation
    first, `per_page` (1 to 100, 20 by default) a page: each with its category, agency, place and
    status, whether the report itself is hidden (when and why) and its hidden photos (when and
    why); never the reporter's name, email or phone. Admins see every report's (`agency`
    narrows it); an agency's officers and verifiers those their agency handles. Each is shown
    again at `POST /api/v1/complaints/<id>/moderation` (action `show`) or on
    `/staf/pengaduan/<id>`; the page of this list is `/staf/pengaduan/disembunyikan`.

    Aturan antar-kolom (422 naming the field): `agency` other than the caller's own is for
    admins only; `page`, `per_page` and `what` out of their range are 422 too."""
    return complaints.hidden_reports(query)
