"""Serang Open's proposal documents over HTTP: uploading a checklist item's files and reading one
back, on the proposals blueprint. gateway/proposals/rest.py imports this module, so the blueprint
the gateway discovers there carries these routes too; the staff and citizen web pages reuse
`store_documents` and `document_file`.
"""

from __future__ import annotations

from flask import request, send_file
from marshmallow import ValidationError

from gateway.access import APPLICANT_READERS, FIELD_PHOTOS, access
from gateway.api import endpoint
from gateway.problems import Problem
from gateway.proposals.rest import BASE, TAGS, blueprint, proposals
from gateway.uploads import (
    IMAGES,
    blob_store,
    form_body,
    max_upload_bytes,
    read_files,
    store_files,
)
from services.proposals.contract import (
    DOCUMENT_TYPES,
    PROFILE_DOCUMENTS,
    DocTypeSchema,
    PrivateProposalSchema,
)

DOCUMENT_KINDS = IMAGES | {"application/pdf"}
# what may be uploaded to a proposal (an organisation's standing documents go to its profile)
PROPOSAL_DOCUMENT_TYPES = [code for code in DOCUMENT_TYPES if code not in PROFILE_DOCUMENTS]
MAX_FILES_PER_UPLOAD = 5


@blueprint.post(f"{BASE}/<proposal_id:public_id>/documents")
@endpoint(
    "Unggah dokumen",
    tags=TAGS,
    response=PrivateProposalSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 413, 415, 422),
    access=FIELD_PHOTOS,
    form=form_body("files", MAX_FILES_PER_UPLOAD, doc_type=PROPOSAL_DOCUMENT_TYPES),
)
def upload_documents(public_id):
    """multipart/form-data: `doc_type` (a checklist item of the proposal's own) and one to five
    `files` (PDF, JPEG, PNG or WebP, ≤ UPLOAD_MAX_BYTES each, checked by content). An
    organisation's standing documents (akta_pendirian, sk_kemenkumham, sk_kepengurusan, npwp,
    ktp_ketua, surat_domisili, and the older akta_badan_hukum) are kept on its profile
    instead: 422 naming `doc_type`."""
    request.max_content_length = max_upload_bytes() * MAX_FILES_PER_UPLOAD + 64 * 1024
    try:
        doc_type = DocTypeSchema().load({"doc_type": request.form.get("doc_type")})["doc_type"]
    except ValidationError as exc:
        raise Problem(422, "Jenis dokumen tidak valid.", exc.normalized_messages()) from None
    return store_documents(public_id, doc_type, "files")


def store_documents(public_id: str, doc_type: str, field: str) -> dict:
    """Ask the proposals service whether the caller may add files of `doc_type` to this
    proposal, then read and check the files of a multipart `field`, and only then store and
    attach them: a refused or unknown proposal leaves nothing in the blob store (and a
    refused caller's files are not even decoded)."""
    kinds = IMAGES if DOCUMENT_TYPES[doc_type].photos_only else DOCUMENT_KINDS
    names = [f.filename for f in request.files.getlist(field)]
    proposals.check_document_upload(public_id, doc_type, max(len(names), 1))
    uploads = read_files(field, kinds, MAX_FILES_PER_UPLOAD)
    blobs = [
        {
            "key": blob.key,
            "content_type": blob.content_type,
            "size": blob.size,
            "sha256": blob.sha256,
            "filename": (names[i] or None) if i < len(names) else None,
        }
        for i, blob in enumerate(store_files(uploads, "proposals"))
    ]
    return proposals.add_documents(public_id, doc_type, blobs)


@blueprint.get(f"{BASE}/<proposal_id:public_id>/documents/<int:document_id>")
@access(APPLICANT_READERS)
def document(public_id, document_id):
    """A document's file: for its applicant and the staff handling it only."""
    return document_file(public_id, document_id)


def document_file(public_id: str, document_id: int):
    """The stored file, if the proposals service lets the caller see it (also for web pages)."""
    found = proposals.get_document(public_id, document_id)
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
