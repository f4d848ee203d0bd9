"""The rules of a proposal's life: whether an action may be taken now, by whom, and whose queue
it is in. The stages, their labels and the transitions themselves are the contract's
(services.proposals.contract.stages, with the diagram); the fixed agencies come from config.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.proposals.contract.stages import (
    ADMIN_AGENCY,
    APPLICANT,
    BUDGET_AGENCY,
    RESPONSIBLE,
    STAGE_LABELS,
    STAGES,
    SYSTEM,
    TRANSITIONS,
    ActorSpec,
    Transition,
)


@dataclass(frozen=True)
class Agencies:
    """The fixed agencies of the process (config): Bagian Kesra and BPKAD by default."""

    admin: str = "KESRA"
    budget: str = "BPKAD"

    def resolve(self, spec: ActorSpec, responsible: str) -> str | None:
        return {RESPONSIBLE: responsible, ADMIN_AGENCY: self.admin, BUDGET_AGENCY: self.budget}.get(
            spec.agency, spec.agency
        )


def plan(action: str, stage: str, note: str | None) -> Transition:
    """The transition for `action` from `stage`; 409 out of order, 422 without a needed note."""
    transition = TRANSITIONS.get(action)
    if transition is None or transition.actor is SYSTEM:
        raise Invalid(
            "Tindakan tidak dikenal.",
            {"action": [f"Pilih salah satu: {', '.join(sorted(TRANSITIONS))}."]},
        )
    if stage not in transition.sources:
        allowed = ", ".join(STAGE_LABELS[s] for s in STAGES if s in transition.sources)
        raise Conflict(
            f"Tindakan '{action}' tidak dapat dilakukan pada usulan berstatus "
            f"{STAGE_LABELS[stage]}.",
            {"stage": [f"Harus berstatus: {allowed}."]},
        )
    if transition.note_required and not (note or "").strip():
        raise Invalid("Alasan atau catatan wajib diisi.", {"note": ["Tuliskan alasannya."]})
    return transition


def authorize(
    transition: Transition,
    actor: Actor,
    agencies: Agencies,
    responsible_agency: str,
    is_applicant: bool,
) -> None:
    """Role *and* agency: a verifier of another OPD is refused like a citizen is."""
    actor.require_login()
    spec = transition.actor
    if spec is APPLICANT:
        if not is_applicant:
            raise Forbidden("Hanya pemohon usulan ini yang dapat melakukan tindakan ini.")
        return
    if not actor.has_role(*spec.roles):
        raise Forbidden(
            f"Tindakan '{transition.action}' hanya untuk {spec.label}.",
            {"roles": [f"Diperlukan salah satu peran: {', '.join(spec.roles)}."]},
        )
    agency = agencies.resolve(spec, responsible_agency)
    if actor.agency != agency:
        raise Forbidden(
            f"Tindakan '{transition.action}' hanya untuk {spec.label} {agency}.",
            {"agency": [f"Harus staf {agency}."]},
        )


def next_actors(stage: str) -> list[ActorSpec]:
    """Who can move a proposal on from `stage` (whose queue it is in), the applicant aside."""
    seen: list[ActorSpec] = []
    for transition in TRANSITIONS.values():
        if (
            stage in transition.sources
            and transition.actor not in (APPLICANT, SYSTEM)
            and transition.actor not in seen
        ):
            seen.append(transition.actor)
    return seen


def available_actions(
    stage: str, actor: Actor, agencies: Agencies, responsible: str
) -> list[Transition]:
    """The staff steps `actor` may take now: what `authorize` would let through, by role and
    agency (a missing declaration or field check is still checked when acting)."""
    return [
        t
        for t in TRANSITIONS.values()
        if stage in t.sources
        and t.actor not in (APPLICANT, SYSTEM)
        and actor.has_role(*t.actor.roles)
        and agencies.resolve(t.actor, responsible) == actor.agency
    ]


def queue_stages(actor: Actor, agencies: Agencies) -> list[tuple[str, str | None]]:
    """(stage, agency filter) pairs the actor can act on: None = any responsible agency."""
    pairs = []
    for stage in STAGES:
        for spec in next_actors(stage):
            if not actor.has_role(*spec.roles):
                continue
            if spec.agency == RESPONSIBLE:
                if actor.agency:
                    pairs.append((stage, actor.agency))
            elif agencies.resolve(spec, "") == actor.agency:
                pairs.append((stage, None))
    return pairs


def queue_routing(stage: str, responsible: str, agencies: Agencies) -> dict:
    """Event fields that route "it is in your queue now" messages, per role (None: nobody)."""
    routing = {
        "queue_agency_verifier": None,
        "queue_agency_officer": None,
        "queue_agency_budget_team": None,
    }
    actors = next_actors(stage)
    if not actors and any(
        stage in t.sources and t.actor is APPLICANT and t.action != "withdraw"
        for t in TRANSITIONS.values()
    ):
        actors = [APPLICANT]
    for spec in actors:
        agency = agencies.resolve(spec, responsible)
        for role in spec.roles:
            key = f"queue_agency_{role}"
            if key in routing and routing[key] is None:
                routing[key] = agency
    first = actors[0] if actors else None
    return routing | {
        "next_actor_role": first.roles[0] if first else None,
        "next_actor_agency": agencies.resolve(first, responsible)
        if first and first.agency
        else None,
        "next_actor_label": first.label if first else None,
    }
