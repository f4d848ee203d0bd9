"""Complaints over HTTP (native API): filing, following, supporting, photos, staff actions."""

from __future__ import annotations

from flask import Blueprint, send_file

from gateway.access import (
    ADMIN_ONLY,
    COMPLAINT_AGENCY,
    COMPLAINT_QUEUE,
    PUBLIC,
    REPORT_DETAIL,
    REPORTER_OR_AGENCY,
    SIGNED_IN,
    access,
)
from gateway.api import endpoint, project, rpc
from gateway.complaints.maps import map_context
from gateway.complaints.schemas import (
    CategoryOutSchema,
    NearbyQuerySchema,
    SupportQuerySchema,
    SupportResultSchema,
)
from gateway.limits import limited, signed_in
from gateway.problems import Problem, problem_response
from gateway.uploads import IMAGES, blob_store, form_body, read_files, store_files
from services.complaints.contract import (
    ApiKeyCreateSchema,
    ApiKeySchema,
    CandidateSchema,
    CategorySchema,
    ComplaintsClient,
    ListQuerySchema,
    PrivateReportSchema,
    PublicReportSchema,
    QueueQuerySchema,
    ReportCreateSchema,
    ReportPageSchema,
    TransitionSchema,
)

blueprint = Blueprint("complaints", __name__)
TAGS = ("Pengaduan",)
STAFF = ("officer", "verifier")
MAX_PHOTOS_PER_UPLOAD = 5
complaints = ComplaintsClient(rpc)
# The complaint maps' settings in every page (gateway/complaints/maps.py).
blueprint.app_context_processor(map_context)


@blueprint.get("/api/v1/complaints/categories")
@endpoint("Kategori pengaduan", tags=TAGS, response=CategoryOutSchema, many=True, access=PUBLIC)
def categories():
    """What can be reported, which agency handles it, and the extra questions of each category."""
    return complaints.list_categories()


@blueprint.put("/api/v1/admin/complaints/categories/<code>")
@endpoint(
    "Ubah atau tambah kategori",
    tags=("Admin",),
    body=CategorySchema,
    response=CategoryOutSchema,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def save_category(code, body):
    """Admins edit a category: name, responsible agency, routing per kecamatan, attributes.

    Aturan antar-kolom (422 naming the field): the body's `code` is the `code` of the path."""
    if body["code"] != code:
        raise Problem(422, "Kode pada alamat dan isi berbeda.", {"code": [f"Harus {code}."]})
    return complaints.save_category(body)


@blueprint.post("/api/v1/complaints")
@limited("anonymous_report", exempt_when=signed_in)
@endpoint(
    "Laporkan kerusakan",
    tags=TAGS,
    body=ReportCreateSchema,
    response=PrivateReportSchema,
    status=201,
    errors=(404, 409, 422, 429),
    access=PUBLIC,
)
def create(body):
    """File a report (logged in, or anonymous with an optional contact email).

    A place outside Kabupaten Serang is refused (422). When open reports of the same category
    lie within 50 m, nothing is filed: 409 lists them under `duplicates`; support one of them,
    or send again with `ignore_duplicates: true`. Photos are added afterwards (…/photos).

    Aturan antar-kolom (422 naming the field): `category` is an active category's code and
    `attributes` answers that category's own questions (GET /api/v1/complaints/categories:
    the required ones, each of its datatype and values); the point lies in Kabupaten Serang.
    """
    result = complaints.create_report(body)
    if result["duplicates"]:
        return problem_response(
            409,
            "Sudah ada laporan serupa di dekat lokasi ini. Apakah salah satu dari ini?",
            title="Laporan serupa",
            extra={"duplicates": project(CandidateSchema(), result["duplicates"], many=True)},
        )
    return result["report"]


@blueprint.get("/api/v1/complaints/nearby")
@endpoint(
    "Laporan terbuka di dekat titik",
    tags=TAGS,
    query=NearbyQuerySchema,
    response=CandidateSchema,
    many=True,
    access=PUBLIC,
)
def nearby(query):
    """Open reports of a category within 50 m of a point: ask before filing."""
    return complaints.nearby_open_reports(query["category"], query["lat"], query["lon"])


@blueprint.get("/api/v1/complaints")
@endpoint(
    "Daftar laporan (publik)",
    tags=TAGS,
    query=ListQuerySchema,
    response=ReportPageSchema,
    access=PUBLIC,
)
def list_public(query):
    """Public listing, newest first: filter by bbox, category, status (comma list), kecamatan."""
    return complaints.list_reports(query)


@blueprint.get("/api/v1/complaints/mine")
@endpoint(
    "Laporan saya",
    tags=TAGS,
    query=ListQuerySchema,
    response=ReportPageSchema,
    auth=True,
    access=SIGNED_IN,
)
def mine(query):
    """The caller's own reports."""
    return complaints.my_reports(query)


@blueprint.get("/api/v1/complaints/queue")
@endpoint(
    "Antrean OPD",
    tags=("Pengaduan (staf)",),
    query=QueueQuerySchema,
    response=ReportPageSchema,
    roles=STAFF,
    access=COMPLAINT_QUEUE,
)
def queue(query):
    """The caller's agency queue: overdue first, then by deadline; filter by status, category, kecamatan, overdue."""
    return complaints.queue(query)


@blueprint.get("/api/v1/complaints/<complaint_id:public_id>")
@endpoint(
    "Detail laporan", tags=TAGS, response=PrivateReportSchema, errors=(404,), access=REPORT_DETAIL
)
def detail(public_id):
    """A report with its public timeline; contact details only for its reporter and the agency handling it."""
    report = complaints.get_report(public_id)
    schema = PrivateReportSchema if "token" in report else PublicReportSchema
    return project(schema(), report)


@blueprint.post("/api/v1/complaints/<complaint_id:public_id>/transitions")
@endpoint(
    "Ubah status laporan",
    tags=("Pengaduan (staf)",),
    body=TransitionSchema,
    response=PrivateReportSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=COMPLAINT_AGENCY,
)
def transition(public_id, body):
    """verify, reject (note), mark_duplicate (duplicate_of), forward, start, resolve, close — by the
    agency's staff; reopen (note) by the reporter within 14 days of resolution.

    `forward` with `to_agency` moves an open report to another OPD's queue (as Diterima, with a
    fresh deadline), or, with PROV_BANTEN, KOTA_SERANG or BPJN_BANTEN, closes it here as
    `forwarded_external` naming that government; `recategorise` (category) changes its category.
    Only staff of the agency holding the report.

    Aturan antar-kolom (422 naming the field): `duplicate_of` is required with
    `mark_duplicate`, and names another report; `category` with `recategorise`; `to_agency`
    names another known OPD or body."""
    return complaints.transition(public_id, body)


@blueprint.post("/api/v1/complaints/<complaint_id:public_id>/support")
@endpoint(
    "Dukung laporan",
    tags=TAGS,
    query=SupportQuerySchema,
    response=SupportResultSchema,
    auth=True,
    errors=(404, 409),
    access=SIGNED_IN,
)
def support(public_id, query):
    """Add your support to an open report instead of filing the same one again; with
    `?notify=true` you also get an email each time its status changes (each email has a link
    to stop them)."""
    return complaints.support(public_id, query["notify"])


@blueprint.post("/api/v1/complaints/<complaint_id:public_id>/photos")
@endpoint(
    "Unggah foto",
    tags=TAGS,
    response=PrivateReportSchema,
    status=201,
    auth=True,
    errors=(403, 404, 413, 415, 422),
    access=REPORTER_OR_AGENCY,
    form=form_body("photos", MAX_PHOTOS_PER_UPLOAD),
)
def upload_photos(public_id):
    """multipart/form-data with one to five `photos` (JPEG, PNG or WebP, ≤ 5 MiB and ≤ 40 million
    pixels each, checked by content). The public copy is stored without EXIF/GPS metadata.
    Reporter: while the report is open; agency staff: proof of the fix. Nothing is stored when
    the upload is refused."""
    return store_photos(public_id)


def store_photos(public_id: str) -> dict:
    """Check the multipart `photos` (metadata stripped), ask the service whether the caller may
    add them to this report, and only then store and attach them: the reporter's while it is
    open, the agency's as proof of the fix (also for web). A refusal leaves no file behind."""
    uploads = read_files("photos", IMAGES, MAX_PHOTOS_PER_UPLOAD)
    complaints.check_photos(public_id, len(uploads))
    stored = store_files(uploads, "complaints")
    photos = [{"key": blob.key, "content_type": blob.content_type} for blob in stored]
    return complaints.add_photos(public_id, photos)


@blueprint.get("/api/v1/complaints/<complaint_id:public_id>/photos/<int:photo_id>")
@access(PUBLIC)
def photo(public_id, photo_id):
    """A report's photo (public copy, no metadata)."""
    found = complaints.get_photo(public_id, photo_id)
    path = blob_store().path(found["blob_key"])
    if path is None:
        raise Problem(404, "Berkas foto tidak ditemukan.")
    response = send_file(path, mimetype=found["content_type"], max_age=86400)
    return response


@blueprint.post("/api/v1/admin/open311/keys")
@endpoint(
    "Terbitkan api_key Open311",
    tags=("Admin",),
    body=ApiKeyCreateSchema,
    response=ApiKeySchema,
    status=201,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def issue_key(body):
    """Issue an Open311 api_key to an organisation. The key is shown only in this response."""
    return complaints.issue_api_key(body)


@blueprint.get("/api/v1/admin/open311/keys")
@endpoint(
    "Daftar api_key Open311",
    tags=("Admin",),
    response=ApiKeySchema,
    many=True,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def list_keys():
    """Organisations with Open311 keys (only the first characters of each key)."""
    return complaints.list_api_keys()
