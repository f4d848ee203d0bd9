"""Who may see or touch a proposal or an applicant profile: the checks every entrypoint runs
first. Personal-data rules themselves are access.py's; these apply them to stored rows."""

from __future__ import annotations

from servicekit.errors import Conflict, Forbidden
from services.proposals import store
from services.proposals.access import sees_any, staff_sees_applicant
from services.proposals.contract.stages import DRAFT
from services.proposals.desk import Desk
from services.proposals.models import Applicant, Proposal

STAFF = ("verifier", "officer", "budget_team")


def require_member(desk: Desk, proposal: Proposal) -> None:
    if not store.is_member(proposal.applicant, desk.actor.user_id):
        raise Forbidden("Usulan ini bukan milik Anda.", {"id": ["Anda bukan pemohon usulan ini."]})


def handles(desk: Desk, proposal: Proposal) -> bool:
    agencies = desk.rules.agencies
    return desk.actor.has_role(*STAFF) and desk.actor.agency in (
        proposal.agency_code,
        agencies.admin,
        agencies.budget,
    )


def require_private_access(desk: Desk, proposal: Proposal) -> None:
    desk.actor.require_login()
    if store.is_member(proposal.applicant, desk.actor.user_id):
        return
    if desk.actor.has_role("admin") or (proposal.stage != DRAFT and handles(desk, proposal)):
        return
    raise Forbidden(
        "Usulan ini bukan milik Anda; data publiknya ada di /api/v1/registry/proposals.",
        {"id": ["Hanya pemohon dan petugas yang menangani yang dapat melihat rincian ini."]},
    )


def sees_applicant(desk: Desk, proposal: Proposal) -> bool:
    """The applicant's private details: its members, and staff per access.py."""
    return store.is_member(proposal.applicant, desk.actor.user_id) or staff_sees_applicant(
        desk.actor, desk.rules.agencies, proposal.stage, proposal.agency_code
    )


def require_auditor(desk: Desk, proposal: Proposal) -> None:
    desk.actor.require_login()
    if desk.actor.has_role("admin", "auditor"):  # Inspektorat reads every log, drafts too
        return
    if not (proposal.stage != DRAFT and handles(desk, proposal)):
        raise Forbidden("Log audit hanya untuk auditor dan petugas yang menangani usulan.")


def require_declaration(desk: Desk, proposal: Proposal) -> None:
    declaration = store.get_declaration(desk.db, proposal.id, desk.actor.user_id)
    if declaration is None:
        raise Conflict(
            "Nyatakan dahulu bahwa Anda tidak memiliki konflik kepentingan atas usulan ini.",
            {"declaration": ["Belum ada pernyataan konflik kepentingan."]},
        )
    if declaration.decision == "recused":
        raise Forbidden(
            "Anda telah mengundurkan diri dari usulan ini karena konflik kepentingan.",
            {"declaration": ["recused"]},
        )


def staff_sees(desk: Desk, applicant: Applicant) -> bool:
    if desk.actor.has_role("admin"):
        return True
    stages = store.proposal_stages_of(desk.db, applicant.id)
    return sees_any(desk.actor, desk.rules.agencies, stages)


def own_applicant(desk: Desk, applicant_id: int) -> Applicant:
    """An applicant the caller acts for: 403 for staff who may see it, 404 for anyone else."""
    desk.actor.require_login()
    applicant = store.get_applicant(desk.db, applicant_id)
    if store.is_member(applicant, desk.actor.user_id):
        return applicant
    if staff_sees(desk, applicant):
        raise Forbidden(
            "Profil pemohon ini bukan milik Anda.",
            {"applicant_id": ["Anda bukan pengelola pemohon ini."]},
        )
    raise store.applicant_not_found(applicant_id)
