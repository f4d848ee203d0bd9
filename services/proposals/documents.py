"""A proposal's documents: who may upload which type when, recording stored files, reading one.

The gateway asks `check_document_upload` before it writes any file to the blob store, then
stores the files and calls `add_documents` (which checks again, under the proposal's lock).
A mixin of ProposalsService (its dependencies: db, actor, rules).
"""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.context import GATEWAY
from servicekit.entrypoints import rpc
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.proposals import store
from services.proposals.catalogue import (
    APPLICANT_DOCUMENTS,
    DOCUMENT_TYPES,
    LPJ_DOCUMENTS,
)
from services.proposals.lifecycle import (
    APPROVED,
    DISBURSED,
    DRAFT,
    EVALUATION,
    FINAL_STAGES,
    LPJ_OVERDUE,
    RETURNED,
    TRANSITIONS,
    authorize,
)
from services.proposals.models import Document, Proposal
from services.proposals.schemas import DocTypeSchema, DocumentSchema

MAX_DOCUMENTS = 60
EDITABLE = frozenset({DRAFT, RETURNED})
FIELD_PHOTO = "foto_verifikasi"
INCIDENT_REPORT = "laporan_kejadian"


class DocumentRpc:
    @rpc
    def check_document_upload(self, public_id: str, doc_type: str, count: int = 1) -> dict:
        """May the caller upload `count` files of `doc_type` to this proposal now? Raises the
        refusal add_documents would (404, 403, 409, 422); asked before any file is stored."""
        self.actor.require_login()
        doc_type = load(DocTypeSchema(), {"doc_type": doc_type})["doc_type"]
        proposal = store.get_proposal(self.db, public_id)
        self._check_upload_allowed(proposal, doc_type)
        self._check_room(proposal, count)
        return {"public_id": proposal.public_id, "doc_type": doc_type, "allowed": True}

    @rpc
    def add_documents(self, public_id: str, doc_type: str, blobs: list[dict]) -> dict:
        """Attach stored files (checked by the gateway) as one checklist item."""
        self.actor.require_login()
        doc_type = load(DocTypeSchema(), {"doc_type": doc_type})["doc_type"]
        files = [load(DocumentSchema(), b) for b in blobs]
        if DOCUMENT_TYPES[doc_type].photos_only:
            not_photos = [
                f["filename"] for f in files if not f["content_type"].startswith("image/")
            ]
            if not_photos:
                raise Invalid(
                    f"{DOCUMENT_TYPES[doc_type].name} harus berupa foto (JPEG, PNG atau WebP).",
                    {"files": [f"Bukan foto: {', '.join(map(str, not_photos))}."]},
                )
        proposal = store.get_proposal(self.db, public_id, for_update=True)
        self._check_upload_allowed(proposal, doc_type)
        self._check_room(proposal, len(files))
        now = datetime.now(UTC)
        for f in files:
            self.db.add(
                Document(
                    proposal_id=proposal.id,
                    doc_type=doc_type,
                    blob_key=f["key"],
                    content_type=f["content_type"],
                    size=f["size"],
                    sha256=f["sha256"],
                    filename=f["filename"],
                    uploaded_by=self.actor.user_id,
                    uploaded_at=now,
                )
            )
            store.append_audit(
                self.db,
                proposal,
                "upload_document",
                self.actor,
                {"doc_type": doc_type, "sha256": f["sha256"], "size": f["size"]},
                now,
            )
        proposal.updated_at = now
        self.db.flush()
        self.db.refresh(proposal)
        return self._private(proposal)

    @rpc
    def get_document(self, public_id: str, document_id: int) -> dict:
        """Where a document's file is: for the applicant and the staff who may see the
        applicant's details at this stage only."""
        proposal = store.get_proposal(self.db, public_id)
        self._require_private_access(proposal)
        if not self._sees_applicant(proposal):
            raise Forbidden(
                "Berkas usulan ini hanya untuk pemohon dan petugas yang menanganinya pada tahap "
                "ini.",
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

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a document refers to, for the blob sweeper (gateway.blobs): a stored
        file not named here belongs to nothing and may be deleted after a grace period."""
        return store.fetch_blob_keys(self.db)

    # --- internals ----------------------------------------------------------------------------

    def _check_room(self, proposal: Proposal, count: int) -> None:
        if len(proposal.documents) + count > MAX_DOCUMENTS:
            raise Invalid(
                f"Paling banyak {MAX_DOCUMENTS} berkas per usulan.",
                {"documents": [f"Sudah ada {len(proposal.documents)} berkas."]},
            )

    def _check_upload_allowed(self, proposal: Proposal, doc_type: str) -> None:
        """The applicant's documents by its members at their stages; field-check photos by the
        verifier who may record the field check (or an admin); the incident report of an
        emergency by the responsible agency, Kesra (which may open one) or an admin."""
        stage = proposal.stage
        if store.is_member(proposal.applicant, self.actor.user_id):
            allowed = doc_type in APPLICANT_DOCUMENTS and (
                (stage in EDITABLE and doc_type not in LPJ_DOCUMENTS + ("lpj_bukti",))
                or (doc_type == "pakta_integritas" and stage == APPROVED)
                or (doc_type in ("lpj_laporan", "lpj_bukti") and stage in (DISBURSED, LPJ_OVERDUE))
            )
        elif self.actor.has_role("admin") or (stage != DRAFT and self._handles(proposal)):
            if doc_type == FIELD_PHOTO:
                self._require_field_checker(proposal)
                allowed = stage == EVALUATION
            elif doc_type == INCIDENT_REPORT:
                self._require_agency(proposal, self.rules.agencies.admin)
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

    def _require_field_checker(self, proposal: Proposal) -> None:
        """Field checks are the responsible agency's verifier's (after declaring no conflict);
        an admin may add photos too. Bagian Kesra and BPKAD handle the proposal but not this."""
        if self.actor.has_role("admin"):
            return
        authorize(
            TRANSITIONS["recommend"], self.actor, self.rules.agencies, proposal.agency_code, False
        )
        self._require_declaration(proposal)

    def _require_agency(self, proposal: Proposal, *others: str) -> None:
        if self.actor.has_role("admin") or self.actor.agency in (proposal.agency_code, *others):
            return
        raise Forbidden(
            f"Hanya staf {proposal.agency_code} yang dapat mengunggah dokumen ini.",
            {"agency": [f"Harus staf {proposal.agency_code}."]},
        )
