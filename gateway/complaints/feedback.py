"""The reporter's answer to "Sudah diperbaiki?" (issue 16), without signing in: the email's two
links open a page (a link is never the answer itself, since mail scanners open links) whose form
sends the answer with the link's single-use token; the same answer as JSON for apps. Likewise
a supporter stops a report's status emails by the link in each."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from marshmallow import Schema, fields, validate

from gateway.access import PUBLIC, access
from gateway.api import endpoint, rpc
from gateway.problems import Problem
from gateway.workspace.common import serve_as_pages
from services.complaints.contract import (
    CONFIRM,
    REOPEN,
    ComplaintsClient,
    FeedbackAnswerSchema,
    PublicReportSchema,
)

blueprint = Blueprint("complaints_feedback", __name__)
pages = serve_as_pages(
    Blueprint("complaints_feedback_pages", __name__, template_folder="templates")
)
complaints = ComplaintsClient(rpc)
ANSWERS = {"sudah": CONFIRM, "belum": REOPEN}  # the page's words -> the service's
DONE = {
    CONFIRM: "Terima kasih. Laporan ditutup sebagai sudah diperbaiki.",
    REOPEN: "Terima kasih. Laporan dibuka kembali dan dikembalikan ke antrean OPD.",
}


@blueprint.post("/api/v1/complaints/<complaint_id:public_id>/feedback")
@endpoint(
    "Tanggapan pelapor: sudah diperbaiki?",
    tags=("Pengaduan",),
    body=FeedbackAnswerSchema,
    response=PublicReportSchema,
    errors=(404, 409, 422),
    access=PUBLIC,
)
def answer(public_id, body):
    """The reporter answers the "Sudah diperbaiki?" email of a resolved report with the token of
    its link, signed in or not: `confirm` closes the report, `reopen` sends it back to the
    agency's queue. A report no longer resolved is 409.

    Aturan keadaan (422 naming `token`): the token is one of this report's emails, not used
    yet, while the report may still be reopened."""
    return complaints.answer_feedback(public_id, body)


@pages.get("/pengaduan/<complaint_id:public_id>/tanggapan")
@access(PUBLIC, page=True)
def feedback_page(public_id):
    """The page an email's link opens: the question, the link's answer chosen, one button."""
    return render_template(
        "complaints/tanggapan.html",
        r=complaints.get_report(public_id),
        token=request.args.get("token", ""),
        jawaban=request.args.get("jawaban", "sudah"),
        done=None,
    )


@pages.post("/pengaduan/<complaint_id:public_id>/tanggapan")
@access(PUBLIC, page=True)
def feedback_form(public_id):
    """The page's form: the answer goes to the service with the token (no session needed, so
    no CSRF token either: the single-use token is what allows it)."""
    chosen = ANSWERS.get(request.form.get("jawaban", ""))
    if chosen is None:
        raise Problem(422, "Pilih jawaban.", {"jawaban": ["Pilih sudah atau belum."]})
    report = complaints.answer_feedback(
        public_id,
        {
            "token": request.form.get("token", ""),
            "answer": chosen,
            "note": request.form.get("catatan") or None,
        },
    )
    return render_template(
        "complaints/tanggapan.html", r=report, token="", jawaban="", done=DONE[chosen]
    )


# --- supporters stop a report's status emails by the link in each ----------------------------


class StopSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=16, max=64))


class StoppedSchema(Schema):
    public_id = fields.String()
    notify = fields.Boolean()


@blueprint.post("/api/v1/complaints/supporters/stop")
@endpoint(
    "Berhenti menerima kabar laporan",
    tags=("Pengaduan",),
    body=StopSchema,
    response=StoppedSchema,
    errors=(422,),
    access=PUBLIC,
)
def stop_following(body):
    """A supporter who chose a report's status emails stops them with the token of the link
    in each email, signed in or not.

    Aturan keadaan (422 naming `token`): the token is one an email gave."""
    return complaints.stop_following(body["token"])


@pages.get("/pengaduan/berhenti-mengikuti")
@access(PUBLIC, page=True)
def stop_page():
    """The page an email's opt-out link opens: one button (a link alone changes nothing)."""
    return render_template(
        "complaints/berhenti.html", token=request.args.get("token", ""), done=None
    )


@pages.post("/pengaduan/berhenti-mengikuti")
@access(PUBLIC, page=True)
def stop_form():
    """The page's button: the token is what allows it (no session, so no CSRF token)."""
    done = complaints.stop_following(request.form.get("token", ""))
    return render_template("complaints/berhenti.html", token="", done=done)


blueprint.register_blueprint(pages)  # one blueprint per gateway module; the pages behave as pages
