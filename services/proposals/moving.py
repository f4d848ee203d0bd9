"""Moving a proposal from stage to stage: the public timeline, the audit log and the event, in
one place (every step, by a person or the system, goes through `move`); and the LPJ sweep."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from servicekit.context import Actor
from services.proposals import store
from services.proposals.contract.stages import SYSTEM, TRANSITIONS, Transition
from services.proposals.desk import Desk
from services.proposals.lifecycle import queue_routing
from services.proposals.models import Proposal, StageChange
from services.proposals.views import event_facts

log = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")
CALLER = "caller"


def move(
    desk: Desk,
    proposal: Proposal,
    transition: Transition,
    note: str | None,
    details: dict,
    now: datetime,
    actor: Actor | None | str = CALLER,
) -> None:
    """Take `transition`; `actor` None for the system (the audit log names nobody)."""
    actor = desk.actor if actor == CALLER else actor
    previous = proposal.stage
    proposal.stage = transition.target
    proposal.stage_since = proposal.updated_at = now
    proposal.stage_note = note
    if transition.action == "submit" and proposal.submitted_at is None:
        proposal.submitted_at = now
    amount = details.get("amount")
    record(desk, proposal, transition.action, previous, transition.target, note, amount, now)
    store.append_audit(
        desk.db,
        proposal,
        transition.action,
        actor,
        {"from": previous, "to": transition.target, "note": note} | details,
        now,
    )
    if transition.action in ("submit", "resubmit"):
        publish_submitted(desk, proposal, transition.action)
    else:
        desk.outbox.add(
            "proposals.stage_changed",
            **facts(desk, proposal),
            from_stage=previous,
            action=transition.action,
            action_label=transition.label,
            note=note,
            amount=details.get("amount"),
            actor_agency=actor.agency if actor is not None else None,
        )
    log.info(
        "proposal moved",
        extra={"public_id": proposal.public_id, "from": previous, "to": proposal.stage},
    )


def record(
    desk: Desk,
    proposal: Proposal,
    action: str,
    previous: str | None,
    target: str,
    note: str | None,
    amount: int | None,
    now: datetime,
) -> None:
    """A line of the public timeline (the actor by agency or role, never by name)."""
    transition = TRANSITIONS.get(action)
    spec = transition.actor if transition else None
    if spec is None or spec is SYSTEM:
        label = "Sistem" if spec is SYSTEM else (desk.actor.agency or "Petugas")
    elif spec.agency is None:
        label = "Pemohon"
    else:
        label = desk.actor.agency or spec.label
    store.add_stage_change(
        desk.db,
        proposal,
        StageChange(
            proposal_id=proposal.id,
            at=now,
            action=action,
            from_stage=previous,
            to_stage=target,
            actor_label=label,
            actor_user_id=desk.actor.user_id if spec is not SYSTEM else None,
            actor_role=None,
            actor_agency=desk.actor.agency if spec is not SYSTEM else None,
            note=note,
            amount=amount,
        ),
    )


def facts(desk: Desk, proposal: Proposal) -> dict:
    return event_facts(proposal) | queue_routing(
        proposal.stage, proposal.agency_code, desk.rules.agencies
    )


def publish_submitted(desk: Desk, proposal: Proposal, action: str) -> None:
    desk.outbox.add("proposals.submitted", **facts(desk, proposal), action=action)


def sweep_lpj(desk: Desk) -> None:
    """Remind recipients before the LPJ deadline; mark the LPJ overdue once it has passed."""
    today = datetime.now(WIB).date()
    horizon = today + timedelta(days=max(desk.rules.reminder_days, default=0))
    now = datetime.now(UTC)
    for proposal in store.fetch_lpj_due(desk.db, horizon, 500):
        if proposal.lpj_due < today:
            move(desk, proposal, TRANSITIONS["mark_lpj_overdue"], None, {}, now, actor=None)
            continue
        days_left = (proposal.lpj_due - today).days
        crossed = sum(1 for d in desk.rules.reminder_days if days_left <= d)
        if crossed > (proposal.lpj_reminders_sent or 0):
            proposal.lpj_reminders_sent = crossed
            desk.outbox.add(
                "proposals.lpj_reminder_due", **facts(desk, proposal), days_left=days_left
            )
