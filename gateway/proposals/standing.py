"""An organisation's standing documents over HTTP (issue 16), on the proposals blueprint: the
akta pendirian, SK Kemenkumham, SK kepengurusan, NPWP, KTP ketua and surat keterangan domisili
kept on its profile with their validity and reused by every proposal's checklist.
gateway/proposals/rest.py imports this module, so the blueprint carries these routes too; the
citizen's and the staff's pages reuse `store_standing` and `standing_file`.
"""

from __future__ import annotations

from flask import request, send_file

from gateway.access import APPLICANT_READERS, OWNER, access
from gateway.api import endpoint
from gateway.problems import Problem
from gateway.proposals.documents import DOCUMENT_KINDS
from gateway.proposals.rest import BASE, TAGS, blueprint, proposals
from gateway.uploads import blob_store, form_body, read_files, store_files
from services.proposals.contract import STANDING_KINDS, StandingDocumentsSchema

PATH = f"{BASE}/applicants/<int:applicant_id>/documents"
DATE = {"type": "string", "format": "date"}
FIELDS = ("kind", "valid_from", "valid_until")


@blueprint.get(PATH)
@endpoint(
    "Dokumen tetap lembaga",
    tags=TAGS,
    response=StandingDocumentsSchema,
    auth=True,
    errors=(403, 404),
    access=APPLICANT_READERS,
)
def standing_documents(applicant_id):
    """The organisation's standing documents: for each kind (akta_pendirian, sk_kemenkumham,
    sk_kepengurusan, npwp, ktp_ketua, surat_domisili) its version now, its validity and whether
    it holds today (`status`: valid, expired, missing), and every replaced version (`history`).
    For the applicant's members and the staff who may see the applicant (the OPD handling one
    of its submitted proposals; Kesra and BPKAD at the stages they act on; admins); 404 for
    anyone else. Every proposal's checklist takes these from here."""
    return proposals.standing_documents(applicant_id)


@blueprint.post(PATH)
@endpoint(
    "Unggah dokumen tetap lembaga",
    tags=TAGS,
    response=StandingDocumentsSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 413, 415, 422),
    access=OWNER,
    form=form_body(
        "file",
        1,
        kind=list(STANDING_KINDS),
        optional={"valid_from": DATE, "valid_until": DATE},
    ),
)
def upload_standing_document(applicant_id):
    """multipart/form-data: `kind`, one `file` (PDF, JPEG, PNG or WebP, ≤ UPLOAD_MAX_BYTES),
    and its validity `valid_from` / `valid_until` (YYYY-MM-DD). The new version replaces the
    kind's version now, which is kept as history; proposals already submitted keep the version
    they were submitted with. Only the organisation's own members (403 for staff who may see
    it, 404 for anyone else; 409 for an individual applicant); a refused caller's file is
    neither read nor stored.

    Aturan antar-kolom (422 naming `valid_until`): `valid_until` is required for
    sk_kepengurusan and surat_domisili, refused for akta_pendirian and sk_kemenkumham
    (they do not expire), optional for npwp and ktp_ketua; it comes after `valid_from` and is
    not already past (WIB)."""
    return store_standing(applicant_id, "file", blank_is_missing=False)


@blueprint.get(f"{PATH}/<int:document_id>")
@access(APPLICANT_READERS)
def standing_document(applicant_id, document_id):
    """A standing document's file (any version, a replaced one too): for the applicant's
    members and the staff who may see the applicant only."""
    return standing_file(applicant_id, document_id)


def store_standing(applicant_id: int, field: str, blank_is_missing: bool = True) -> dict:
    """Ask the proposals service whether the caller may keep this document on the profile,
    then read and check the file of the multipart `field`, and only then store and record it:
    a refused caller or a refused validity leaves nothing in the blob store. A web form's blank
    date is no date; the API's fields are sent as given (an empty one is not a date: 422)."""
    payload = {name: request.form[name] for name in FIELDS if name in request.form}
    if blank_is_missing:
        payload = {k: v.strip() for k, v in payload.items() if v.strip()}
    proposals.check_standing_upload(applicant_id, payload)
    [upload] = read_files(field, DOCUMENT_KINDS, 1)
    [blob] = store_files([upload], "proposals")
    name = request.files.getlist(field)[0].filename or None
    stored = {
        "key": blob.key,
        "content_type": blob.content_type,
        "size": blob.size,
        "sha256": blob.sha256,
        "filename": name[:200] if name else None,
    }
    return proposals.add_standing_document(applicant_id, payload, stored)


def standing_file(applicant_id: int, document_id: int):
    """The stored file, if the proposals service lets the caller see it (also for web pages)."""
    found = proposals.get_standing_document(applicant_id, document_id)
    path = blob_store().path(found["blob_key"])
    if path is None:
        raise Problem(404, "Berkas dokumen tidak ditemukan.")
    response = send_file(
        path,
        mimetype=found["content_type"],
        as_attachment=True,
        download_name=found["filename"] or path.name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
