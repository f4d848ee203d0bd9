"""Public complaints pages of issue 16: the statistics (/pengaduan/statistik), and the two
pages area alerts' emails link to, acting by the link's code alone, no sign-in: the
confirmation, and the end of the alert. The code travels in the query string, which the access
log never writes."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from gateway.access import PUBLIC, access
from gateway.api import rpc
from gateway.problems import Problem
from gateway.workspace.common import serve_as_pages
from services.complaints.contract import ComplaintsClient

blueprint = Blueprint("complaint_pages", __name__, template_folder="templates")
serve_as_pages(blueprint)
complaints = ComplaintsClient(rpc)


def _link_page(act, what: str):
    code = request.args.get("kode", "").strip()
    if not code:
        raise Problem(400, "Tautan tidak lengkap.", {"kode": ["Kode tautan tidak ada."]})
    return render_template("complaints/peringatan.html", result=act(code), what=what)


@blueprint.get("/pengaduan/peringatan/konfirmasi")
@access(PUBLIC, page=True)
def confirm_alert():
    """The confirmation link of an alert's first email: the alert starts."""
    return _link_page(complaints.confirm_alert, "konfirmasi")


@blueprint.get("/pengaduan/peringatan/berhenti")
@access(PUBLIC, page=True)
def unsubscribe_alert():
    """The link in every alert email: the alert ends, no sign-in needed."""
    return _link_page(complaints.unsubscribe_alert, "berhenti")


@blueprint.get("/pengaduan/statistik")
@access(PUBLIC, page=True)
def statistics():
    """The public statistics as a page (no script needed); JSON: /api/v1/complaints/statistics."""
    return render_template("complaints/statistik.html", s=complaints.statistics())
