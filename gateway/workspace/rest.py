"""Pages for signed-in people, server-rendered in Bahasa Indonesia.

- /masuk, /daftar, /keluar: sign in (the accounts service's lockout applies as on the API),
  sign up as a citizen, sign out.
- /saya: a citizen's own reports, proposals and inbox; /saya/pemohon/baru and /saya/usulan/baru
  file an applicant profile and a proposal; /saya/usulan/<id> uploads its documents, submits
  it (every refused eligibility rule listed), withdraws it, hands in the LPJ.
- /staf: an agency's complaints queue (overdue first) and its Serang Open queue;
  /staf/pengaduan/<id>: one report with the reporter's contact, and the actions its status allows;
  /staf/usulan/<id>: one proposal with the applicant's details and documents, the conflict of
  interest declaration, and the steps this person may take now.

Every call goes to the services with the signed-in person as the actor, so the services' own
checks (own agency, own reports) decide what is shown and allowed, exactly as on the API.
"""

from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.api import rpc
from gateway.auth import issue_token
from gateway.complaints.rest import store_photos
from gateway.problems import Problem
from gateway.proposals.rest import document_file, store_documents
from gateway.rpc import GatewayUnavailable
from gateway.web.rest import WIB, attribute_labels, complaint_page
from gateway.workspace.session import (
    check_csrf,
    csrf_token,
    load_actor,
    peek_actor,
    safe_next,
    sign_in,
    sign_out,
    to_login,
)
from servicekit.errors import ServiceError
from services.accounts.schemas import LoginSchema, RegisterSchema
from services.complaints.lifecycle import AGENCY_STAFF, STATUS_LABELS, TRANSITIONS
from services.complaints.schemas import QueueQuerySchema, TransitionSchema
from services.proposals.catalogue import CATEGORIES as PROPOSAL_CATEGORIES
from services.proposals.catalogue import DOCUMENT_TYPES, KIND_LABELS, LEGAL_FORMS
from services.proposals.lifecycle import TRANSITIONS as PROPOSAL_TRANSITIONS
from services.proposals.schemas import (
    DeclarationSchema,
    DocTypeSchema,
    FieldCheckSchema,
    IndividualSchema,
    OrganisationSchema,
    ProposalDraftSchema,
    ProposalTransitionSchema,
)

blueprint = Blueprint("workspace", __name__)
COMPLAINT_STAFF = ("officer", "verifier")
PROPOSAL_STAFF = ("verifier", "officer", "budget_team")


@blueprint.before_request
def _actor():
    load_actor()


@blueprint.after_request
def _private_pages(response):
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a proxy
    if g.get("drop_session"):
        sign_out(response)
    return response


@blueprint.errorhandler(Problem)
@blueprint.errorhandler(ServiceError)
@blueprint.errorhandler(GatewayUnavailable)
def _error_page(exc):
    """These pages are read by people: errors as a page (the status code is kept)."""
    message = getattr(exc, "detail", None) or getattr(exc, "message", "")
    errors = getattr(exc, "errors", None) or {}
    return render_template(
        "error.html", status=exc.status, message=message, errors=errors
    ), exc.status


@blueprint.app_context_processor
def _session_values():
    actor = g.get("web_actor") or peek_actor()
    return {
        "signed_in": bool(actor and actor.is_authenticated),
        "is_staff": bool(actor and actor.has_role(*PROPOSAL_STAFF)),
        "csrf": csrf_token,
    }


def _home_of(roles) -> str:
    """Where a person lands after signing in: staff at their desk, citizens on their page."""
    return "/staf" if set(roles) & set(PROPOSAL_STAFF) else "/saya"


# --- signing in and out -----------------------------------------------------------------------


@blueprint.get("/masuk")
def login_form():
    if g.actor.is_authenticated:
        return redirect(safe_next(request.args.get("next"), _home_of(g.actor.roles)), 303)
    return render_template("login.html", next=request.args.get("next", ""), values={})


@blueprint.post("/masuk")
def login():
    values = {"email": request.form.get("email", ""), "password": request.form.get("password", "")}
    following = request.form.get("next", "")
    try:
        body = LoginSchema().load(values)
        claims = rpc("accounts", "authenticate", body)
    except ValidationError as exc:
        return _form_error("login.html", 422, "Periksa isian.", exc.messages, values, following)
    except ServiceError as exc:
        headers = {}
        if exc.status == 429 and exc.extra.get("retry_after"):
            headers["Retry-After"] = str(int(exc.extra["retry_after"]))
        return _form_error(
            "login.html", exc.status, exc.message, exc.errors, values, following, headers
        )
    token, ttl = issue_token(claims)
    target = safe_next(following, _home_of(claims.get("roles", [])))
    return sign_in(redirect(target, 303), token, ttl)


@blueprint.get("/daftar")
def register_form():
    return render_template("register.html", values={})


@blueprint.post("/daftar")
def register():
    values = {k: request.form.get(k, "") for k in ("name", "email", "password", "nik")}
    values["nik"] = values["nik"].strip() or None
    try:
        body = RegisterSchema().load(values)
        rpc("accounts", "register", body)
        claims = rpc(
            "accounts", "authenticate", {"email": body["email"], "password": body["password"]}
        )
    except ValidationError as exc:
        return _form_error("register.html", 422, "Periksa isian.", exc.messages, values)
    except ServiceError as exc:
        return _form_error("register.html", exc.status, exc.message, exc.errors, values)
    token, ttl = issue_token(claims)
    return sign_in(redirect("/saya?baru=1", 303), token, ttl)


@blueprint.post("/keluar")
def logout():
    if g.actor.is_authenticated:
        check_csrf()
    return sign_out(redirect("/", 303))


def _form_error(template, status, message, errors, values, following="", headers=None):
    """The form again, with what was typed (never the password) and what to fix."""
    shown = {k: v for k, v in values.items() if k != "password"}
    page = render_template(
        template, error=message, errors=errors or {}, values=shown, next=following
    )
    return page, status, headers or {}


# --- a citizen's own page ---------------------------------------------------------------------


@blueprint.get("/saya")
def my_page():
    if not g.actor.is_authenticated:
        return to_login()
    first = {"page": 1, "per_page": 20}
    return render_template(
        "my_page.html",
        profile=_section("accounts", "get_user", g.actor.user_id),
        reports=_section("complaints", "my_reports", first),
        proposals=_section("proposals", "my_proposals", first),
        inbox=_section("notifications", "inbox", {"page": 1, "per_page": 10}),
        welcome=request.args.get("baru") == "1",
        status_labels=STATUS_LABELS,
    )


@blueprint.post("/saya/kotak-masuk/baca")
def mark_inbox_read():
    if not g.actor.is_authenticated:
        return to_login()
    check_csrf()
    rpc("notifications", "mark_all_read")
    return redirect("/saya", 303)


def _section(service: str, method: str, *args) -> dict:
    """One part of a page: its data, or why it cannot be shown now (the rest still is)."""
    try:
        return {"data": rpc(service, method, *args), "error": None}
    except GatewayUnavailable:
        return {"data": None, "error": "Sedang tidak tersedia; coba muat ulang sebentar lagi."}


# --- agency staff -----------------------------------------------------------------------------


def staff_only(view):
    """Signed-out visitors go to the login page; others than agency staff get 403; a POST
    must carry the page's CSRF token."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.actor.is_authenticated:
            return to_login()
        if not g.actor.has_role(*PROPOSAL_STAFF) or not g.actor.agency:
            raise Problem(403, "Halaman ini untuk staf OPD.", {"roles": list(PROPOSAL_STAFF)})
        if request.method == "POST":
            check_csrf()
        return view(*args, **kwargs)

    return wrapper


def _submit(page, back: str, public_id: str, call, done: str):
    """Run a form's call: to `back` with a confirmation, or the page again with what was
    refused and why (an unknown id stays a 404). `done` may be a function of the call's result."""
    try:
        result = call()
    except ValidationError as exc:
        return page(public_id, error="Periksa isian.", errors=exc.messages, status=422)
    except Problem as exc:  # refused at the gateway: an upload's files
        return page(public_id, error=exc.detail, errors=exc.errors, status=exc.status)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return page(public_id, error=exc.message, errors=exc.errors, status=exc.status)
    return redirect(f"{back}?ok={done(result) if callable(done) else done}", 303)


@blueprint.get("/staf")
@staff_only
def staff_page():
    raw = {k: v for k, v in request.args.items() if v}
    try:
        filters = QueueQuerySchema().load(raw | {"per_page": raw.get("per_page", "25")})
    except ValidationError as exc:
        raise Problem(400, "Parameter tidak valid.", exc.normalized_messages()) from None
    complaints = None
    if g.actor.has_role(*COMPLAINT_STAFF):
        complaints = _section("complaints", "queue", filters)

    def query(**change) -> str:
        return urlencode({k: v for k, v in (raw | change).items() if v})

    return render_template(
        "staff_page.html",
        agency=g.actor.agency,
        complaints=complaints,
        proposals=_section("proposals", "queue", {"page": 1, "per_page": 50}),
        filters=filters,
        statuses=list(STATUS_LABELS.items()),
        query=query,
    )


@blueprint.get("/staf/pengaduan/<public_id>")
@staff_only
def staff_report(public_id: str):
    return _report_page(public_id, done=request.args.get("ok"))


@blueprint.post("/staf/pengaduan/<public_id>")
@staff_only
def staff_act(public_id: str):
    values = {
        "action": request.form.get("action", ""),
        "note": request.form.get("note", "").strip() or None,
        "duplicate_of": request.form.get("duplicate_of", "").strip() or None,
    }

    def act():
        rpc("complaints", "transition", public_id, TransitionSchema().load(values))

    return _submit(_report_page, f"/staf/pengaduan/{public_id}", public_id, act, values["action"])


@blueprint.post("/staf/pengaduan/<public_id>/foto")
@staff_only
def staff_photos(public_id: str):
    """Photos of the fix, shown on the public page next to the reporter's."""
    back = f"/staf/pengaduan/{public_id}"
    return _submit(_report_page, back, public_id, lambda: store_photos(public_id), "photos")


def _report_page(public_id, done=None, error=None, errors=None, status=200):
    report = rpc("complaints", "get_report", public_id)
    own = report["agency"] == g.actor.agency and g.actor.has_role(*COMPLAINT_STAFF)
    actions = [
        t
        for t in TRANSITIONS.values()
        if own and t.actor == AGENCY_STAFF and report["status"] in t.sources
    ]
    if done == "photos":
        done_label = "Foto tersimpan"
    else:
        done_label = TRANSITIONS[done].label if done in TRANSITIONS else None
    return (
        render_template(
            "staff_report.html",
            r=report,
            labels=attribute_labels(report["category"]),
            own=own,
            actions=actions,
            done=done_label,
            error=error,
            errors=errors or {},
            status_labels=STATUS_LABELS,
        ),
        status,
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
} | {action: t.label for action, t in PROPOSAL_TRANSITIONS.items()}


@blueprint.get("/staf/usulan/<public_id>")
@staff_only
def staff_proposal(public_id: str):
    return _proposal_page(public_id, done=request.args.get("ok"))


@blueprint.post("/staf/usulan/<public_id>")
@staff_only
def staff_proposal_act(public_id: str):
    values = {k: request.form.get(k, "").strip() for k in PROPOSAL_FIELDS}
    values["integrity_pact"] = values["integrity_pact"] == "ya"
    body = {k: v for k, v in values.items() if v not in ("", None)}
    digits = values["amount"].replace(".", "").replace(" ", "")  # "80.000.000" as people write it
    if digits.isdigit():
        body["amount"] = int(digits)

    def act():
        rpc("proposals", "transition", public_id, ProposalTransitionSchema().load(body))

    return _submit(_proposal_page, f"/staf/usulan/{public_id}", public_id, act, values["action"])


@blueprint.post("/staf/usulan/<public_id>/pernyataan")
@staff_only
def staff_proposal_declare(public_id: str):
    body = {
        "decision": request.form.get("decision", ""),
        "note": request.form.get("note", "").strip() or None,
    }

    def declare():
        rpc("proposals", "declare", public_id, DeclarationSchema().load(body))

    return _submit(_proposal_page, f"/staf/usulan/{public_id}", public_id, declare, "declare")


@blueprint.post("/staf/usulan/<public_id>/pemeriksaan")
@staff_only
def staff_proposal_field_check(public_id: str):
    """The verifier's field check: date, findings and photos, in one form."""
    values = {k: request.form.get(k, "").strip() for k in ("checked_on", "findings")}

    def record():
        FieldCheckSchema().load(values | {"photo_ids": []})  # before any file is stored
        proposal = rpc("proposals", "get_proposal", public_id)
        if proposal.get("my_declaration") != "no_conflict":
            raise Problem(409, "Nyatakan dahulu bahwa Anda tidak memiliki konflik kepentingan.")
        before = {d["id"] for d in proposal["documents"]}
        after = store_documents(public_id, "foto_verifikasi", "photos")["documents"]
        photo_ids = [
            d["id"] for d in after if d["id"] not in before and d["doc_type"] == "foto_verifikasi"
        ]
        rpc("proposals", "record_field_check", public_id, values | {"photo_ids": photo_ids})

    return _submit(_proposal_page, f"/staf/usulan/{public_id}", public_id, record, "field_check")


@blueprint.get("/staf/usulan/<public_id>/berkas/<int:document_id>")
@staff_only
def staff_proposal_document(public_id: str, document_id: int):
    return document_file(public_id, document_id)


def _proposal_page(public_id, done=None, error=None, errors=None, status=200):
    proposal = rpc("proposals", "get_proposal", public_id)
    return (
        render_template(
            "staff_proposal.html",
            p=proposal,
            done=DONE_LABELS.get(done),
            error=error,
            errors=errors or {},
            values=request.form,
            needs_declaration=any(a["needs_declaration"] for a in proposal.get("actions", [])),
        ),
        status,
    )


# --- applicants: filing a proposal on the web -------------------------------------------------
#
# The same calls as the API: the proposals service checks membership, completeness and every
# eligibility rule; these pages only turn form fields into the API's types and show refusals.


def signed_in_only(view):
    """Signed-out visitors go to the login page and come back; a POST must carry the CSRF
    token of the page it came from."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.actor.is_authenticated:
            return to_login()
        if request.method == "POST":
            check_csrf()
        return view(*args, **kwargs)

    return wrapper


def _whole(value: str):
    """A whole number as people type it ("25.000.000"); anything else is left for the schema
    to refuse, naming its field."""
    digits = value.replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else value


def _form_text(*names: str) -> dict:
    return {n: request.form.get(n, "").strip() or None for n in names}


ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "legal_entity_number",
    "sk_kepengurusan",
    "established_on",
    "address",
    "lat",
    "lon",
    "phone",
    "email",
    "npwp",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
INDIVIDUAL_FIELDS = (
    "name",
    "nik",
    "address",
    "lat",
    "lon",
    "phone",
    "email",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
COST_ROWS = 6


@blueprint.get("/saya/pemohon/baru")
@signed_in_only
def applicant_form():
    kind = request.args.get("jenis", "organisation")
    return _applicant_page(kind if kind in ("organisation", "individual") else "organisation")


@blueprint.post("/saya/pemohon/baru")
@signed_in_only
def applicant_create():
    kind = "individual" if request.form.get("jenis") == "individual" else "organisation"
    if kind == "organisation":
        body = _form_text(*ORGANISATION_FIELDS)
        people = [
            _form_text(
                f"person{i}_name", f"person{i}_position", f"person{i}_nik", f"person{i}_phone"
            )
            for i in (1, 2)
        ]
        body["responsible_people"] = [
            {k.split("_", 1)[1]: v for k, v in p.items()} for p in people if any(p.values())
        ]
        schema = OrganisationSchema()
    else:
        body, schema = _form_text(*INDIVIDUAL_FIELDS), IndividualSchema()
    try:
        created = rpc("proposals", "save_applicant", kind, schema.load(body))
    except ValidationError as exc:
        return _applicant_page(kind, "Periksa isian.", exc.messages, 422)
    except ServiceError as exc:
        return _applicant_page(kind, exc.message, exc.errors, exc.status)
    return redirect(f"/saya/usulan/baru?pemohon={created['id']}", 303)


def _applicant_page(kind, error=None, errors=None, status=200):
    page = render_template(
        "applicant_form.html",
        kind=kind,
        legal_forms=LEGAL_FORMS,
        error=error,
        errors=errors or {},
        values=request.form,
    )
    return page, status


@blueprint.get("/saya/usulan/baru")
@signed_in_only
def proposal_form():
    return _proposal_form_page()


@blueprint.post("/saya/usulan/baru")
@signed_in_only
def proposal_create():
    try:
        draft = rpc("proposals", "create_draft", ProposalDraftSchema().load(_draft_from_form()))
    except ValidationError as exc:
        return _proposal_form_page("Periksa isian.", exc.messages, 422)
    except ServiceError as exc:
        return _proposal_form_page(exc.message, exc.errors, exc.status)
    return redirect(f"/saya/usulan/{draft['public_id']}?ok=draft", 303)


@blueprint.get("/saya/usulan/<public_id>/ubah")
@signed_in_only
def proposal_edit_form(public_id: str):
    """A draft, or a returned proposal being fixed, in the same form it was written in."""
    proposal = rpc("proposals", "get_proposal", public_id)
    return _proposal_form_page(proposal=proposal, values=_form_from_draft(proposal))


@blueprint.post("/saya/usulan/<public_id>/ubah")
@signed_in_only
def proposal_update(public_id: str):
    body = _draft_from_form()
    try:
        rpc("proposals", "update_draft", public_id, ProposalDraftSchema().load(body))
    except ValidationError as exc:
        proposal = rpc("proposals", "get_proposal", public_id)
        return _proposal_form_page("Periksa isian.", exc.messages, 422, proposal=proposal)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        proposal = rpc("proposals", "get_proposal", public_id)
        return _proposal_form_page(exc.message, exc.errors, exc.status, proposal=proposal)
    return redirect(f"/saya/usulan/{public_id}?ok=saved", 303)


def _draft_from_form() -> dict:
    """The API's draft body from the form's fields (amounts as people write them)."""
    body = _form_text("kind", "bansos_type", "title", "purpose", "activities", "category")
    body |= _form_text("lat", "lon", "applicant_id", "budget_year", "requested_amount")
    for name in ("applicant_id", "budget_year", "requested_amount"):
        body[name] = _whole(body[name] or "")
    body["activities"] = body["activities"] or ""
    body["cost_lines"] = [
        {"item": item, "amount": _whole(request.form.get(f"cost{i}_amount", "").strip())}
        for i in range(1, COST_ROWS + 1)
        if (item := request.form.get(f"cost{i}_item", "").strip())
    ]
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
        applicants=rpc("proposals", "my_applicants"),
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
}


@blueprint.get("/saya/usulan/<public_id>")
@signed_in_only
def my_proposal(public_id: str):
    return _my_proposal_page(public_id, done=APPLICANT_DONE.get(request.args.get("ok", "")))


@blueprint.post("/saya/usulan/<public_id>/berkas")
@signed_in_only
def my_proposal_upload(public_id: str):
    def upload():
        doc_type = DocTypeSchema().load({"doc_type": request.form.get("doc_type")})["doc_type"]
        store_documents(public_id, doc_type, "files")

    return _submit(_my_proposal_page, f"/saya/usulan/{public_id}", public_id, upload, "berkas")


@blueprint.get("/saya/usulan/<public_id>/berkas/<int:document_id>")
@signed_in_only
def my_proposal_document(public_id: str, document_id: int):
    return document_file(public_id, document_id)


@blueprint.post("/saya/usulan/<public_id>/<step>")
@signed_in_only
def my_proposal_step(public_id: str, step: str):
    if step not in APPLICANT_STEPS:
        raise Problem(404, "Halaman tidak ditemukan.")
    note = request.form.get("note", "").strip() or None
    action = APPLICANT_STEPS[step]
    if action is None:  # "ajukan": a draft is submitted, a returned proposal resubmitted
        stage = rpc("proposals", "get_proposal", public_id)["stage"]
        action = "resubmit" if stage == "returned" else "submit"

    def take():
        rpc("proposals", "transition", public_id, {"action": action, "note": note})

    return _submit(_my_proposal_page, f"/saya/usulan/{public_id}", public_id, take, action)


def _my_proposal_page(public_id, done=None, error=None, errors=None, status=200):
    proposal = rpc("proposals", "get_proposal", public_id)
    page = render_template(
        "my_proposal.html",
        p=proposal,
        done=done,
        error=error,
        errors=errors or {},
        missing=[c for c in proposal["checklist"] if not c["uploaded"]],
        lpj_documents=[(code, DOCUMENT_TYPES[code].name) for code in ("lpj_laporan", "lpj_bukti")],
    )
    return page, status


# --- citizens on a public report page ----------------------------------------------------------


@blueprint.post("/pengaduan/<public_id>/dukung")
@signed_in_only
def support_report(public_id: str):
    """ "Me too": a citizen supports an open report instead of filing the same one again."""

    def support():
        return rpc("complaints", "support", public_id)

    def done(result) -> str:
        return "support" if result["added"] else "supported_before"

    return _submit(complaint_page, f"/pengaduan/{public_id}", public_id, support, done)


@blueprint.post("/pengaduan/<public_id>/buka-kembali")
@signed_in_only
def reopen_report(public_id: str):
    """The reporter reopens a resolved report (within the reopen window) with a reason."""
    body = {"action": "reopen", "note": request.form.get("note", "").strip() or None}

    def reopen():
        rpc("complaints", "transition", public_id, TransitionSchema().load(body))

    return _submit(complaint_page, f"/pengaduan/{public_id}", public_id, reopen, "reopen")
