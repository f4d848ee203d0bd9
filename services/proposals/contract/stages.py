"""The stages of a hibah or bansos proposal, their labels, every action and who may take it.

Defined once, here in the contract; the rules that apply them are services.proposals.lifecycle.

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
