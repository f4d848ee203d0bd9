"""A citizen's pages: /saya (own reports, proposals, inbox); filing a Serang Open proposal
(/saya/pemohon/baru, /saya/usulan/baru, /saya/usulan/<id>...); supporting and reopening a
report from its public page."""

from __future__ import annotations

from datetime import datetime

from flask import g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import (
    APPLICANT_READERS,
    FIELD_PHOTOS,
    OWNER,
    PROPOSAL_READERS,
    SIGNED_IN,
    access,
)
from gateway.api import rpc
from gateway.problems import Problem
from gateway.proposals.conversation import conversation_for_page, post_from_form
from gateway.proposals.documents import document_file, store_documents
from gateway.proposals.printing import pdf_response
from gateway.web.rest import WIB, complaint_page
from gateway.workspace.applicant_fields import NEW_PEOPLE, placed_errors, typed_profile
from gateway.workspace.common import (
    COST_ROWS,
    blueprint,
    cost_lines_from_form,
    form_text,
    section,
    signed_in_only,
    submit_form,
    whole_number,
)
from gateway.workspace.session import (
    safe_next,
    to_login,
)
from servicekit.errors import ServiceError
from services.accounts.contract import AccountsClient
from services.complaints.contract import STATUS_LABELS, ComplaintsClient, TransitionSchema
from services.notifications.contract import NotificationsClient
from services.proposals.contract import CATEGORIES as PROPOSAL_CATEGORIES
from services.proposals.contract import (
    DOCUMENT_TYPES,
    KIND_LABELS,
    LEGAL_FORMS,
    DocTypeSchema,
    ProposalDraftSchema,
    ProposalsClient,
)

proposals = ProposalsClient(rpc)

complaints = ComplaintsClient(rpc)
accounts = AccountsClient(rpc)
notifications = NotificationsClient(rpc)

# --- a citizen's own page ---------------------------------------------------------------------


@blueprint.get("/saya")
@access(SIGNED_IN)
def my_page():
    if not g.actor.is_authenticated:
        return to_login()
    first = {"page": 1, "per_page": 20}
    return render_template(
        "my_page.html",
        profile=section(accounts.get_user, g.actor.user_id),
        reports=section(complaints.my_reports, first),
        proposals=section(proposals.my_proposals, first),
        applicants=section(proposals.my_applicants),
        inbox=section(notifications.inbox, {"page": 1, "per_page": 10}),
        welcome=request.args.get("baru") == "1",
        status_labels=STATUS_LABELS,
    )


@blueprint.post("/saya/kotak-masuk/baca")
@access(SIGNED_IN)
@signed_in_only
def mark_inbox_read():
    """Mark every inbox message read, then back to the page it was done from."""
    notifications.mark_all_read()
    return redirect(safe_next(request.args.get("kembali"), "/saya"), 303)


@blueprint.get("/saya/pengaturan")
@access(SIGNED_IN)
@signed_in_only
def settings_page():
    """Which categories of messages also come by email (the inbox always gets them)."""
    preferences = notifications.preferences()
    done = request.args.get("ok") == "1"
    return render_template("settings.html", preferences=preferences, done=done)


@blueprint.post("/saya/pengaturan")
@access(SIGNED_IN)
@signed_in_only
def settings_save():
    wanted = set(request.form.getlist("email"))
    for item in notifications.preferences():
        if item["email"] != (item["category"] in wanted):
            notifications.set_preference(item["category"], {"email": not item["email"]})
    return redirect("/saya/pengaturan?ok=1", 303)


# --- applicants: filing a proposal on the web -------------------------------------------------
#
# The same calls as the API: the proposals service checks membership, completeness and every
# eligibility rule; these pages only turn form fields into the API's types and show refusals.


@blueprint.get("/saya/pemohon/baru")
@access(SIGNED_IN)
@signed_in_only
def applicant_form():
    kind = request.args.get("jenis", "organisation")
    return _applicant_page(kind if kind in ("organisation", "individual") else "organisation")


@blueprint.post("/saya/pemohon/baru")
@access(SIGNED_IN)
@signed_in_only
def applicant_create():
    kind = "individual" if request.form.get("jenis") == "individual" else "organisation"
    typed = typed_profile(kind)
    try:
        created = proposals.save_applicant(kind, typed.schema.load(typed.body))
    except ValidationError as exc:
        return _applicant_page(kind, "Periksa isian.", exc.messages, 422, typed.rows)
    except ServiceError as exc:
        return _applicant_page(kind, exc.message, exc.errors, exc.status, typed.rows)
    return redirect(f"/saya/usulan/baru?pemohon={created['id']}", 303)


def _applicant_page(kind, error=None, errors=None, status=200, rows=()):
    summary, beside = placed_errors(errors, list(rows))
    page = render_template(
        "applicant_form.html",
        kind=kind,
        legal_forms=LEGAL_FORMS,
        people_rows=NEW_PEOPLE,
        error=error,
        errors=summary,
        field_errors=beside,
        values=request.form,
    )
    return page, status


@blueprint.get("/saya/usulan/baru")
@access(SIGNED_IN)
@signed_in_only
def proposal_form():
    return _proposal_form_page()


@blueprint.post("/saya/usulan/baru")
@access(OWNER)
@signed_in_only
def proposal_create():
    try:
        draft = proposals.create_draft(ProposalDraftSchema().load(_draft_from_form()))
    except ValidationError as exc:
        return _proposal_form_page("Periksa isian.", exc.messages, 422)
    except ServiceError as exc:
        return _proposal_form_page(exc.message, exc.errors, exc.status)
    return redirect(f"/saya/usulan/{draft['public_id']}?ok=draft", 303)


@blueprint.get("/saya/usulan/<public_id>/ubah")
@access(PROPOSAL_READERS)
@signed_in_only
def proposal_edit_form(public_id: str):
    """A draft, or a returned proposal being fixed, in the same form it was written in."""
    proposal = proposals.get_proposal(public_id)
    return _proposal_form_page(proposal=proposal, values=_form_from_draft(proposal))


@blueprint.post("/saya/usulan/<public_id>/ubah")
@access(OWNER)
@signed_in_only
def proposal_update(public_id: str):
    body = _draft_from_form()
    try:
        proposals.update_draft(public_id, ProposalDraftSchema().load(body))
    except ValidationError as exc:
        proposal = proposals.get_proposal(public_id)
        return _proposal_form_page("Periksa isian.", exc.messages, 422, proposal=proposal)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        proposal = proposals.get_proposal(public_id)
        return _proposal_form_page(exc.message, exc.errors, exc.status, proposal=proposal)
    return redirect(f"/saya/usulan/{public_id}?ok=saved", 303)


def _draft_from_form() -> dict:
    """The API's draft body from the form's fields (amounts as people write them)."""
    body = form_text("kind", "bansos_type", "title", "purpose", "activities", "category")
    body |= form_text("lat", "lon", "applicant_id", "budget_year", "requested_amount")
    for name in ("applicant_id", "budget_year", "requested_amount"):
        body[name] = whole_number(body[name] or "")
    body["activities"] = body["activities"] or ""
    body["cost_lines"] = cost_lines_from_form()
    return body


def _form_from_draft(proposal: dict) -> dict:
    """The form's fields from a stored proposal (the reverse of _draft_from_form)."""
    values = {
        k: str(proposal.get(k) or "")
        for k in ("kind", "bansos_type", "title", "purpose", "activities", "category")
    }
    values |= {
        "applicant_id": str(proposal["applicant"]["id"]),
        "budget_year": str(proposal["budget_year"]),
        "requested_amount": str(proposal["requested_amount"]),
        "lat": str(proposal["lat"]),
        "lon": str(proposal["lon"]),
    }
    for i, line in enumerate(proposal.get("cost_lines", [])[:COST_ROWS], start=1):
        values |= {f"cost{i}_item": line["item"], f"cost{i}_amount": str(line["amount"])}
    return values


def _proposal_form_page(error=None, errors=None, status=200, proposal=None, values=None):
    page = render_template(
        "proposal_form.html",
        applicants=proposals.my_applicants(),
        categories=list(PROPOSAL_CATEGORIES.values()),
        kind_labels=KIND_LABELS,
        cost_rows=range(1, COST_ROWS + 1),
        this_year=datetime.now(WIB).year,
        chosen=request.args.get("pemohon", ""),
        editing=proposal,
        error=error,
        errors=errors or {},
        values=values if values is not None else request.form,
    )
    return page, status


APPLICANT_STEPS = {"ajukan": None, "tarik": "withdraw", "lpj": "submit_lpj"}
APPLICANT_DONE = {
    "draft": "Draf tersimpan; lengkapi berkasnya lalu ajukan",
    "saved": "Perubahan tersimpan",
    "berkas": "Berkas terunggah",
    "submit": "Usulan diajukan",
    "resubmit": "Usulan diajukan kembali",
    "withdraw": "Usulan ditarik",
    "submit_lpj": "LPJ diserahkan",
    "pesan": "Pesan terkirim",
}


@blueprint.get("/saya/usulan/<public_id>")
@access(PROPOSAL_READERS)
@signed_in_only
def my_proposal(public_id: str):
    return _my_proposal_page(public_id, done=APPLICANT_DONE.get(request.args.get("ok", "")))


@blueprint.post("/saya/usulan/<public_id>/berkas")
@access(FIELD_PHOTOS)
@signed_in_only
def my_proposal_upload(public_id: str):
    def upload():
        doc_type = DocTypeSchema().load({"doc_type": request.form.get("doc_type")})["doc_type"]
        store_documents(public_id, doc_type, "files")

    return submit_form(_my_proposal_page, f"/saya/usulan/{public_id}", public_id, upload, "berkas")


@blueprint.get("/saya/usulan/<public_id>/berkas/<int:document_id>")
@access(APPLICANT_READERS)
@signed_in_only
def my_proposal_document(public_id: str, document_id: int):
    return document_file(public_id, document_id)


@blueprint.get("/saya/usulan/<public_id>/cetak/<document>.pdf")
@access(PROPOSAL_READERS)
@signed_in_only
def my_proposal_print(public_id: str, document: str):
    """The berita acara, NPHD or kuitansi once the proposal has reached its stage."""
    return pdf_response(public_id, document)


@blueprint.post("/saya/usulan/<public_id>/pesan")
@access(APPLICANT_READERS)
@signed_in_only
def my_proposal_message(public_id: str):
    """A message to the staff handling the proposal (they hear of it by inbox and email)."""

    def send():
        post_from_form(public_id, request.form.get("body", ""))

    return submit_form(_my_proposal_page, f"/saya/usulan/{public_id}", public_id, send, "pesan")


@blueprint.post("/saya/usulan/<public_id>/<step>")
@access(OWNER)
@signed_in_only
def my_proposal_step(public_id: str, step: str):
    if step not in APPLICANT_STEPS:
        raise Problem(404, "Halaman tidak ditemukan.")
    note = request.form.get("note", "").strip() or None
    action = APPLICANT_STEPS[step]
    if action is None:  # "ajukan": a draft is submitted, a returned proposal resubmitted
        stage = proposals.get_proposal(public_id)["stage"]
        action = "resubmit" if stage == "returned" else "submit"

    def take():
        proposals.transition(public_id, {"action": action, "note": note})

    return submit_form(_my_proposal_page, f"/saya/usulan/{public_id}", public_id, take, action)


def _my_proposal_page(public_id, done=None, error=None, errors=None, status=200):
    proposal = proposals.get_proposal(public_id)
    own = [c for c in proposal["checklist"] if c["source"] == "proposal"]
    page = render_template(
        "my_proposal.html",
        p=proposal,
        done=done,
        error=error,
        errors=errors or {},
        missing=[c for c in proposal["checklist"] if not c["uploaded"]],
        uploadable=[c for c in own if not c["uploaded"]] or own,
        messages=conversation_for_page(public_id),
        body=request.form.get("body", "") if status != 200 else "",
        lpj_documents=[(code, DOCUMENT_TYPES[code].name) for code in ("lpj_laporan", "lpj_bukti")],
    )
    return page, status


# --- citizens on a public report page ----------------------------------------------------------


@blueprint.post("/pengaduan/<public_id>/dukung")
@access(SIGNED_IN)
@signed_in_only
def support_report(public_id: str):
    """ "Me too": a citizen supports an open report instead of filing the same one again."""

    def support():
        return complaints.support(public_id, request.form.get("kabari") == "1")

    def done(result) -> str:
        return "support" if result["added"] else "supported_before"

    return submit_form(complaint_page, f"/pengaduan/{public_id}", public_id, support, done)


@blueprint.post("/pengaduan/<public_id>/buka-kembali")
@access(OWNER)
@signed_in_only
def reopen_report(public_id: str):
    """The reporter reopens a resolved report (within the reopen window) with a reason."""
    body = {"action": "reopen", "note": request.form.get("note", "").strip() or None}

    def reopen():
        complaints.transition(public_id, TransitionSchema().load(body))

    return submit_form(complaint_page, f"/pengaduan/{public_id}", public_id, reopen, "reopen")
