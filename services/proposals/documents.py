"""A proposal's documents: who may upload which type when, recording stored files, reading one.

The gateway asks `check_document_upload` before it writes any file to the blob store, then
stores the files and calls `add_documents` (which checks again, under the proposal's lock).
Plain functions of a Desk (desk.py); ProposalsService declares the RPCs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.proposals import store
from services.proposals.contract.catalogue import (
    APPLICANT_DOCUMENTS,
    DOCUMENT_TYPES,
    LPJ_DOCUMENTS,
    PROFILE_DOCUMENTS,
)
from services.proposals.contract.payloads import DocTypeSchema, DocumentSchema
from services.proposals.contract.stages import (
    APPROVED,
    DISBURSED,
    DRAFT,
    EVALUATION,
    FINAL_STAGES,
    LPJ_OVERDUE,
    RETURNED,
    TRANSITIONS,
)
from services.proposals.desk import Desk
from services.proposals.guards import (
    handles,
    require_declaration,
    require_private_access,
    sees_applicant,
)
from services.proposals.lifecycle import authorize
from services.proposals.models import Document, Proposal
from services.proposals.reading import private

MAX_DOCUMENTS = 60
EDITABLE = frozenset({DRAFT, RETURNED})
FIELD_PHOTO = "foto_verifikasi"
INCIDENT_REPORT = "laporan_kejadian"


def check_document_upload(desk: Desk, public_id: str, doc_type: str, count: int = 1) -> dict:
    """May the caller upload `count` files of `doc_type` to this proposal now? Raises the
    refusal add_documents would (404, 403, 409, 422); asked before any file is stored."""
    desk.actor.require_login()
    doc_type = load(DocTypeSchema(), {"doc_type": doc_type})["doc_type"]
    proposal = store.get_proposal(desk.db, public_id)
    check_upload_allowed(desk, proposal, doc_type)
    check_room(desk, proposal, count)
    return {"public_id": proposal.public_id, "doc_type": doc_type, "allowed": True}


def add_documents(desk: Desk, public_id: str, doc_type: str, blobs: list[dict]) -> dict:
    """Attach stored files (checked by the gateway) as one checklist item."""
    desk.actor.require_login()
    doc_type = load(DocTypeSchema(), {"doc_type": doc_type})["doc_type"]
    files = [load(DocumentSchema(), b) for b in blobs]
    if DOCUMENT_TYPES[doc_type].photos_only:
        not_photos = [f["filename"] for f in files if not f["content_type"].startswith("image/")]
        if not_photos:
            raise Invalid(
                f"{DOCUMENT_TYPES[doc_type].name} harus berupa foto (JPEG, PNG atau WebP).",
                {"files": [f"Bukan foto: {', '.join(map(str, not_photos))}."]},
            )
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    check_upload_allowed(desk, proposal, doc_type)
    check_room(desk, proposal, len(files))
    now = datetime.now(UTC)
    for f in files:
        desk.db.add(
            Document(
                proposal_id=proposal.id,
                doc_type=doc_type,
                blob_key=f["key"],
                content_type=f["content_type"],
                size=f["size"],
                sha256=f["sha256"],
                filename=f["filename"],
                uploaded_by=desk.actor.user_id,
                uploaded_at=now,
            )
        )
        store.append_audit(
            desk.db,
            proposal,
            "upload_document",
            desk.actor,
            {"doc_type": doc_type, "sha256": f["sha256"], "size": f["size"]},
            now,
        )
    proposal.updated_at = now
    desk.db.flush()
    desk.db.refresh(proposal)
    return private(desk, proposal)


def get_document(desk: Desk, public_id: str, document_id: int) -> dict:
    """Where a document's file is: for the applicant and the staff who may see the
    applicant's details at this stage only."""
    proposal = store.get_proposal(desk.db, public_id)
    require_private_access(desk, proposal)
    if not sees_applicant(desk, proposal):
        raise Forbidden(
            "Berkas usulan ini hanya untuk pemohon dan petugas yang menanganinya pada tahap ini.",
            {"document": ["Data pribadi pemohon tidak untuk Anda pada tahap ini."]},
        )
    for document in proposal.documents:
        if document.id == document_id:
            return {
                "blob_key": document.blob_key,
                "content_type": document.content_type,
                "filename": document.filename,
            }
    raise NotFound("Berkas tidak ditemukan.", {"document": [str(document_id)]})


def blob_keys(desk: Desk) -> list[str]:
    """Every blob key a document refers to, for the blob sweeper (gateway.blobs): a stored
    file not named here belongs to nothing and may be deleted after a grace period."""
    return store.fetch_blob_keys(desk.db)


# --- internals ----------------------------------------------------------------------------


def check_room(desk: Desk, proposal: Proposal, count: int) -> None:
    if len(proposal.documents) + count > MAX_DOCUMENTS:
        raise Invalid(
            f"Paling banyak {MAX_DOCUMENTS} berkas per usulan.",
            {"documents": [f"Sudah ada {len(proposal.documents)} berkas."]},
        )


def check_upload_allowed(desk: Desk, proposal: Proposal, doc_type: str) -> None:
    """The applicant's documents by its members at their stages (its organisation's standing
    documents live on its profile: standing.py); field-check photos by the
    verifier who may record the field check (or an admin); the incident report of an
    emergency by the responsible agency, Kesra (which may open one) or an admin."""
    stage = proposal.stage
    if store.is_member(proposal.applicant, desk.actor.user_id):
        if doc_type in PROFILE_DOCUMENTS:
            raise Invalid(
                f"{DOCUMENT_TYPES[doc_type].name} disimpan di profil lembaga dan dipakai ulang "
                "oleh setiap usulan; unggah di halaman profil pemohon.",
                {
                    "doc_type": [
                        "Dokumen tetap lembaga diunggah di profil pemohon "
                        f"(/api/v1/proposals/applicants/{proposal.applicant_id}/documents)."
                    ]
                },
            )
        allowed = doc_type in APPLICANT_DOCUMENTS and (
            (stage in EDITABLE and doc_type not in LPJ_DOCUMENTS + ("lpj_bukti",))
            or (doc_type == "pakta_integritas" and stage == APPROVED)
            or (doc_type in ("lpj_laporan", "lpj_bukti") and stage in (DISBURSED, LPJ_OVERDUE))
        )
    elif desk.actor.has_role("admin") or (stage != DRAFT and handles(desk, proposal)):
        if doc_type == FIELD_PHOTO:
            require_field_checker(desk, proposal)
            allowed = stage == EVALUATION
        elif doc_type == INCIDENT_REPORT:
            require_agency(desk, proposal, desk.rules.agencies.admin)
            allowed = stage not in FINAL_STAGES
        else:
            allowed = False  # the applicant's own documents
    else:
        raise Forbidden("Usulan ini bukan milik Anda.", {"id": ["Bukan pemohon/petugas."]})
    if not allowed:
        raise Conflict(
            f"Dokumen '{DOCUMENT_TYPES[doc_type].name}' tidak dapat diunggah pada tahap ini.",
            {"doc_type": [f"Tahap sekarang: {stage}."]},
        )


def require_field_checker(desk: Desk, proposal: Proposal) -> None:
    """Field checks are the responsible agency's verifier's (after declaring no conflict);
    an admin may add photos too. Bagian Kesra and BPKAD handle the proposal but not this."""
    if desk.actor.has_role("admin"):
        return
    authorize(
        TRANSITIONS["recommend"], desk.actor, desk.rules.agencies, proposal.agency_code, False
    )
    require_declaration(desk, proposal)


def require_agency(desk: Desk, proposal: Proposal, *others: str) -> None:
    if desk.actor.has_role("admin") or desk.actor.agency in (proposal.agency_code, *others):
        return
    raise Forbidden(
        f"Hanya staf {proposal.agency_code} yang dapat mengunggah dokumen ini.",
        {"agency": [f"Harus staf {proposal.agency_code}."]},
    )
