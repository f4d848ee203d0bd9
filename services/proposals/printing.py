"""A proposal's printable documents, from its record: the field-check report (berita acara),
the regional grant agreement (NPHD) with the approved amount, and the receipt (kuitansi) the
recipient signs for the disbursement. The gateway renders them as A4 PDFs
(gateway/proposals/printing.py); this module says what each shows, to whom, and from when.

Who: the applicant's members and the staff who may see the proposal (guards.py), as for the
proposal itself. The applicant's private details (address, NIK, bank account, NPWP, the
names of its responsible people, an individual's name) only for those who may see them now
(access.py); the others get the document with those left out.
When: a berita acara once a field check is recorded; the NPHD once the regent's decree has
awarded the money; the kuitansi once the NPHD is signed (it is what asks for the payment).
"""

from __future__ import annotations

from servicekit.errors import Conflict, Invalid
from services.proposals import store
from services.proposals.contract.catalogue import INDIVIDUAL, KIND_LABELS
from services.proposals.contract.stages import (
    AGREEMENT_SIGNED,
    AWARDED_STAGES,
    LPJ_STAGES,
    STAGE_LABELS,
)
from services.proposals.desk import Desk
from services.proposals.guards import require_private_access, sees_applicant
from services.proposals.models import Applicant, FieldCheck, Proposal
from services.proposals.views import recipient_name

BERITA_ACARA, NPHD, KUITANSI = "berita-acara", "nphd", "kuitansi"
DOCUMENTS = (BERITA_ACARA, NPHD, KUITANSI)
LABELS = {
    BERITA_ACARA: "Berita acara verifikasi lapangan",
    NPHD: "Naskah perjanjian hibah daerah (NPHD)",
    KUITANSI: "Kuitansi penerimaan",
}
RECEIPT_STAGES = frozenset({AGREEMENT_SIGNED}) | LPJ_STAGES


def printable(desk: Desk, public_id: str, document: str) -> dict:
    """What `document` of the proposal shows: 422 for an unknown document, 404/403 as for the
    proposal, 409 while the proposal has not reached the stage where the document exists."""
    if document not in DOCUMENTS:
        raise Invalid(
            "Dokumen cetak tidak dikenal.",
            {"document": [f"Pilih salah satu: {', '.join(DOCUMENTS)}."]},
        )
    proposal = store.get_proposal(desk.db, public_id)
    require_private_access(desk, proposal)
    checks = store.fetch_field_checks(desk.db, proposal.id)
    require_stage(proposal, document, checks)
    personal = sees_applicant(desk, proposal)
    return {
        "document": document,
        "public_id": proposal.public_id,
        "kind": proposal.kind,
        "kind_label": KIND_LABELS[proposal.kind],
        "budget_year": proposal.budget_year,
        "title": proposal.title,
        "purpose": proposal.purpose if personal or proposal.applicant.kind != INDIVIDUAL else None,
        "activities": proposal.activities,
        "agency": proposal.agency_code,
        "stage": proposal.stage,
        "stage_label": STAGE_LABELS[proposal.stage],
        "desa": proposal.desa_name,
        "kecamatan": proposal.kecamatan_name,
        "requested_amount": proposal.requested_amount,
        "recommended_amount": proposal.recommended_amount,
        "approved_amount": proposal.approved_amount,
        "disbursed_amount": proposal.disbursed_amount,
        "amount": amount_of(proposal, document),
        "decree_number": proposal.decree_number,
        "decree_date": iso(proposal.decree_date),
        "nphd_number": proposal.nphd_number,
        "nphd_date": iso(proposal.nphd_date),
        "disbursed_on": iso(proposal.disbursed_on),
        "sp2d_ref": proposal.sp2d_ref if personal else None,
        "cost_lines": proposal.cost_lines or [],
        "personal": personal,
        "recipient": recipient(proposal.applicant, personal),
        "field_checks": [field_check(c) for c in checks] if document == BERITA_ACARA else [],
    }


def available(proposal: Proposal, checks: list[FieldCheck]) -> list[dict]:
    """The printable documents that exist at the proposal's stage, with their addresses."""
    found = []
    for document in DOCUMENTS:
        try:
            require_stage(proposal, document, checks)
        except Conflict:
            continue
        url = f"/api/v1/proposals/{proposal.public_id}/print/{document}.pdf"
        found.append({"document": document, "label": LABELS[document], "url": url})
    return found


def require_stage(proposal: Proposal, document: str, checks: list[FieldCheck]) -> None:
    if document == BERITA_ACARA and not checks:
        raise Conflict(
            "Berita acara verifikasi lapangan belum ada: verifikasi lapangan belum dicatat.",
            {"document": ["Belum ada verifikasi lapangan untuk usulan ini."]},
        )
    if document == NPHD and proposal.stage not in AWARDED_STAGES:
        raise Conflict(
            "NPHD baru dapat dicetak setelah usulan ditetapkan dalam Keputusan Bupati.",
            {"stage": [f"Tahap sekarang: {STAGE_LABELS[proposal.stage]}."]},
        )
    if document == KUITANSI and proposal.stage not in RECEIPT_STAGES:
        raise Conflict(
            "Kuitansi baru dapat dicetak setelah NPHD ditandatangani.",
            {"stage": [f"Tahap sekarang: {STAGE_LABELS[proposal.stage]}."]},
        )


def amount_of(proposal: Proposal, document: str) -> int | None:
    """The amount a document is about: the kuitansi's what is paid (or, before the SP2D,
    what the decree awards); the NPHD's the decree's; the berita acara's the request (or the
    verifier's recommendation once made)."""
    if document == KUITANSI:
        return proposal.disbursed_amount or proposal.approved_amount
    if document == NPHD:
        return proposal.approved_amount
    return proposal.recommended_amount or proposal.requested_amount


def recipient(applicant: Applicant, personal: bool) -> dict:
    """Who receives the money; its private details only for those who may see them now."""
    people = applicant.responsible_people or []
    chair = people[0] if people else {}
    shown = {
        "kind": applicant.kind,
        "name": applicant.name if personal else recipient_name(applicant),
        "desa": applicant.desa_name,
        "kecamatan": applicant.kecamatan_name,
        "legal_form": applicant.legal_form,
    }
    if not personal:
        return shown | dict.fromkeys(PRIVATE_RECIPIENT_FIELDS)
    return shown | {
        "address": applicant.address,
        "nik": applicant.nik if applicant.kind == INDIVIDUAL else None,
        "legal_entity_number": applicant.legal_entity_number,
        "npwp": applicant.npwp,
        "bank_name": applicant.bank_name,
        "bank_account_number": applicant.bank_account_number,
        "bank_account_name": applicant.bank_account_name,
        "chair_name": chair.get("name"),
        "chair_position": chair.get("position"),
    }


PRIVATE_RECIPIENT_FIELDS = (
    "address",
    "nik",
    "legal_entity_number",
    "npwp",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
    "chair_name",
    "chair_position",
)


def field_check(check: FieldCheck) -> dict:
    return {
        "checked_on": check.checked_on.isoformat(),
        "findings": check.findings,
        "photos": len(check.photo_ids or []),
        "officer_agency": check.officer_agency,
        "signature": check.signature,
        "signed_at": check.created_at.isoformat(),
    }


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
