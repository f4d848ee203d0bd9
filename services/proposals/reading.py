"""Reading proposals: one with its private details, the caller's own, a staff queue, the audit
log; and the private view every other entrypoint answers with."""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.errors import Forbidden
from servicekit.payloads import load
from services.proposals import printing, standing, store
from services.proposals.audit import verify_chain
from services.proposals.contract.payloads import PageQuerySchema, QueueQuerySchema
from services.proposals.desk import Desk
from services.proposals.guards import (
    STAFF,
    require_auditor,
    require_private_access,
    sees_applicant,
)
from services.proposals.lifecycle import available_actions, queue_stages
from services.proposals.models import Proposal
from services.proposals.views import private_view


def get_proposal(desk: Desk, public_id: str) -> dict:
    proposal = store.get_proposal(desk.db, public_id)
    require_private_access(desk, proposal)
    return private(desk, proposal)


def my_proposals(desk: Desk, query: dict | None) -> dict:
    desk.actor.require_login()
    params = load(PageQuerySchema(), query, "Parameter kueri tidak valid.")
    applicants = store.fetch_applicants_of(desk.db, desk.actor.user_id)
    proposals, total = store.fetch_of_applicants(
        desk.db, [a.id for a in applicants], params["page"], params["per_page"]
    )
    return page(desk, proposals, total, params)


def queue(desk: Desk, query: dict | None) -> dict:
    desk.actor.require_role(*STAFF)
    if not desk.actor.agency:
        raise Forbidden("Akun staf Anda tidak terikat pada OPD.")
    params = load(QueueQuerySchema(), query, "Parameter kueri tidak valid.")
    pairs = queue_stages(desk.actor, desk.rules.agencies)
    proposals, total = store.fetch_queue(
        desk.db, pairs, params["stage"], params["page"], params["per_page"]
    )
    return page(desk, proposals, total, params)


def audit_log(desk: Desk, public_id: str) -> dict:
    proposal = store.get_proposal(desk.db, public_id)
    require_auditor(desk, proposal)
    entries = store.fetch_audit(desk.db, proposal.id)
    return {
        "public_id": proposal.public_id,
        "head": proposal.audit_head,
        "entries": [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "action": e.action,
                "actor_user_id": e.actor_user_id,
                "actor_roles": e.actor_roles or [],
                "actor_agency": e.actor_agency,
                "data": e.data or {},
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ],
    }


def verify_audit(desk: Desk, public_id: str) -> dict:
    proposal = store.get_proposal(desk.db, public_id)
    require_auditor(desk, proposal)
    verdict = verify_chain(store.fetch_audit(desk.db, proposal.id), proposal.audit_head)
    return {"public_id": proposal.public_id} | verdict.as_dict()


def private(desk: Desk, proposal: Proposal, personal: bool | None = None) -> dict:
    """The proposal as its applicant or the staff handling it see it, with the steps the
    caller may take now; `personal` as the caller saw it (default: as they may now)."""
    desk.db.flush()
    timeline = store.fetch_timeline(desk.db, [proposal.id])[proposal.id]
    checks = store.fetch_field_checks(desk.db, proposal.id)
    view = private_view(
        proposal,
        timeline,
        checks,
        store.fetch_declarations(desk.db, proposal.id),
        standing.papers(desk.db, [proposal])[proposal.id],
        personal=sees_applicant(desk, proposal) if personal is None else personal,
    )
    mine = (
        store.get_declaration(desk.db, proposal.id, desk.actor.user_id)
        if desk.actor.user_id is not None
        else None
    )
    actions = available_actions(
        proposal.stage, desk.actor, desk.rules.agencies, proposal.agency_code
    )
    return view | {
        "waiting_days": waiting_days(proposal),
        "printables": printing.available(proposal, checks),
        "my_declaration": mine.decision if mine else None,
        "actions": [
            {
                "action": t.action,
                "label": t.label,
                "note_required": t.note_required,
                "needs_declaration": t.needs_declaration,
                "requires": list(t.requires),
            }
            for t in actions
        ],
    }


def page(desk: Desk, proposals: list[Proposal], total: int, params: dict) -> dict:
    timelines = store.fetch_timeline(desk.db, [p.id for p in proposals])
    papers = standing.papers(desk.db, proposals)
    return {
        "items": [
            private_view(p, timelines[p.id], [], [], papers[p.id], personal=sees_applicant(desk, p))
            | {"waiting_days": waiting_days(p)}
            for p in proposals
        ],
        "page": params["page"],
        "per_page": params["per_page"],
        "total": total,
    }


def waiting_days(proposal: Proposal) -> float:
    return round((datetime.now(UTC) - proposal.stage_since).total_seconds() / 86400, 2)
