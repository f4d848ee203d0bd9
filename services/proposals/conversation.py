"""The conversation on a proposal (issue 16): its applicant's members and the staff who may see
its applicant (access.py: the OPD handling it, Kesra and BPKAD at the stages they act on,
admins) read it and write to it. A new message reaches the other side by the notifications
service (event `proposals.message_posted`, ids and public facts only) and is chained into the
proposal's audit log by its id, side and the SHA-256 of its text: the audit log is read by
staff who may not see the applicant's details, so the text itself stays out of it, yet any
later change of a message shows against its hash.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select

from servicekit.errors import Conflict, Forbidden, Invalid
from servicekit.payloads import load
from services.proposals import store
from services.proposals.contract.messages import MessageInSchema
from services.proposals.contract.stages import DRAFT
from services.proposals.desk import Desk
from services.proposals.guards import sees_applicant
from services.proposals.models import Proposal, ProposalMessage
from services.proposals.views import event_facts

ROLE_LABELS = {
    "admin": "Admin",
    "verifier": "Verifikator",
    "officer": "Petugas",
    "budget_team": "Tim anggaran",
}


def messages(desk: Desk, public_id: str) -> list[dict]:
    proposal = store.get_proposal(desk.db, public_id)
    side_of(desk, proposal)
    return [view(desk, m) for m in fetch(desk, proposal)]


def post_message(desk: Desk, public_id: str, payload: dict) -> dict:
    data = load(MessageInSchema(), payload)
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    side = side_of(desk, proposal)
    body = data["body"].strip()
    if not body:
        raise Invalid("Pesan kosong.", {"body": ["Tulis pesannya."]})
    if proposal.stage == DRAFT:
        raise Conflict(
            "Percakapan dengan petugas dimulai setelah usulan diajukan.",
            {"stage": [proposal.stage]},
        )
    role = (
        next((r for r in ROLE_LABELS if desk.actor.has_role(r)), None) if side == "staff" else None
    )
    now = datetime.now(UTC)
    message = ProposalMessage(
        proposal_id=proposal.id,
        side=side,
        author_user_id=desk.actor.user_id,
        author_role=role,
        author_agency=desk.actor.agency if side == "staff" else None,
        body=body,
        created_at=now,
    )
    to_agency = None if side == "staff" else staff_agency(desk, proposal)
    desk.db.add(message)
    desk.db.flush()
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    audit = {"message_id": message.id, "side": side, "body_sha256": digest}
    store.append_audit(desk.db, proposal, "message", desk.actor, audit, now)
    desk.outbox.add(
        "proposals.message_posted",
        **event_facts(proposal),
        message_id=message.id,
        from_side=side,
        to_user_id=proposal.created_by if side == "staff" else None,
        to_agency=to_agency,
    )
    return view(desk, message)


def side_of(desk: Desk, proposal: Proposal) -> str:
    """The caller's side of the conversation; 403 for anyone not in it."""
    desk.actor.require_login()
    if store.is_member(proposal.applicant, desk.actor.user_id):
        return "applicant"
    if proposal.stage != DRAFT and sees_applicant(desk, proposal):
        return "staff"
    raise Forbidden(
        "Percakapan usulan ini hanya untuk pemohon dan petugas yang menanganinya.",
        {"id": ["Anda tidak termasuk dalam percakapan usulan ini."]},
    )


def fetch(desk: Desk, proposal: Proposal) -> list[ProposalMessage]:
    query = select(ProposalMessage).where(ProposalMessage.proposal_id == proposal.id)
    return list(desk.db.scalars(query.order_by(ProposalMessage.id)))


def staff_agency(desk: Desk, proposal: Proposal) -> str:
    """Whom an applicant's message is for: the agency of the staff member who wrote last, else
    the OPD handling the proposal."""
    last = desk.db.scalar(
        select(ProposalMessage.author_agency)
        .where(ProposalMessage.proposal_id == proposal.id, ProposalMessage.side == "staff")
        .where(ProposalMessage.author_agency.is_not(None))
        .order_by(ProposalMessage.id.desc())
        .limit(1)
    )
    return last or proposal.agency_code


def author(message: ProposalMessage) -> str:
    if message.side == "applicant":
        return "Pemohon"
    label = ROLE_LABELS.get(message.author_role or "", "Petugas")
    return f"{label} {message.author_agency}" if message.author_agency else label


def view(desk: Desk, message: ProposalMessage) -> dict:
    return {
        "id": message.id,
        "side": message.side,
        "author": author(message),
        "mine": message.author_user_id == desk.actor.user_id,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }
