"""What a proposal looks like to the public, to its applicant and staff, on the bus, and in the
open-data export (360Giving field names).

Public means: no NIK, phone, email, address of a person, bank account, NPWP, SP2D reference or
document file. An individual bansos recipient is shown by initials and desa only, and their
map point is rounded to about a kilometre.
"""

from __future__ import annotations

from datetime import date, datetime

from services.proposals.contract.catalogue import (
    BANSOS_TYPE_LABELS,
    CATEGORIES,
    DOCUMENT_TYPES,
    INDIVIDUAL,
    KIND_LABELS,
)
from services.proposals.contract.opendata import FUNDER_ID, FUNDER_NAME
from services.proposals.contract.progress import progress
from services.proposals.contract.replies import EXPORT_FIELDS
from services.proposals.contract.stages import (
    DISBURSED,
    LPJ_OVERDUE,
    LPJ_STAGES,
    LPJ_SUBMITTED,
    LPJ_VERIFIED,
    STAGE_LABELS,
    TRANSITIONS,
)
from services.proposals.models import Applicant, Declaration, FieldCheck, Proposal, StageChange

PUBLISHER_PREFIX = "360G-kabserang"
INDIVIDUAL_POINT_DECIMALS = 2  # ~1.1 km: a person's home is never pinned on a public map


def initials(name: str) -> str:
    return ".".join(part[0].upper() for part in name.split() if part[:1].isalpha()) + "."


def recipient_name(applicant: Applicant) -> str:
    if applicant.kind == INDIVIDUAL:
        return initials(applicant.name)
    return applicant.name


def public_point(proposal: Proposal) -> tuple[float, float]:
    if proposal.applicant.kind == INDIVIDUAL:
        return (
            round(proposal.lat, INDIVIDUAL_POINT_DECIMALS),
            round(proposal.lon, INDIVIDUAL_POINT_DECIMALS),
        )
    return proposal.lat, proposal.lon


def lpj_status(proposal: Proposal) -> str | None:
    if proposal.stage not in LPJ_STAGES:
        return None
    return {
        DISBURSED: "menunggu",
        LPJ_SUBMITTED: "diserahkan",
        LPJ_OVERDUE: "terlambat",
        LPJ_VERIFIED: "diverifikasi",
    }[proposal.stage]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def timeline_view(entries: list[StageChange]) -> list[dict]:
    return [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "action_label": TRANSITIONS[e.action].label if e.action in TRANSITIONS else e.action,
            "from_stage": e.from_stage,
            "to_stage": e.to_stage,
            "actor": e.actor_label,
            "note": e.note,
            "amount": e.amount,
        }
        for e in entries
    ]


def public_view(proposal: Proposal, timeline: list[StageChange]) -> dict:
    applicant = proposal.applicant
    lat, lon = public_point(proposal)
    is_person = applicant.kind == INDIVIDUAL
    return {
        "public_id": proposal.public_id,
        "kind": proposal.kind,
        "kind_label": KIND_LABELS[proposal.kind],
        "bansos_type": proposal.bansos_type,
        "bansos_type_label": BANSOS_TYPE_LABELS.get(proposal.bansos_type or ""),
        "budget_year": proposal.budget_year,
        "title": proposal.title,
        "purpose": None if is_person else proposal.purpose,
        "category": proposal.category,
        "category_name": CATEGORIES[proposal.category].name,
        "agency": proposal.agency_code,
        "recipient_name": recipient_name(applicant),
        "recipient_type": applicant.kind,
        "desa": proposal.desa_name,
        "desa_code": proposal.desa_code,
        "kecamatan": proposal.kecamatan_name,
        "kecamatan_code": proposal.kecamatan_code,
        "lat": lat,
        "lon": lon,
        "requested_amount": proposal.requested_amount,
        "recommended_amount": proposal.recommended_amount,
        "accepted_amount": proposal.accepted_amount,
        "approved_amount": proposal.approved_amount,
        "disbursed_amount": proposal.disbursed_amount,
        "decree_number": proposal.decree_number,
        "decree_date": _iso(proposal.decree_date),
        "nphd_number": proposal.nphd_number,
        "nphd_date": _iso(proposal.nphd_date),
        "disbursed_on": _iso(proposal.disbursed_on),
        "stage": proposal.stage,
        "stage_label": STAGE_LABELS[proposal.stage],
        "stage_since": proposal.stage_since.isoformat(),
        "stage_note": proposal.stage_note,
        "submitted_at": _iso(proposal.submitted_at),
        "lpj_status": lpj_status(proposal),
        "lpj_due": _iso(proposal.lpj_due),
        "timeline": timeline_view(timeline),
        "progress": progress(proposal.stage, proposal.agency_code, withdrawn_from(timeline)),
    }


def withdrawn_from(timeline: list[StageChange]) -> str | None:
    return timeline[-1].from_stage if timeline else None


def applicant_view(applicant: Applicant) -> dict:
    return {
        "id": applicant.id,
        "kind": applicant.kind,
        "name": applicant.name,
        "legal_form": applicant.legal_form,
        "legal_entity_number": applicant.legal_entity_number,
        "sk_kepengurusan": applicant.sk_kepengurusan,
        "established_on": _iso(applicant.established_on),
        "address": applicant.address,
        "lat": applicant.lat,
        "lon": applicant.lon,
        "domicile_inside": applicant.domicile_inside,
        "desa": applicant.desa_name,
        "desa_code": applicant.desa_code,
        "kecamatan": applicant.kecamatan_name,
        "kecamatan_code": applicant.kecamatan_code,
        "nik": applicant.nik,
        "phone": applicant.phone,
        "email": applicant.email,
        "npwp": applicant.npwp,
        "bank_name": applicant.bank_name,
        "bank_account_number": applicant.bank_account_number,
        "bank_account_name": applicant.bank_account_name,
        "responsible_people": applicant.responsible_people or [],
        "member_user_ids": sorted(m.user_id for m in applicant.members),
        "updated_at": applicant.updated_at.isoformat(),
    }


def document_url(proposal: Proposal, document_id: int) -> str:
    return f"/api/v1/proposals/{proposal.public_id}/documents/{document_id}"


def withheld_applicant_view(applicant: Applicant) -> dict:
    """An applicant for staff who may follow the proposal but not see its applicant's private
    details at this stage (see access.py): what the registry shows, and the id."""
    return {
        "id": applicant.id,
        "kind": applicant.kind,
        "name": recipient_name(applicant),
        "desa": applicant.desa_name,
        "desa_code": applicant.desa_code,
        "kecamatan": applicant.kecamatan_name,
        "kecamatan_code": applicant.kecamatan_code,
    }


def private_view(
    proposal: Proposal,
    timeline: list[StageChange],
    field_checks: list[FieldCheck],
    declarations: list[Declaration],
    papers: dict,
    personal: bool = True,
) -> dict:
    """For the applicant's members and the staff handling it: everything, with its checklist
    and the standing documents it rests on (`papers`, from standing.papers).

    With `personal` False (staff who follow it but may not see the applicant now), the
    applicant's private details, its documents (its own and the profile's), the exact point of
    a person's home, the reporter of an emergency and the payment reference are left out.
    """
    view = public_view(proposal, timeline) | {
        "activities": proposal.activities,
        "cost_lines": proposal.cost_lines or [],
        "integrity_pact": proposal.integrity_pact,
        "applicant_withheld": not personal,
        "checklist": papers["checklist"],
        "field_checks": [
            {
                "id": f.id,
                "checked_on": f.checked_on.isoformat(),
                "findings": f.findings,
                "photo_ids": f.photo_ids or [],
                "officer_agency": f.officer_agency,
                "signature": f.signature,
                "created_at": f.created_at.isoformat(),
            }
            for f in field_checks
        ],
        "declarations": [
            {
                "user_id": d.user_id,
                "role": d.role,
                "agency": d.agency,
                "decision": d.decision,
                "note": d.note,
                "declared_at": d.declared_at.isoformat(),
            }
            for d in declarations
        ],
    }
    if not personal:
        return view | {
            "sp2d_ref": None,
            "source_note": None,
            "applicant": withheld_applicant_view(proposal.applicant),
            "documents": [],
            "standing_documents": [],
        }
    return view | {
        "lat": proposal.lat,
        "lon": proposal.lon,
        "purpose": proposal.purpose,
        "sp2d_ref": proposal.sp2d_ref,
        "source_note": proposal.source_note,
        "applicant": applicant_view(proposal.applicant),
        "documents": [
            {
                "id": d.id,
                "doc_type": d.doc_type,
                "name": DOCUMENT_TYPES[d.doc_type].name,
                "content_type": d.content_type,
                "size": d.size,
                "filename": d.filename,
                "uploaded_at": d.uploaded_at.isoformat(),
                "url": document_url(proposal, d.id),
            }
            for d in proposal.documents
        ],
        "standing_documents": papers["standing_documents"],
    }


def event_facts(proposal: Proposal) -> dict:
    """The public facts every proposals event carries, plus who applied (an id) and the OPD."""
    lat, lon = public_point(proposal)
    return {
        "proposal_id": proposal.id,
        "public_id": proposal.public_id,
        "kind": proposal.kind,
        "kind_label": KIND_LABELS[proposal.kind],
        "bansos_type": proposal.bansos_type,
        "budget_year": proposal.budget_year,
        "title": proposal.title,
        "recipient_name": recipient_name(proposal.applicant),
        "recipient_type": proposal.applicant.kind,
        "category": proposal.category,
        "agency": proposal.agency_code,
        "stage": proposal.stage,
        "stage_label": STAGE_LABELS[proposal.stage],
        "requested_amount": proposal.requested_amount,
        "recommended_amount": proposal.recommended_amount,
        "approved_amount": proposal.approved_amount,
        "disbursed_amount": proposal.disbursed_amount,
        "lat": lat,
        "lon": lon,
        "kecamatan_code": proposal.kecamatan_code,
        "kecamatan_name": proposal.kecamatan_name,
        "desa_code": proposal.desa_code,
        "desa_name": proposal.desa_name,
        "submitted_at": proposal.submitted_at,
        "lpj_due": _iso(proposal.lpj_due),
        "applicant_user_id": proposal.created_by,
    }


def _stage_date(timeline: list[StageChange], action: str) -> str | None:
    found = [e.at for e in timeline if e.action == action]
    return found[-1].date().isoformat() if found else None


def grant_row(proposal: Proposal, timeline: list[StageChange]) -> dict:
    """One grant in 360Giving's flat (CSV) field names; extensions are marked with a prefix."""
    applicant = proposal.applicant
    is_person = applicant.kind == INDIVIDUAL
    recipient_id = f"{PUBLISHER_PREFIX}-{'IND' if is_person else 'ORG'}-{applicant.id}"
    return {
        "Identifier": f"{PUBLISHER_PREFIX}-{proposal.public_id}",
        "Title": proposal.title,
        "Description": None if is_person else proposal.purpose,
        "Currency": "IDR",
        "Amount Applied For": proposal.requested_amount,
        "Amount Recommended": proposal.recommended_amount,
        "Amount Awarded": proposal.approved_amount,
        "Amount Disbursed": proposal.disbursed_amount,
        "Application Date": proposal.submitted_at.date().isoformat()
        if proposal.submitted_at
        else None,
        "Recommendation Date": _stage_date(timeline, "recommend"),
        "Award Date": _iso(proposal.decree_date),
        "Disbursement Date": _iso(proposal.disbursed_on),
        "Recipient Org:Identifier": None if is_person else recipient_id,
        "Recipient Org:Name": None if is_person else applicant.name,
        "Recipient Ind:Identifier": recipient_id if is_person else None,
        "Recipient Ind:Name": initials(applicant.name) if is_person else None,
        "Beneficiary Location:Name": ", ".join(
            p for p in (proposal.desa_name, proposal.kecamatan_name) if p
        )
        or None,
        "Beneficiary Location:Geographic Code": proposal.desa_code,
        "Beneficiary Location:Geographic Code Type": "KEMENDAGRI-DESA",
        "Beneficiary Location:Kecamatan": proposal.kecamatan_name,
        "Funding Org:Identifier": FUNDER_ID,
        "Funding Org:Name": FUNDER_NAME,
        "Funding Org:Department": proposal.agency_code,
        "Grant Programme:Code": proposal.kind,
        "Grant Programme:Title": KIND_LABELS[proposal.kind]
        + (f" ({BANSOS_TYPE_LABELS[proposal.bansos_type]})" if proposal.bansos_type else ""),
        "Budget Year": proposal.budget_year,
        "Stage": proposal.stage,
        "Stage Label": STAGE_LABELS[proposal.stage],
        "Decree Number": proposal.decree_number,
        "Agreement Number": proposal.nphd_number,
        "LPJ Status": lpj_status(proposal),
        "Last Modified": proposal.updated_at.isoformat(),
        "Data Source": "Serang Open",
    }


def export_fields() -> list[str]:
    """CSV column order: the keys of grant_row, in order (the public contract's allow-list)."""
    return list(EXPORT_FIELDS)
