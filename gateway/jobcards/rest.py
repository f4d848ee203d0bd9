"""Kartu Kuning over HTTP: the JSON API under /api/v1/jobcards and the public pages under
/kartu-kuning (found automatically: the manifest names this module)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from marshmallow import Schema, ValidationError, fields, validate

from gateway.access import DENY, OWNER, PUBLIC, PUBLIC_ONLY, SIGNED_IN, access, declare
from gateway.api import endpoint, rpc
from gateway.auth import current_actor, require
from gateway.jobcards.card import render
from gateway.problems import Problem
from gateway.uploads import IMAGES, form_body, max_upload_bytes, read_files, store_files
from gateway.workspace.session import load_actor, to_login
from services.jobcards.contract import (
    DOCUMENT_TYPES,
    EDUCATION_LEVELS,
    PHOTO_ONLY,
    REPORT_KINDS,
    ApplicationCreateSchema,
    ApplicationPageSchema,
    ApplicationSchema,
    FiguresQuerySchema,
    FiguresSchema,
    JobcardsClient,
    PageQuerySchema,
    ReportCreateSchema,
    TransitionSchema,
    VerificationSchema,
)

blueprint = Blueprint("jobcards", __name__, template_folder="templates")
BASE = "/api/v1/jobcards"
TAGS = ("Kartu Kuning",)
STAFF_TAGS = ("Kartu Kuning (DISNAKER)",)
DOCUMENT_KINDS = IMAGES | {"application/pdf"}
jobcards = JobcardsClient(rpc)

# Who gets what (gateway/access.py). The matrix's world has no DISNAKER staff: its DINSOS,
# DPUPR, KESRA and BPKAD staff are all of another agency here.
DISNAKER_DESK = declare("the officers of DISNAKER only (none in the matrix's world)", DENY)
OFFICE_FIGURES = declare(
    "DISNAKER's staff and admins: counts only, nothing personal", DENY, admin=PUBLIC_ONLY
)
HOLDER = declare(
    "the applicant (its holder) or DISNAKER's officers; anyone else 404",
    DENY,
    citizen=OWNER["citizen"],
)


class DocumentTypeSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(list(DOCUMENT_TYPES)))


@blueprint.post(BASE)
@endpoint(
    "Ajukan Kartu Kuning (draf)",
    tags=TAGS,
    body=ApplicationCreateSchema,
    response=ApplicationSchema,
    status=201,
    auth=True,
    errors=(409, 422),
    access=SIGNED_IN,
)
def create(body):
    """A signed-in citizen starts an application for the AK/I card: the NIK checked as on
    sign-up and against the birth date and gender, 18 or over, domicile in Kabupaten Serang
    (`desa_code`, or `lat`/`lon` located by the gis service). Then the documents, then submit.

    Aturan antar-kolom (422 naming the field): either `desa_code` or both `lat` and `lon`, never
    both; the desa is one of Kabupaten Serang's and the point lies in it; the NIK's digits
    agree with `birth_date` and `gender`, and the applicant is 18 or over."""
    return jobcards.create_application(_dates(body))


@blueprint.get(f"{BASE}/mine")
@endpoint(
    "Kartu Kuning saya",
    tags=TAGS,
    query=PageQuerySchema,
    response=ApplicationPageSchema,
    auth=True,
    access=SIGNED_IN,
)
def mine(query):
    """The caller's applications and cards, newest first."""
    return jobcards.my_applications(query)


@blueprint.get(f"{BASE}/queue")
@endpoint(
    "Antrean Kartu Kuning",
    tags=STAFF_TAGS,
    query=PageQuerySchema,
    response=ApplicationPageSchema,
    auth=True,
    errors=(403,),
    access=DISNAKER_DESK,
)
def queue(query):
    """Submitted applications, oldest first: DISNAKER's officers."""
    return jobcards.queue(query)


@blueprint.get(f"{BASE}/figures")
@endpoint(
    "Angka Kartu Kuning",
    tags=STAFF_TAGS,
    query=FiguresQuerySchema,
    response=FiguresSchema,
    auth=True,
    errors=(403,),
    access=OFFICE_FIGURES,
)
def figures(query):
    """Cards issued, active, lapsed and closed by education level, gender, kecamatan and month
    of issue (optionally of one `year`): DISNAKER's staff and admins."""
    return jobcards.figures(query)


@blueprint.get(f"{BASE}/verify/<card_number>")
@endpoint("Cek Kartu Kuning", tags=TAGS, response=VerificationSchema, access=PUBLIC)
def verify(card_number):
    """For employers: valid, lapsed, expired, closed or unknown; the validity dates and the
    holder's initials only."""
    return jobcards.verify(card_number)


@blueprint.get(f"{BASE}/<int:jobcard_id>")
@endpoint(
    "Detail permohonan",
    tags=TAGS,
    response=ApplicationSchema,
    auth=True,
    errors=(404,),
    access=HOLDER,
)
def detail(jobcard_id):
    """An application: its applicant or DISNAKER's officers."""
    return jobcards.get_application(jobcard_id)


@blueprint.post(f"{BASE}/<int:jobcard_id>/documents")
@endpoint(
    "Unggah dokumen",
    tags=TAGS,
    response=ApplicationSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 413, 415, 422),
    access=OWNER,
    form=form_body("file", 1, type=list(DOCUMENT_TYPES)),
)
def upload(jobcard_id):
    """multipart/form-data: `type` (`ktp`, `ijazah` or `pas_foto`) and one `file` (PDF, JPEG,
    PNG or WebP checked by content, ≤ UPLOAD_MAX_BYTES; the passport photo an image). A new
    file replaces the old one of its type; nothing is stored when the upload is refused."""
    request.max_content_length = max_upload_bytes() + 64 * 1024
    try:
        doc_type = DocumentTypeSchema().load({"type": request.form.get("type")})["type"]
    except ValidationError as exc:
        raise Problem(422, "Jenis dokumen tidak valid.", exc.normalized_messages()) from None
    jobcards.check_document(jobcard_id, doc_type)
    kinds = IMAGES if doc_type in PHOTO_ONLY else DOCUMENT_KINDS
    (blob,) = store_files(read_files("file", kinds, 1), "jobcards")
    stored = {"key": blob.key, "content_type": blob.content_type, "size": blob.size}
    return jobcards.add_document(jobcard_id, doc_type, stored)


@blueprint.post(f"{BASE}/<int:jobcard_id>/submit")
@endpoint(
    "Ajukan permohonan",
    tags=TAGS,
    response=ApplicationSchema,
    auth=True,
    errors=(404, 409, 422),
    access=OWNER,
)
def submit(jobcard_id):
    """The applicant submits a complete draft (KTP, ijazah, pas foto) or a returned one."""
    return jobcards.submit(jobcard_id)


@blueprint.post(f"{BASE}/<int:jobcard_id>/transitions")
@endpoint(
    "Putuskan permohonan",
    tags=STAFF_TAGS,
    body=TransitionSchema,
    response=ApplicationSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=DISNAKER_DESK,
)
def transition(jobcard_id, body):
    """`approve` (the card is issued: AK1-3604-<tahun>-<6 angka>, valid two years), `return`
    with a note, or `reject` with a reason; 409 when another officer acted first.

    Aturan antar-kolom (422 naming the field): `note` is required (not blank) with `return`
    and `reject`."""
    return jobcards.transition(jobcard_id, body)


@blueprint.post(f"{BASE}/<int:jobcard_id>/reports")
@endpoint(
    "Lapor enam bulanan",
    tags=TAGS,
    body=ReportCreateSchema,
    response=ApplicationSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def report(jobcard_id, body):
    """The holder reports: `still_looking`, or `employed` with `employer` and `employed_on`
    (which closes the card).

    Aturan antar-kolom (422 naming the field): with `employed`, `employer` (not blank) and
    `employed_on` are required."""
    return jobcards.report(jobcard_id, _dates(body))


@blueprint.get(f"{BASE}/<int:jobcard_id>/card.pdf")
@access(HOLDER)
def card_pdf(jobcard_id):
    """The AK/I card, printable at ID-1 size: its holder or DISNAKER's officers."""
    require(current_actor(), None)
    return card_response(jobcard_id)


def card_response(jobcard_id: int) -> Response:
    card = jobcards.card(jobcard_id)
    response = Response(render(card), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="kartu-kuning-{card["card_number"]}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- pages --------------------------------------------------------------------------------


@blueprint.get("/kartu-kuning/<int:jobcard_id>/kartu.pdf")
@access(HOLDER)
def card_page_pdf(jobcard_id):
    """The card from the /saya page (the web session's cookie, not a bearer token)."""
    if request.headers.get("Authorization"):  # a client of the API may fetch it here too
        require(current_actor(), None)
    elif not load_actor().is_authenticated:
        return to_login()
    return card_response(jobcard_id)


@blueprint.get("/kartu-kuning")
@access(PUBLIC)
def page():
    """What the card is, what to bring, how to apply."""
    return render_template(
        "jobcards/about.html", documents=DOCUMENT_TYPES, education=EDUCATION_LEVELS
    )


@blueprint.get("/kartu-kuning/cek/<card_number>")
@access(PUBLIC)
def check_page(card_number):
    """The public verification page an AK/I's QR code points to."""
    return render_template("jobcards/check.html", result=jobcards.verify(card_number))


@blueprint.app_context_processor
def _jobcards_sections():
    """What the /saya and /staf sections of this app load, when they are shown."""

    def my_cards():
        return _quiet(jobcards.my_applications, {"page": 1, "per_page": 10})

    def queue_page():
        return _quiet(jobcards.queue, {"page": 1, "per_page": 20})

    return {
        "jobcards_mine": my_cards,
        "jobcards_queue": queue_page,
        "jobcards_report_kinds": REPORT_KINDS,
    }


def _quiet(call, *args) -> dict:
    try:
        return {"data": call(*args), "error": None}
    except Exception as exc:  # noqa: BLE001  (a section says what failed; the page stays up)
        return {"data": None, "error": str(exc)}


def _dates(body: dict) -> dict:
    """Dates as ISO text for the RPC (the service loads them with the same schema)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in body.items()}
