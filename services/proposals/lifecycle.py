"""The life of a hibah or bansos proposal: every stage, every action, who may take it. Defined once.

draft ─submit→ submitted ─complete (Kesra)→ evaluation ─recommend (OPD verifier)→ recommended
  ▲               │                             │                                    │
  │   returned ←─return (Kesra)                 └─not_recommend→ not_recommended      │
  │      └─resubmit→ submitted                                                        │
  │                                  ┌──────────── accept (TAPD) ←────────────────────┤
  │                                  ▼                                                ├─defer→ deferred
  │                              accepted ─approve (Kesra: SK Bupati)→ approved       └─reject→ rejected
  │                                                                      │
  │            agreement_signed ←─sign_agreement (OPD: NPHD + pakta integritas)
  │                  └─disburse (BPKAD: SP2D)→ disbursed ─submit_lpj (pemohon)→ lpj_submitted
  │                                               │  ▲                              │
  │                             (deadline passed) ▼  └──────return_lpj (OPD)────────┤
  │                                          lpj_overdue ─submit_lpj→ lpj_submitted  └─verify_lpj→ lpj_verified
  withdraw (pemohon): from any stage before the decree → withdrawn
  reverify (system): approved or agreement_signed → evaluation when the applicant's bank
  account or responsible people change after the decree

Each actor is a role *and* an agency: a fixed one (Kesra, BPKAD: from config) or the proposal's
responsible agency (OPD). Actions of a verifier or the budget team need a no-conflict
declaration on the proposal first (see `needs_declaration`).
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid

DRAFT, SUBMITTED, RETURNED, WITHDRAWN = "draft", "submitted", "returned", "withdrawn"
EVALUATION, RECOMMENDED, NOT_RECOMMENDED = "evaluation", "recommended", "not_recommended"
DEFERRED, REJECTED, ACCEPTED, APPROVED = "deferred", "rejected", "accepted", "approved"
AGREEMENT_SIGNED, DISBURSED = "agreement_signed", "disbursed"
LPJ_SUBMITTED, LPJ_VERIFIED, LPJ_OVERDUE = "lpj_submitted", "lpj_verified", "lpj_overdue"

STAGES = (
    DRAFT,
    SUBMITTED,
    RETURNED,
    EVALUATION,
    RECOMMENDED,
    NOT_RECOMMENDED,
    DEFERRED,
    REJECTED,
    ACCEPTED,
    APPROVED,
    AGREEMENT_SIGNED,
    DISBURSED,
    LPJ_SUBMITTED,
    LPJ_OVERDUE,
    LPJ_VERIFIED,
    WITHDRAWN,
)
STAGE_LABELS = {
    DRAFT: "Draf",
    SUBMITTED: "Diajukan (menunggu pemeriksaan administrasi)",
    RETURNED: "Dikembalikan untuk dilengkapi",
    EVALUATION: "Evaluasi oleh OPD",
    RECOMMENDED: "Direkomendasikan (pertimbangan TAPD)",
    NOT_RECOMMENDED: "Tidak direkomendasikan",
    DEFERRED: "Ditunda oleh TAPD",
    REJECTED: "Ditolak",
    ACCEPTED: "Diterima dalam anggaran",
    APPROVED: "Ditetapkan dalam Keputusan Bupati",
    AGREEMENT_SIGNED: "NPHD ditandatangani",
    DISBURSED: "Dana disalurkan (menunggu LPJ)",
    LPJ_SUBMITTED: "LPJ diserahkan",
    LPJ_OVERDUE: "LPJ terlambat",
    LPJ_VERIFIED: "LPJ diverifikasi (selesai)",
    WITHDRAWN: "Ditarik oleh pemohon",
}
FINAL_STAGES = frozenset({NOT_RECOMMENDED, REJECTED, WITHDRAWN, LPJ_VERIFIED})
PRIVATE_STAGES = frozenset({DRAFT})  # never in the registry
# Stages at which the regent's decree has awarded the money.
AWARDED_STAGES = frozenset(
    {APPROVED, AGREEMENT_SIGNED, DISBURSED, LPJ_SUBMITTED, LPJ_OVERDUE, LPJ_VERIFIED}
)
LPJ_STAGES = frozenset({DISBURSED, LPJ_SUBMITTED, LPJ_OVERDUE, LPJ_VERIFIED})


@dataclass(frozen=True)
class ActorSpec:
    """Who may act: one of `roles`, in `agency` ("<responsible>" = the proposal's own OPD)."""

    name: str
    roles: tuple[str, ...]
    agency: str | None  # None: no agency (the applicant, the system)
    label: str


RESPONSIBLE = "<responsible>"
ADMIN_AGENCY = "<admin>"  # Bagian Kesra (PROPOSALS_ADMIN_AGENCY)
BUDGET_AGENCY = "<budget>"  # BPKAD (PROPOSALS_BUDGET_AGENCY)

APPLICANT = ActorSpec("applicant", ("citizen",), None, "Pemohon")
KESRA = ActorSpec("kesra", ("verifier", "officer"), ADMIN_AGENCY, "Bagian Kesra")
OPD_VERIFIER = ActorSpec("opd_verifier", ("verifier",), RESPONSIBLE, "Verifikator OPD")
OPD_STAFF = ActorSpec("opd_staff", ("officer", "verifier"), RESPONSIBLE, "OPD")
TAPD = ActorSpec("tapd", ("budget_team",), BUDGET_AGENCY, "TAPD")
TREASURY = ActorSpec("treasury", ("budget_team", "officer"), BUDGET_AGENCY, "BPKAD")
SYSTEM = ActorSpec("system", (), None, "Sistem")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: ActorSpec
    label: str
    note_required: bool = False
    needs_declaration: bool = False
    # what the action must carry (checked by the service): amount, decree, agreement, ...
    requires: tuple[str, ...] = ()


BEFORE_DECREE = frozenset({SUBMITTED, RETURNED, EVALUATION, RECOMMENDED, DEFERRED, ACCEPTED})
# Awarded but not yet paid: a change of the applicant's bank account or responsible people
# sends the proposal back to the OPD's verification (once paid, it is audited only).
REVERIFIED_STAGES = frozenset({APPROVED, AGREEMENT_SIGNED})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({DRAFT}), SUBMITTED, APPLICANT, "Usulan diajukan"),
        Transition("resubmit", frozenset({RETURNED}), SUBMITTED, APPLICANT, "Diajukan kembali"),
        Transition(
            "withdraw",
            BEFORE_DECREE | {DRAFT},
            WITHDRAWN,
            APPLICANT,
            "Ditarik oleh pemohon",
            note_required=True,
        ),
        Transition("complete", frozenset({SUBMITTED}), EVALUATION, KESRA, "Administrasi lengkap"),
        Transition(
            "return",
            frozenset({SUBMITTED}),
            RETURNED,
            KESRA,
            "Dikembalikan untuk dilengkapi",
            note_required=True,
        ),
        Transition(
            "recommend",
            frozenset({EVALUATION}),
            RECOMMENDED,
            OPD_VERIFIER,
            "Direkomendasikan",
            needs_declaration=True,
            requires=("amount", "field_check"),
        ),
        Transition(
            "not_recommend",
            frozenset({EVALUATION}),
            NOT_RECOMMENDED,
            OPD_VERIFIER,
            "Tidak direkomendasikan",
            note_required=True,
            needs_declaration=True,
            requires=("field_check",),
        ),
        Transition(
            "accept",
            frozenset({RECOMMENDED, DEFERRED}),
            ACCEPTED,
            TAPD,
            "Diterima TAPD dalam anggaran",
            needs_declaration=True,
            requires=("amount",),
        ),
        Transition(
            "defer",
            frozenset({RECOMMENDED}),
            DEFERRED,
            TAPD,
            "Ditunda TAPD",
            note_required=True,
            needs_declaration=True,
        ),
        Transition(
            "reject",
            frozenset({RECOMMENDED, DEFERRED}),
            REJECTED,
            TAPD,
            "Ditolak TAPD",
            note_required=True,
            needs_declaration=True,
        ),
        Transition(
            "approve",
            frozenset({ACCEPTED}),
            APPROVED,
            KESRA,
            "Ditetapkan dalam Keputusan Bupati",
            requires=("amount", "decree"),
        ),
        Transition(
            "sign_agreement",
            frozenset({APPROVED}),
            AGREEMENT_SIGNED,
            OPD_STAFF,
            "NPHD ditandatangani",
            requires=("agreement",),
        ),
        Transition(
            "disburse",
            frozenset({AGREEMENT_SIGNED}),
            DISBURSED,
            TREASURY,
            "Dana disalurkan",
            requires=("amount", "disbursement"),
        ),
        Transition(
            "submit_lpj",
            frozenset({DISBURSED, LPJ_OVERDUE}),
            LPJ_SUBMITTED,
            APPLICANT,
            "LPJ diserahkan",
            requires=("lpj_documents",),
        ),
        Transition(
            "return_lpj",
            frozenset({LPJ_SUBMITTED}),
            DISBURSED,
            OPD_VERIFIER,
            "LPJ dikembalikan untuk diperbaiki",
            note_required=True,
            needs_declaration=True,
        ),
        Transition(
            "verify_lpj",
            frozenset({LPJ_SUBMITTED}),
            LPJ_VERIFIED,
            OPD_VERIFIER,
            "LPJ diverifikasi",
            needs_declaration=True,
        ),
        Transition(
            "reverify",
            REVERIFIED_STAGES,
            EVALUATION,
            SYSTEM,
            "Dikembalikan ke verifikasi OPD: rekening atau pengurus pemohon berubah",
        ),
        Transition(
            "mark_lpj_overdue",
            frozenset({DISBURSED}),
            LPJ_OVERDUE,
            SYSTEM,
            "LPJ melewati batas waktu",
        ),
    )
}
APPLICANT_ACTIONS = frozenset(a for a, t in TRANSITIONS.items() if t.actor is APPLICANT)
STAFF_ACTIONS = tuple(
    a for a, t in TRANSITIONS.items() if t.actor not in (APPLICANT, SYSTEM) and a != "submit"
)
DECISIONS_WITH_AMOUNT = {
    "recommend": "recommended_amount",
    "accept": "accepted_amount",
    "approve": "approved_amount",
    "disburse": "disbursed_amount",
}


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
