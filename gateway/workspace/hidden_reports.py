"""/staf/pengaduan/disembunyikan: what moderators hid from the public, for them to find it again
("Laporan & foto yang disembunyikan"): every hidden report and every report with a hidden photo,
newest moderation first, a page at a time; each row leads to the report's desk
(/staf/pengaduan/<id>), where it is shown again. Admins see every agency's (and may pick one);
an agency's officers and verifiers their own agency's. The same call as the API's
`GET /api/v1/complaints/hidden`: the complaints service decides who sees what.

The path is literal: Werkzeug matches it before the desk's `/staf/pengaduan/<public_id>`."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, render_template, request
from marshmallow import ValidationError

from gateway.access import HIDDEN_REPORTS, access
from gateway.api import rpc
from gateway.problems import Problem
from gateway.workspace.common import blueprint, desk_or_admin
from servicekit.roles import installed_agencies
from services.complaints.contract import (
    PHOTO_ITEMS,
    REPORT_ITEMS,
    ComplaintsClient,
    HiddenQuerySchema,
)

complaints = ComplaintsClient(rpc)
LIST_PATH = "/staf/pengaduan/disembunyikan"
KINDS = (
    ("", "Laporan dan foto"),
    (REPORT_ITEMS, "Laporan yang disembunyikan"),
    (PHOTO_ITEMS, "Laporan dengan foto yang disembunyikan"),
)
FILTERS = ("page", "what", "agency")


@blueprint.get(LIST_PATH)
@access(HIDDEN_REPORTS)
@desk_or_admin
def hidden_reports():
    raw = {k: v for k, v in request.args.items() if k in FILTERS and v}
    try:
        query = HiddenQuerySchema().load(raw)
    except ValidationError as exc:
        raise Problem(422, "Parameter tidak valid.", exc.normalized_messages()) from None
    found = complaints.hidden_reports(query)
    admin = g.actor.has_role("admin")

    def link(**change) -> str:
        return f"{LIST_PATH}?" + urlencode({k: v for k, v in (raw | change).items() if v})

    pages = max(1, -(-found["total"] // found["per_page"]))
    return render_template(
        "hidden_reports.html",
        found=found,
        pages=pages,
        filters=query,
        kinds=KINDS,
        agencies=sorted(installed_agencies(), key=lambda a: a.code) if admin else None,
        link=link,
        back=("/staf", "Antrean") if g.actor.agency and not admin else ("/admin", "Admin"),
    )
