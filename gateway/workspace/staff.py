"""The staff desk: /staf (the agency's queues) and /staf/usulan/<id> (with its printable PDFs
and the conversation with its applicant); a report at the desk, /staf/pengaduan/<id>, is
gateway/workspace/report_desk.py."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import (
    DECLARERS,
    DOCUMENT_DESK,
    EMERGENCY_OPENERS,
    INCIDENT_REPORTERS,
    OPD_VERIFIER,
    PROPOSAL_DESK,
    STAFF_CONVERSATION,
    STAFF_DESK,
    access,
)
from gateway.api import rpc
from gateway.problems import Problem
from gateway.proposals.conversation import conversation_for_page, post_from_form
from gateway.proposals.documents import document_file, store_documents
from gateway.proposals.printing import pdf_response
from gateway.web.rest import WIB
from gateway.workspace.common import (
    COMPLAINT_STAFF,
    COST_ROWS,
    PROPOSAL_STAFF,
    blueprint,
    cost_lines_from_form,
    section,
    staff_only,
    submit_form,
    whole_number,
)
from servicekit.errors import ServiceError
from services.complaints.contract import (
    STATUS_LABELS,
    ComplaintsClient,
    QueueQuerySchema,
)
from services.notifications.contract import NotificationsClient
from services.proposals.contract import TRANSITIONS as PROPOSAL_TRANSITIONS
from services.proposals.contract import (
    DeclarationSchema,
    EmergencySchema,
    FieldCheckSchema,
    ProposalsClient,
    ProposalTransitionSchema,
)

proposals = ProposalsClient(rpc)

complaints = ComplaintsClient(rpc)
notifications = NotificationsClient(rpc)

# --- agency staff -----------------------------------------------------------------------------


@blueprint.get("/staf")
@access(STAFF_DESK)
@staff_only
def staff_page():
    raw = {k: v for k, v in request.args.items() if v}
    try:
        filters = QueueQuerySchema().load(raw | {"per_page": raw.get("per_page", "25")})
    except ValidationError as exc:
        raise Problem(400, "Parameter tidak valid.", exc.normalized_messages()) from None
    complaint_queue = None
    if g.actor.has_role(*COMPLAINT_STAFF):
        complaint_queue = section(complaints.queue, filters)

    def query(**change) -> str:
        return urlencode({k: v for k, v in (raw | change).items() if v})

    return render_template(
        "staff_page.html",
        agency=g.actor.agency,
        complaints=complaint_queue,
        proposals=section(proposals.queue, {"page": 1, "per_page": 50})
        if g.actor.has_role(*PROPOSAL_STAFF)
        else None,
        inbox=section(notifications.inbox, {"page": 1, "per_page": 5}),
        filters=filters,
        statuses=list(STATUS_LABELS.items()),
        query=query,
    )


# --- Serang Open at the staff desk ------------------------------------------------------------

PROPOSAL_FIELDS = (
    "action",
    "note",
    "amount",
    "decree_number",
    "decree_date",
    "nphd_number",
    "nphd_date",
    "integrity_pact",
    "disbursed_on",
    "sp2d_ref",
)
DONE_LABELS = {
    "declare": "Pernyataan konflik kepentingan tercatat",
    "field_check": "Pemeriksaan lapangan tercatat",
    "emergency": "Bansos tidak terencana dibuka; unggah laporan kejadiannya",
    "incident_report": "Laporan kejadian terunggah",
    "pesan": "Pesan terkirim",
} | {action: t.label for action, t in PROPOSAL_TRANSITIONS.items()}


@blueprint.get("/staf/usulan/<public_id>")
@access(PROPOSAL_DESK)
@staff_only
def staff_proposal(public_id: str):
    return _proposal_page(public_id, done=request.args.get("ok"))


@blueprint.post("/staf/usulan/<public_id>")
@access(OPD_VERIFIER)
@staff_only
def staff_proposal_act(public_id: str):
    values = {k: request.form.get(k, "").strip() for k in PROPOSAL_FIELDS}
    values["integrity_pact"] = values["integrity_pact"] == "ya"
    body = {k: v for k, v in values.items() if v not in ("", None)}
    if values["amount"]:
        body["amount"] = whole_number(values["amount"])  # "80.000.000" as people write it

    def act():
        proposals.transition(public_id, ProposalTransitionSchema().load(body))

    return submit_form(
        _proposal_page, f"/staf/usulan/{public_id}", public_id, act, values["action"]
    )


@blueprint.post("/staf/usulan/<public_id>/pernyataan")
@access(DECLARERS)
@staff_only
def staff_proposal_declare(public_id: str):
    body = {
        "decision": request.form.get("decision", ""),
        "note": request.form.get("note", "").strip() or None,
    }

    def declare():
        proposals.declare(public_id, DeclarationSchema().load(body))

    return submit_form(_proposal_page, f"/staf/usulan/{public_id}", public_id, declare, "declare")


@blueprint.post("/staf/usulan/<public_id>/pemeriksaan")
@access(OPD_VERIFIER)
@staff_only
def staff_proposal_field_check(public_id: str):
    """The verifier's field check: date, findings and photos, in one form."""
    values = {k: request.form.get(k, "").strip() for k in ("checked_on", "findings")}

    def record():
        # Who may record it (the OPD's verifier, declared) before the form or the photos are
        # looked at; nothing is stored for anyone else.
        count = len(request.files.getlist("photos")) or 1
        proposals.check_document_upload(public_id, "foto_verifikasi", count)
        FieldCheckSchema().load(values | {"photo_ids": []})
        before = {d["id"] for d in proposals.get_proposal(public_id)["documents"]}
        after = store_documents(public_id, "foto_verifikasi", "photos")["documents"]
        photo_ids = [
            d["id"] for d in after if d["id"] not in before and d["doc_type"] == "foto_verifikasi"
        ]
        proposals.record_field_check(public_id, values | {"photo_ids": photo_ids})

    return submit_form(
        _proposal_page, f"/staf/usulan/{public_id}", public_id, record, "field_check"
    )


@blueprint.get("/staf/usulan/<public_id>/berkas/<int:document_id>")
@access(DOCUMENT_DESK)
@staff_only
def staff_proposal_document(public_id: str, document_id: int):
    return document_file(public_id, document_id)


@blueprint.get("/staf/usulan/<public_id>/cetak/<document>.pdf")
@access(PROPOSAL_DESK)
@staff_only
def staff_proposal_print(public_id: str, document: str):
    """The berita acara, NPHD or kuitansi once the proposal has reached its stage (the
    applicant's private details only for those who may see them now)."""
    return pdf_response(public_id, document)


@blueprint.post("/staf/usulan/<public_id>/pesan")
@access(STAFF_CONVERSATION)
@staff_only
def staff_proposal_message(public_id: str):
    """A message to the applicant (who hears of it by inbox and email)."""

    def send():
        post_from_form(public_id, request.form.get("body", ""))

    return submit_form(_proposal_page, f"/staf/usulan/{public_id}", public_id, send, "pesan")


def _proposal_page(public_id, done=None, error=None, errors=None, status=200):
    proposal = proposals.get_proposal(public_id)
    return (
        render_template(
            "staff_proposal.html",
            p=proposal,
            done=DONE_LABELS.get(done),
            error=error,
            errors=errors or {},
            values=request.form,
            messages=conversation_for_page(public_id),
            needs_declaration=any(a["needs_declaration"] for a in proposal.get("actions", [])),
        ),
        status,
    )


# --- unplanned (emergency) bansos, opened by staff on a report ------------------------------

BENEFICIARY_FIELDS = ("name", "nik", "address", "phone", "bank_name", "bank_account_number")
EMERGENCY_CATEGORIES = (
    ("bencana", "Korban bencana dan keadaan darurat"),
    ("sosial", "Kesejahteraan sosial"),
    ("rumah", "Rumah tidak layak huni"),
)


@blueprint.get("/staf/bansos-darurat")
@access(STAFF_DESK)
@staff_only
def emergency_form():
    return _emergency_page()


@blueprint.post("/staf/bansos-darurat")
@access(EMERGENCY_OPENERS)
@staff_only
def emergency_open():
    """A kepala desa, camat or agency reported someone in need: the proposal is opened for them."""
    person = {k: request.form.get(f"b_{k}", "").strip() or None for k in BENEFICIARY_FIELDS}
    point = {k: request.form.get(k, "").strip() or None for k in ("lat", "lon")}
    person |= point | {"bank_account_name": person["name"]}
    body = {
        k: request.form.get(k, "").strip() or None
        for k in ("reported_by", "title", "purpose", "category")
    }
    body |= point | {
        "beneficiary": person,
        "budget_year": whole_number(request.form.get("budget_year", "").strip()),
        "requested_amount": whole_number(request.form.get("requested_amount", "").strip()),
        "cost_lines": cost_lines_from_form(),
    }
    try:
        opened = proposals.open_emergency(EmergencySchema().load(body))
    except ValidationError as exc:
        return _emergency_page("Periksa isian.", exc.messages, 422)
    except ServiceError as exc:
        return _emergency_page(exc.message, exc.errors, exc.status)
    return redirect(f"/staf/usulan/{opened['public_id']}?ok=emergency", 303)


@blueprint.post("/staf/usulan/<public_id>/laporan-kejadian")
@access(INCIDENT_REPORTERS)
@staff_only
def emergency_report_upload(public_id: str):
    """The report the emergency bansos was opened on (letter of the kepala desa, camat, OPD)."""

    def upload():
        store_documents(public_id, "laporan_kejadian", "files")

    back = f"/staf/usulan/{public_id}"
    return submit_form(_proposal_page, back, public_id, upload, "incident_report")


def _emergency_page(error=None, errors=None, status=200):
    page = render_template(
        "staff_emergency.html",
        categories=EMERGENCY_CATEGORIES,
        cost_rows=range(1, COST_ROWS + 1),
        this_year=datetime.now(WIB).year,
        error=error,
        errors=errors or {},
        values=request.form,
    )
    return page, status
