"""Acting on a proposal: a step of its lifecycle (with what the step must carry), the field
check, and the declaration of no conflict of interest (or a recusal)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from servicekit.errors import Conflict, Forbidden, Invalid
from servicekit.payloads import load
from services.proposals import rounds, standing, store
from services.proposals.contract.catalogue import DOCUMENT_TYPES, LPJ_DOCUMENTS
from services.proposals.contract.payloads import (
    DeclarationSchema,
    FieldCheckSchema,
    ProposalTransitionSchema,
)
from services.proposals.contract.stages import (
    DECISIONS_WITH_AMOUNT,
    EVALUATION,
    TRANSITIONS,
    Transition,
)
from services.proposals.desk import Desk
from services.proposals.eligibility import Facts, as_errors, check
from services.proposals.guards import require_declaration, require_private_access, sees_applicant
from services.proposals.lifecycle import authorize, plan
from services.proposals.models import Declaration, FieldCheck, Proposal
from services.proposals.moving import move
from services.proposals.reading import private

DECLARING_ROLES = ("verifier", "budget_team")


def transition(desk: Desk, public_id: str, payload: dict) -> dict:
    data = load(ProposalTransitionSchema(), payload)
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    step = plan(data["action"], proposal.stage, data["note"])
    authorize(
        step,
        desk.actor,
        desk.rules.agencies,
        proposal.agency_code,
        store.is_member(proposal.applicant, desk.actor.user_id),
    )
    if step.action == "submit":
        desk.actor.require_verified_email()
    if step.needs_declaration:
        require_declaration(desk, proposal)
    now = datetime.now(UTC)
    details = apply_requirements(desk, step, proposal, data, now)
    if step.action == "submit":
        rounds.require_open(desk, proposal)
    if step.action in ("submit", "resubmit"):
        items, versions = check_eligibility(desk, proposal)
        used = standing.record_used(desk.db, proposal, items, versions, now)
        if used:  # the audit log keeps which version of each it was submitted with
            details["standing_documents"] = used
    personal = sees_applicant(desk, proposal)  # as the actor saw it when acting
    move(desk, proposal, step, data["note"], details, now)
    return private(desk, proposal, personal)


def record_field_check(desk: Desk, public_id: str, payload: dict) -> dict:
    data = load(FieldCheckSchema(), payload)
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    authorize(
        TRANSITIONS["recommend"], desk.actor, desk.rules.agencies, proposal.agency_code, False
    )
    if proposal.stage != EVALUATION:
        raise Conflict(
            "Verifikasi lapangan hanya pada tahap evaluasi.", {"stage": [proposal.stage]}
        )
    require_declaration(desk, proposal)
    photos = {d.id for d in proposal.documents if d.doc_type == "foto_verifikasi"}
    unknown = [p for p in data["photo_ids"] if p not in photos]
    if unknown:
        raise Invalid(
            "Foto verifikasi tidak dikenal.",
            {"photo_ids": [f"Bukan foto verifikasi usulan ini: {unknown}."]},
        )
    now = datetime.now(UTC)
    content = {
        "public_id": proposal.public_id,
        "checked_on": data["checked_on"].isoformat(),
        "findings": data["findings"],
        "photo_ids": sorted(data["photo_ids"]),
        "officer_user_id": desk.actor.user_id,
        "signed_at": now.isoformat(),
    }
    signature = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    desk.db.add(
        FieldCheck(
            proposal_id=proposal.id,
            checked_on=data["checked_on"],
            findings=data["findings"],
            photo_ids=sorted(data["photo_ids"]),
            officer_user_id=desk.actor.user_id,
            officer_agency=desk.actor.agency,
            signature=signature,
            created_at=now,
        )
    )
    store.append_audit(
        desk.db, proposal, "field_check", desk.actor, content | {"signature": signature}, now
    )
    proposal.updated_at = now
    desk.db.flush()
    return private(desk, proposal)


def declare(desk: Desk, public_id: str, payload: dict) -> dict:
    desk.actor.require_role(*DECLARING_ROLES)
    data = load(DeclarationSchema(), payload)
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    require_private_access(desk, proposal)  # not on a draft
    if desk.actor.agency not in (proposal.agency_code, desk.rules.agencies.budget):
        raise Forbidden("Usulan ini tidak ditangani OPD Anda.", {"agency": [proposal.agency_code]})
    if data["decision"] == "recused" and not (data["note"] or "").strip():
        raise Invalid("Sebutkan alasan mengundurkan diri.", {"note": ["Wajib diisi."]})
    existing = store.get_declaration(desk.db, proposal.id, desk.actor.user_id)
    now = datetime.now(UTC)
    if existing is not None:
        if existing.decision == "recused":
            raise Conflict(
                "Anda sudah mengundurkan diri dari usulan ini; pernyataan tidak dapat diubah.",
                {"decision": ["recused"]},
            )
        if data["decision"] == existing.decision:
            return private(desk, proposal)
        existing.decision, existing.note, existing.declared_at = (
            data["decision"],
            data["note"],
            now,
        )
    else:
        desk.db.add(
            Declaration(
                proposal_id=proposal.id,
                user_id=desk.actor.user_id,
                role=next(r for r in DECLARING_ROLES if desk.actor.has_role(r)),
                agency=desk.actor.agency,
                decision=data["decision"],
                note=data["note"],
                declared_at=now,
            )
        )
    store.append_audit(
        desk.db,
        proposal,
        "declaration",
        desk.actor,
        {"decision": data["decision"], "note": data["note"]},
        now,
    )
    desk.db.flush()
    return private(desk, proposal)


def apply_requirements(
    desk: Desk, transition: Transition, proposal: Proposal, data: dict, now: datetime
) -> dict:
    """Check and apply what the action carries; returns the details for the audit log."""
    needs = transition.requires
    details: dict = {}
    if "amount" in needs:
        details["amount"] = checked_amount(transition.action, proposal, data["amount"])
        setattr(proposal, DECISIONS_WITH_AMOUNT[transition.action], details["amount"])
    if "field_check" in needs and not store.fetch_field_checks(desk.db, proposal.id):
        raise Conflict(
            "Catat verifikasi lapangan terlebih dahulu.",
            {"field_check": ["Belum ada berita acara verifikasi lapangan."]},
        )
    missing: dict[str, list[str]] = {}
    for need, keys in (
        ("decree", ("decree_number", "decree_date")),
        ("agreement", ("nphd_number", "nphd_date")),
        ("disbursement", ("disbursed_on", "sp2d_ref")),
    ):
        if need in needs:
            for key in keys:
                if not data.get(key):
                    missing[key] = ["Wajib diisi untuk tindakan ini."]
    if "agreement" in needs and not data["integrity_pact"]:
        missing["integrity_pact"] = ["Pakta integritas penerima wajib ditandatangani."]
    if missing:
        raise Invalid("Data tindakan belum lengkap.", missing)
    if "decree" in needs:
        proposal.decree_number, proposal.decree_date = (
            data["decree_number"],
            data["decree_date"],
        )
        details |= {"decree_number": data["decree_number"]}
    if "agreement" in needs:
        proposal.nphd_number, proposal.nphd_date = data["nphd_number"], data["nphd_date"]
        proposal.integrity_pact = True
        details |= {"nphd_number": data["nphd_number"], "integrity_pact": True}
    if "disbursement" in needs:
        proposal.disbursed_on, proposal.sp2d_ref = data["disbursed_on"], data["sp2d_ref"]
        proposal.lpj_due = desk.rules.lpj_due(proposal.budget_year)
        proposal.lpj_reminders_sent = 0
        details |= {"sp2d_ref": data["sp2d_ref"], "lpj_due": proposal.lpj_due.isoformat()}
    if "lpj_documents" in needs:
        if not any(d.doc_type in LPJ_DOCUMENTS for d in proposal.documents):
            raise Invalid(
                "Unggah laporan pertanggungjawaban terlebih dahulu.",
                {"documents": [f"Belum ada dokumen {DOCUMENT_TYPES['lpj_laporan'].name}."]},
            )
        proposal.lpj_submitted_at = now
    if transition.action == "recommend":
        proposal.recommended_at = now
    elif transition.action == "accept":
        proposal.accepted_at = now
    elif transition.action == "verify_lpj":
        proposal.lpj_verified_at = now
    for key in ("decree_date", "nphd_date", "disbursed_on"):
        if key in needs_keys(needs) and data.get(key):
            details[key] = data[key].isoformat()
    return details


def checked_amount(action: str, proposal: Proposal, amount: int | None) -> int:
    if amount is None:
        raise Invalid("Nilai wajib diisi.", {"amount": ["Wajib diisi (Rupiah)."]})
    limit, name = {
        "recommend": (proposal.requested_amount, "nilai yang diajukan"),
        "accept": (proposal.recommended_amount, "nilai rekomendasi OPD"),
        "approve": (proposal.accepted_amount, "nilai yang diterima TAPD"),
        "disburse": (proposal.approved_amount, "nilai dalam Keputusan Bupati"),
    }[action]
    if limit is not None and amount > limit:
        raise Invalid(
            f"Nilai melebihi {name}.",
            {"amount": [f"Paling banyak Rp{limit:,} ({name}).".replace(",", ".")]},
        )
    return amount


def check_eligibility(desk: Desk, proposal: Proposal) -> tuple[list, dict]:
    """Every rule on submitting; what the checklist rests on (items, the profile's versions)."""
    applicant = proposal.applicant
    items, versions = standing.assess_now(desk.db, proposal)
    facts = Facts(
        kind=proposal.kind,
        budget_year=proposal.budget_year,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        legal_form=applicant.legal_form,
        legal_entity_number=applicant.legal_entity_number,
        domicile_inside=applicant.domicile_inside,
        bank_account_number=applicant.bank_account_number,
        bank_account_name=applicant.bank_account_name,
        required_documents=tuple(i.doc_type for i in items),
        uploaded_documents=frozenset(i.doc_type for i in items if i.satisfied),
        document_reasons=tuple(
            (i.doc_type, i.reason) for i in items if i.source == "profile" and not i.satisfied
        ),
        overdue_lpj=tuple(store.overdue_lpj_of(desk.db, applicant.id)),
        hibah_years=frozenset(store.hibah_years_of(desk.db, applicant.id, proposal.id)),
    )
    failures = check(facts, desk.rules.exempt)
    if failures:
        raise Invalid(
            "Usulan belum memenuhi syarat: " + " ".join(f.message for f in failures),
            as_errors(failures),
            rules=[{"rule": f.rule, "message": f.message} for f in failures],
        )
    return items, versions


def needs_keys(needs: tuple[str, ...]) -> set[str]:
    return {
        key
        for need, keys in (
            ("decree", ("decree_date",)),
            ("agreement", ("nphd_date",)),
            ("disbursement", ("disbursed_on",)),
        )
        if need in needs
        for key in keys
    }
