"""An organisation's standing documents (issue 16): the deed and its ministry decree, the board's
decree, the NPWP, the chair's KTP and the domicile letter live on its profile with their
validity, are reused by every proposal's checklist, and a submitted proposal records which
version of each it used.

Who: the applicant's members keep them (upload a new version; the one before stays as
history, never deleted) and read them; the staff who may see the applicant (access.py: the OPD
handling one of its submitted proposals, Kesra and BPKAD at the stages they act on) and admins
read them; anyone else is told the applicant does not exist. The gateway asks
`check_standing_upload` before it stores the file, then calls `add_standing_document` (which
checks again, under the applicant's lock).

Plain functions of a Desk (desk.py); ProposalsService declares the RPCs. The rules of whether
an item counts are completeness.py's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from servicekit.dates import tanggal
from servicekit.errors import Conflict, Invalid, NotFound
from servicekit.payloads import load
from services.proposals import store
from services.proposals.completeness import (
    Held,
    Item,
    assess,
    problem,
    used_versions,
)
from services.proposals.contract.catalogue import (
    DOCUMENT_TYPES,
    ORGANISATION,
    STANDING_KINDS,
    checklist,
)
from services.proposals.contract.payloads import DocumentSchema
from services.proposals.contract.stages import DRAFT, RETURNED
from services.proposals.contract.standing import STATUS_LABELS, StandingUploadSchema
from services.proposals.desk import Desk
from services.proposals.guards import own_applicant, staff_sees
from services.proposals.models import (
    Applicant,
    ApplicantDocument,
    Proposal,
    ProposalStandingDocument,
)

WIB = ZoneInfo("Asia/Jakarta")
EDITABLE = frozenset({DRAFT, RETURNED})  # their checklist reads the profile as it is now
NOT_KEPT = "Belum diunggah ke profil lembaga."


def today() -> date:
    return datetime.now(WIB).date()


# --- the profile's documents ----------------------------------------------------------------


def standing_documents(desk: Desk, applicant_id: int) -> dict:
    """Each kind with its version now and whether it holds today, and the replaced versions."""
    applicant = readable_applicant(desk, applicant_id)
    return listing(desk.db, applicant)


def check_standing_upload(desk: Desk, applicant_id: int, payload: dict) -> dict:
    """May the caller keep this document on the profile? Raises what add_standing_document
    would (404, 403, 409, 422) before any file is stored."""
    applicant, data = checked(desk, applicant_id, payload)
    return {"applicant_id": applicant.id, "kind": data["kind"], "allowed": True}


def add_standing_document(desk: Desk, applicant_id: int, payload: dict, blob: dict) -> dict:
    """Keep a stored file (checked by the gateway) as its kind's version now; the version
    before is marked replaced and kept. Each submitted proposal's audit log notes it."""
    file = load(DocumentSchema(), blob)
    applicant, data = checked(desk, applicant_id, payload)
    store.lock_applicant(desk.db, applicant.id)
    now = datetime.now(UTC)
    before = current_of(desk.db, applicant.id).get(data["kind"])
    document = ApplicantDocument(
        applicant_id=applicant.id,
        kind=data["kind"],
        blob_key=file["key"],
        content_type=file["content_type"],
        size=file["size"],
        sha256=file["sha256"],
        filename=file["filename"],
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        uploaded_by=desk.actor.user_id,
        uploaded_at=now,
    )
    desk.db.add(document)
    desk.db.flush()
    if before is not None:
        before.replaced_at, before.replaced_by_id = now, document.id
    change = {
        "kind": document.kind,
        "document_id": document.id,
        "sha256": document.sha256,
        "valid_until": iso(document.valid_until),
        "replaces": before.id if before is not None else None,
    }
    for proposal in store.proposals_of_applicant(desk.db, applicant.id):
        if proposal.stage != DRAFT:
            store.append_audit(desk.db, proposal, "standing_document", desk.actor, change, now)
    desk.db.flush()
    return listing(desk.db, applicant)


def get_standing_document(desk: Desk, applicant_id: int, document_id: int) -> dict:
    """Where a version's file is (a replaced one too), for those who may see the applicant."""
    applicant = readable_applicant(desk, applicant_id)
    document = desk.db.get(ApplicantDocument, document_id)
    if document is None or document.applicant_id != applicant.id:
        raise NotFound("Berkas tidak ditemukan.", {"document_id": [str(document_id)]})
    return {
        "blob_key": document.blob_key,
        "content_type": document.content_type,
        "filename": document.filename,
    }


def readable_applicant(desk: Desk, applicant_id: int) -> Applicant:
    desk.actor.require_login()
    applicant = store.get_applicant(desk.db, applicant_id)
    if not (store.is_member(applicant, desk.actor.user_id) or staff_sees(desk, applicant)):
        raise store.applicant_not_found(applicant_id)
    return applicant


def checked(desk: Desk, applicant_id: int, payload: dict) -> tuple[Applicant, dict]:
    """The caller's own organisation (403 for staff who may see it, 404 for anyone else),
    then the document's kind and validity (422 naming the field)."""
    applicant = own_applicant(desk, applicant_id)
    if applicant.kind != ORGANISATION:
        raise Conflict(
            "Dokumen tetap hanya untuk profil lembaga; pemohon perorangan mengunggah berkasnya "
            "pada setiap usulan.",
            {"applicant_id": ["Pemohon ini perorangan."]},
        )
    data = load(StandingUploadSchema(), payload, "Data dokumen tidak valid.")
    end = data["valid_until"]
    if end is not None and end < today():
        raise Invalid(
            "Dokumen ini sudah tidak berlaku.",
            {"valid_until": [f"Sudah lewat ({tanggal(end)}); unggah yang masih berlaku."]},
        )
    return applicant, data


def listing(session: Session, applicant: Applicant) -> dict:
    versions = versions_of(session, applicant.id)
    current = {d.kind: d for d in versions if d.replaced_at is None}
    day = today()
    items = []
    for kind in STANDING_KINDS.values() if applicant.kind == ORGANISATION else ():
        document = current.get(kind.code)
        why = problem(held(document), day) if document is not None else NOT_KEPT
        status = "missing" if document is None else ("expired" if why else "valid")
        items.append(
            {
                "kind": kind.code,
                "name": kind.name,
                "validity": kind.validity,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "reason": why,
                "document": document_view(document) if document is not None else None,
            }
        )
    history = [document_view(d) for d in versions if d.replaced_at is not None]
    return {"applicant_id": applicant.id, "items": items, "history": history}


# --- a proposal's checklist -----------------------------------------------------------------


def papers(session: Session, proposals: list[Proposal]) -> dict[int, dict]:
    """Each proposal's checklist (what counts, from where, why not) and the standing documents
    it rests on: the versions recorded when it was submitted, or, while its applicant may still
    change it (a draft, a returned proposal), the profile's now."""
    organisations = [p.applicant_id for p in proposals if p.applicant.kind == ORGANISATION]
    current = current_versions(session, organisations)
    recorded = recorded_versions(session, [p.id for p in proposals if p.stage not in EDITABLE])
    day, found = today(), {}
    for proposal in proposals:
        rows = recorded.get(proposal.id) or current.get(proposal.applicant_id, {})
        items = assessed(proposal, rows, day)
        found[proposal.id] = {
            "checklist": [item_view(i) for i in items],
            "standing_documents": [
                document_view(rows[i.doc_type]) for i in items if i.held and not i.copy
            ],
        }
    return found


def assess_now(session: Session, proposal: Proposal) -> tuple[list[Item], dict]:
    """The checklist against the profile as it is now (on submitting), and its versions."""
    rows = current_versions(session, [proposal.applicant_id]).get(proposal.applicant_id, {})
    if proposal.applicant.kind != ORGANISATION:
        rows = {}
    return assessed(proposal, rows, today()), rows


def record_used(
    session: Session, proposal: Proposal, items: list[Item], rows: dict, now: datetime
) -> list[dict]:
    """Record the profile's versions a proposal is submitted with (replacing those of an
    earlier submission); what the audit log keeps of them."""
    session.execute(
        delete(ProposalStandingDocument).where(ProposalStandingDocument.proposal_id == proposal.id)
    )
    used = []
    for version in used_versions(items):
        document = rows[version.kind]
        session.add(
            ProposalStandingDocument(
                proposal_id=proposal.id,
                kind=version.kind,
                applicant_document_id=document.id,
                recorded_at=now,
            )
        )
        used.append({"kind": version.kind, "document_id": document.id, "sha256": document.sha256})
    session.flush()
    return used


def assessed(proposal: Proposal, rows: dict, day: date) -> list[Item]:
    required = checklist(proposal.kind, proposal.applicant.kind, proposal.bansos_type)
    uploaded = frozenset(d.doc_type for d in proposal.documents)
    versions = {kind: held(row) for kind, row in rows.items()}
    return assess(required, uploaded, versions, proposal.budget_year, day)


# --- data access ----------------------------------------------------------------------------


def versions_of(session: Session, applicant_id: int) -> list[ApplicantDocument]:
    """Every version of an applicant's standing documents, newest first."""
    query = select(ApplicantDocument).where(ApplicantDocument.applicant_id == applicant_id)
    return list(session.scalars(query.order_by(ApplicantDocument.id.desc())))


def current_of(session: Session, applicant_id: int) -> dict[str, ApplicantDocument]:
    return current_versions(session, [applicant_id]).get(applicant_id, {})


def current_versions(
    session: Session, applicant_ids: list[int]
) -> dict[int, dict[str, ApplicantDocument]]:
    """The version now of each kind, per applicant."""
    found: dict[int, dict[str, ApplicantDocument]] = {}
    ids = sorted(set(applicant_ids))
    for start in range(0, len(ids), 5000):  # bound the IN list (SQLite's variables)
        query = select(ApplicantDocument).where(
            ApplicantDocument.applicant_id.in_(ids[start : start + 5000]),
            ApplicantDocument.replaced_at.is_(None),
        )
        for document in session.scalars(query.order_by(ApplicantDocument.id)):
            found.setdefault(document.applicant_id, {})[document.kind] = document
    return found


def recorded_versions(
    session: Session, proposal_ids: list[int]
) -> dict[int, dict[str, ApplicantDocument]]:
    """The versions each proposal was submitted with, per proposal."""
    found: dict[int, dict[str, ApplicantDocument]] = {}
    for start in range(0, len(proposal_ids), 5000):
        query = (
            select(ProposalStandingDocument.proposal_id, ApplicantDocument)
            .join(
                ApplicantDocument,
                ApplicantDocument.id == ProposalStandingDocument.applicant_document_id,
            )
            .where(ProposalStandingDocument.proposal_id.in_(proposal_ids[start : start + 5000]))
        )
        for proposal_id, document in session.execute(query):
            found.setdefault(proposal_id, {})[document.kind] = document
    return found


# --- views ----------------------------------------------------------------------------------


def held(document: ApplicantDocument) -> Held:
    return Held(document.kind, document.id, document.valid_from, document.valid_until)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def document_url(applicant_id: int, document_id: int) -> str:
    return f"/api/v1/proposals/applicants/{applicant_id}/documents/{document_id}"


def document_view(document: ApplicantDocument) -> dict:
    return {
        "id": document.id,
        "kind": document.kind,
        "name": STANDING_KINDS[document.kind].name,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "valid_from": iso(document.valid_from),
        "valid_until": iso(document.valid_until),
        "uploaded_at": document.uploaded_at.isoformat(),
        "replaced_at": iso(document.replaced_at),
        "current": document.replaced_at is None,
        "url": document_url(document.applicant_id, document.id),
    }


def item_view(item: Item) -> dict:
    shown = item.held if item.held is not None and not item.copy else None
    return {
        "doc_type": item.doc_type,
        "name": DOCUMENT_TYPES[item.doc_type].name,
        "uploaded": item.satisfied,
        "source": item.source,
        "reason": item.reason,
        "valid_from": iso(shown.valid_from) if shown else None,
        "valid_until": iso(shown.valid_until) if shown else None,
        "standing_document_id": shown.document_id if shown else None,
        "copy": item.copy,
    }
