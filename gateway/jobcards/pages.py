"""Kartu Kuning in the browser: a citizen applies on /kartu-kuning/ajukan (the draft, its three
documents, then "Kirim"), corrects a returned application, reports every six months; a DISNAKER
officer decides on /staf/kartu-kuning/<id>. The same calls as the JSON API (gateway/jobcards/
rest.py): the jobcards service checks every rule; these pages turn form fields into the API's
types and show each refusal next to its field."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, g, redirect, render_template, request, send_file
from marshmallow import ValidationError

from gateway.access import OWNER, PUBLIC, SIGNED_IN, access
from gateway.api import rpc
from gateway.jobcards.rest import (
    DISNAKER_DESK,
    DOCUMENT_KINDS,
    HOLDER,
    DocumentTypeSchema,
    _dates,
    jobcards,
)
from gateway.problems import Problem
from gateway.uploads import IMAGES, blob_store, read_files, store_files
from gateway.workspace.common import serve_as_pages, signed_in_only, whole_number
from servicekit.errors import ServiceError
from services.gis.contract import GisClient
from services.jobcards.contract import (
    AGENCY,
    DOCUMENT_TYPES,
    EDUCATION_LEVELS,
    GENDERS,
    MARITAL,
    OFFICER,
    PHOTO_ONLY,
    REPORT_KINDS,
    ApplicationCreateSchema,
    ReportCreateSchema,
    TransitionSchema,
)

blueprint = Blueprint("jobcards_pages", __name__, template_folder="templates")
gis = GisClient(rpc)
DESA_CODE = re.compile(r"^36\.04\.\d{2}\.\d{4}$")
TEXT_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "gender",
    "marital_status",
    "phone",
    "address",
    "desa_code",
    "lat",
    "lon",
    "education_level",
    "education_major",
    "graduation_year",
    "work_wanted",
)
DONE = {
    "draft": "Draf tersimpan. Unggah KTP, ijazah dan pas foto, lalu kirim",
    "ubah": "Perubahan tersimpan",
    "dokumen": "Dokumen terunggah",
    "kirim": "Permohonan terkirim ke DISNAKER",
    "lapor": "Laporan tersimpan",
}
DECIDED = {
    "approve": "Permohonan disetujui; kartu terbit",
    "return": "Permohonan dikembalikan kepada pemohon",
    "reject": "Permohonan ditolak",
}
ACTION_LABELS = {
    "approve": "Setujui (kartu terbit)",
    "return": "Kembalikan untuk perbaikan",
    "reject": "Tolak",
}


# --- what every page here shares (as the workspace's pages) --------------------------------


serve_as_pages(blueprint)


def flat(errors) -> dict[str, str]:
    """Each field's messages as one sentence (a list's items, `skills.0`, under `skills`;
    an upload's `file[0]` under `file`)."""
    out: dict[str, list[str]] = {}

    def walk(value) -> list[str]:
        if isinstance(value, dict):
            return [m for v in value.values() for m in walk(v)]
        if isinstance(value, list | tuple):
            return [m for v in value for m in walk(v)]
        return [str(value)]

    for field, value in (errors or {}).items():
        name = re.sub(r"\[\d+\]$", "", str(field))
        out.setdefault(name, []).extend(walk(value))
    return {k: " ".join(v) for k, v in out.items()}


@blueprint.get("/kartu-kuning/cek")
@access(PUBLIC, page=True)
def check_form():
    """The verification form of /kartu-kuning without JavaScript: to the number's page."""
    number = request.args.get("nomor", "").strip()[:40]
    if not number:
        return redirect("/kartu-kuning#cek", 303)
    return redirect(f"/kartu-kuning/cek/{quote(number, safe='')}", 303)


# --- the application form (a new draft, or a correction) ----------------------------------


@blueprint.get("/kartu-kuning/ajukan")
@access(SIGNED_IN, page=True)
@signed_in_only
def apply_form():
    return _form_page()


@blueprint.post("/kartu-kuning/ajukan")
@access(SIGNED_IN, page=True)
@signed_in_only
def apply_create():
    payload, errors = _payload_from_form()
    if errors:
        return _form_page("Periksa isian.", errors, 422)
    try:
        made = jobcards.create_application(payload)
    except ServiceError as exc:
        return _form_page(exc.message, exc.errors, exc.status)
    return redirect(f"/kartu-kuning/{made['id']}?ok=draft", 303)


@blueprint.get("/kartu-kuning/<int:jobcard_id>/ubah")
@access(OWNER, page=True)
@signed_in_only
def edit_form(jobcard_id: int):
    """A draft, or a returned application, in the form it was written in."""
    application = jobcards.get_application(jobcard_id)
    if application["status"] not in ("draft", "returned"):
        return redirect(f"/kartu-kuning/{jobcard_id}", 303)
    return _form_page(editing=application, values=_form_from(application))


@blueprint.post("/kartu-kuning/<int:jobcard_id>/ubah")
@access(OWNER, page=True)
@signed_in_only
def edit_save(jobcard_id: int):
    application = jobcards.get_application(jobcard_id)  # a stranger's id: 404 before all else
    payload, errors = _payload_from_form()
    if errors:
        return _form_page("Periksa isian.", errors, 422, editing=application)
    try:
        jobcards.update_application(jobcard_id, payload)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _form_page(exc.message, exc.errors, exc.status, editing=application)
    return redirect(f"/kartu-kuning/{jobcard_id}?ok=ubah", 303)


def _payload_from_form() -> tuple[dict, dict]:
    """The API's body from the form's fields, and what is wrong with it per field (checked
    by the service's own schema; a desa may be typed by name, found in Kabupaten Serang)."""
    body = {n: request.form.get(n, "").strip() or None for n in TEXT_FIELDS}
    for name in ("lat", "lon"):
        if body[name]:
            body[name] = body[name].replace(",", ".")
    if body["graduation_year"]:
        body["graduation_year"] = whole_number(body["graduation_year"])
    for name in ("skills", "training"):
        lines = request.form.get(name, "").splitlines()
        body[name] = [line.strip() for line in lines if line.strip()]
    errors: dict = {}
    if body["desa_code"] and not DESA_CODE.match(body["desa_code"]):
        body["desa_code"], problem = _desa_by_name(body["desa_code"])
        if problem:
            errors["desa_code"] = [problem]
    try:
        data = ApplicationCreateSchema().load(body)
    except ValidationError as exc:
        errors = exc.messages | errors
        data = body
    return _dates(data), errors


def _desa_by_name(typed: str) -> tuple[str | None, str | None]:
    """The code of the one desa of that name (as the gis service spells it), or why not."""
    found = [a for a in gis.search_areas(typed, "desa", 8) if a.get("level") == "desa"]
    exact = [a for a in found if a["name"].casefold() == typed.casefold()]
    if len(exact) == 1:
        return exact[0]["code"], None
    options = ", ".join(f"{a['name']} ({a['code']})" for a in (exact or found)[:8])
    if exact:
        return None, f"Ada beberapa desa bernama {typed}; tulis kodenya: {options}."
    if options:
        return None, f"Desa {typed} tidak ditemukan. Mungkin maksud Anda: {options}."
    return None, f"Desa {typed} tidak ditemukan di Kabupaten Serang."


def _form_from(application: dict) -> dict:
    values = {n: str(application.get(n) or "") for n in TEXT_FIELDS}
    if application.get("desa_code"):  # located from a point or typed: the desa is kept
        values |= {"lat": "", "lon": ""}
    return values | {
        "skills": "\n".join(application.get("skills") or []),
        "training": "\n".join(application.get("training") or []),
    }


def _form_page(error=None, errors=None, status=200, editing=None, values=None):
    page = render_template(
        "jobcards/apply.html",
        editing=editing,
        error=error,
        errors=flat(errors),
        values=values if values is not None else request.form,
        genders=GENDERS,
        marital=MARITAL,
        education=EDUCATION_LEVELS,
    )
    return page, status


# --- the application's own page: documents, submit, report --------------------------------


@blueprint.get("/kartu-kuning/<int:jobcard_id>")
@access(HOLDER, page=True)
@signed_in_only
def application_page(jobcard_id: int):
    return _application_page(jobcard_id, done=DONE.get(request.args.get("ok", "")))


@blueprint.post("/kartu-kuning/<int:jobcard_id>/dokumen")
@access(OWNER, page=True)
@signed_in_only
def upload(jobcard_id: int):
    """One of the three documents (a new file replaces the old one of its type): the service
    says whether it may be added before the file is even read; nothing is stored otherwise."""
    doc_type = request.form.get("type")
    try:
        doc_type = DocumentTypeSchema().load({"type": doc_type})["type"]
        jobcards.check_document(jobcard_id, doc_type)
        kinds = IMAGES if doc_type in PHOTO_ONLY else DOCUMENT_KINDS
        (blob,) = store_files(read_files("file", kinds, 1), "jobcards")
        stored = {"key": blob.key, "content_type": blob.content_type, "size": blob.size}
        jobcards.add_document(jobcard_id, doc_type, stored)
    except ValidationError as exc:
        return _application_page(jobcard_id, "Jenis dokumen tidak valid.", exc.messages, 422)
    except Problem as exc:  # the file itself: its kind or size
        return _application_page(
            jobcard_id, exc.detail, exc.errors, exc.status, upload_type=doc_type
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _application_page(
            jobcard_id, exc.message, exc.errors, exc.status, upload_type=doc_type
        )
    return redirect(f"/kartu-kuning/{jobcard_id}?ok=dokumen", 303)


@blueprint.get("/kartu-kuning/<int:jobcard_id>/dokumen/<int:jobcard_document_id>")
@access(HOLDER, page=True)
@signed_in_only
def document_file(jobcard_id: int, jobcard_document_id: int):
    """A document's file: for its applicant and DISNAKER's officers only."""
    found = jobcards.document(jobcard_id, jobcard_document_id)
    path = blob_store().path(found["blob_key"])
    if path is None:
        raise Problem(404, "Berkas dokumen tidak ditemukan.")
    extension = {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}
    response = send_file(
        path,
        mimetype=found["content_type"],
        as_attachment=True,
        download_name=f"{found['type']}-{jobcard_id}.{extension.get(found['content_type'], 'jpg')}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.post("/kartu-kuning/<int:jobcard_id>/kirim")
@access(OWNER, page=True)
@signed_in_only
def submit(jobcard_id: int):
    """A complete draft, or a returned application (corrected), goes to DISNAKER."""
    try:
        jobcards.submit(jobcard_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _application_page(jobcard_id, exc.message, exc.errors, exc.status)
    return redirect(f"/kartu-kuning/{jobcard_id}?ok=kirim", 303)


@blueprint.post("/kartu-kuning/<int:jobcard_id>/lapor")
@access(OWNER, page=True)
@signed_in_only
def report(jobcard_id: int):
    """The holder's six-monthly report: still looking, or employed (which closes the card)."""
    body = {n: request.form.get(n, "").strip() or None for n in REPORT_FIELDS}
    try:
        data = ReportCreateSchema().load(body)
        jobcards.report(jobcard_id, _dates(data))
    except ValidationError as exc:  # a stranger's id: 404 all the same (the page reads it)
        return _application_page(jobcard_id, "Periksa isian laporan.", exc.messages, 422)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _application_page(jobcard_id, exc.message, exc.errors, exc.status)
    return redirect(f"/kartu-kuning/{jobcard_id}?ok=lapor", 303)


REPORT_FIELDS = ("status", "employer", "employed_on")


def _application_page(jobcard_id, error=None, errors=None, status=200, done=None, upload_type=None):
    application = jobcards.get_application(jobcard_id)
    page = render_template(
        "jobcards/application.html",
        a=application,
        done=done,
        error=error,
        errors=flat(errors),
        upload_type=upload_type,
        values=request.form if request.method == "POST" else {},
        documents=DOCUMENT_TYPES,
        photo_only=PHOTO_ONLY,
        report_kinds=REPORT_KINDS,
        education=EDUCATION_LEVELS,
        genders=GENDERS,
        marital=MARITAL,
    )
    return page, status


# --- DISNAKER's desk ------------------------------------------------------------------------


def _officer_only() -> None:
    if not (g.actor.has_role(OFFICER) and g.actor.agency == AGENCY):
        raise Problem(403, "Halaman ini untuk petugas DISNAKER.", {"agency": [AGENCY]})


@blueprint.get("/staf/kartu-kuning/<int:jobcard_id>")
@access(DISNAKER_DESK, page=True)
@signed_in_only
def desk_page(jobcard_id: int):
    """An application with its documents, and the officer's decision."""
    _officer_only()
    return _desk_page(jobcard_id, done=DECIDED.get(request.args.get("ok", "")))


@blueprint.post("/staf/kartu-kuning/<int:jobcard_id>")
@access(DISNAKER_DESK, page=True)
@signed_in_only
def decide(jobcard_id: int):
    """Approve, return with a note or reject with a reason; when another officer acted first
    (409), the page again says so, with the application as it now stands."""
    _officer_only()
    body = {"action": request.form.get("action"), "note": request.form.get("note", "").strip()}
    try:
        data = TransitionSchema().load({k: v or None for k, v in body.items()})
        jobcards.transition(jobcard_id, data)
    except ValidationError as exc:
        return _desk_page(jobcard_id, "Periksa keputusan.", exc.messages, 422)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        message = exc.message
        if exc.status == 409:
            message = (
                f"{exc.message} Keputusan Anda tidak disimpan; lihat status terbarunya di bawah."
            )
        return _desk_page(jobcard_id, message, {} if exc.status == 409 else exc.errors, exc.status)
    return redirect(f"/staf/kartu-kuning/{jobcard_id}?ok={data['action']}", 303)


def _desk_page(jobcard_id, error=None, errors=None, status=200, done=None):
    application = jobcards.get_application(jobcard_id)
    page = render_template(
        "jobcards/desk.html",
        a=application,
        done=done,
        error=error,
        errors=flat(errors),
        values=request.form if status != 409 else {},
        documents=DOCUMENT_TYPES,
        actions=ACTION_LABELS,
        education=EDUCATION_LEVELS,
        genders=GENDERS,
        marital=MARITAL,
        report_kinds=REPORT_KINDS,
    )
    return page, status
