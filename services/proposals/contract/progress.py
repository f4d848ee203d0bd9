"""The progress line of a proposal: "tahap x dari n" along the main path of its lifecycle, with
what happens next and who acts, derived from the stages and transitions of contract/stages.py.

A side stage sits on the step of the main path it belongs to: returned on "submitted" (the
applicant fixes it), deferred on "recommended" (TAPD decides again), LPJ overdue on "disbursed".
A stage where the process ended (not recommended, rejected, withdrawn) keeps the step it ended
on; a withdrawn proposal the step it was withdrawn from (the timeline's last `from_stage`).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from services.proposals.contract.stages import (
    ACCEPTED,
    AGREEMENT_SIGNED,
    APPROVED,
    DEFERRED,
    DISBURSED,
    DRAFT,
    EVALUATION,
    FINAL_STAGES,
    LPJ_OVERDUE,
    LPJ_SUBMITTED,
    LPJ_VERIFIED,
    NOT_RECOMMENDED,
    RECOMMENDED,
    REJECTED,
    RESPONSIBLE,
    RETURNED,
    STAGE_LABELS,
    SUBMITTED,
    SYSTEM,
    TRANSITIONS,
    WITHDRAWN,
    Transition,
)

MAIN_PATH = (
    DRAFT,
    SUBMITTED,
    EVALUATION,
    RECOMMENDED,
    ACCEPTED,
    APPROVED,
    AGREEMENT_SIGNED,
    DISBURSED,
    LPJ_SUBMITTED,
    LPJ_VERIFIED,
)
ON_STEP_OF = {
    RETURNED: SUBMITTED,
    DEFERRED: RECOMMENDED,
    LPJ_OVERDUE: DISBURSED,
    NOT_RECOMMENDED: EVALUATION,
    REJECTED: RECOMMENDED,
}
# The applicant may always withdraw before the decree: a way out, not the next step.
SIDE_ACTIONS = frozenset({"withdraw"})


class NextStepSchema(Schema):
    action = fields.String()
    label = fields.String(metadata={"example": "Administrasi lengkap"})
    actor = fields.String(metadata={"example": "Bagian Kesra"})


class ProgressStepSchema(Schema):
    stage = fields.String()
    label = fields.String()
    state = fields.String(metadata={"enum": ["done", "current", "todo"]})


class ProgressSchema(Schema):
    """Where the proposal is along its lifecycle, and what happens next."""

    step = fields.Integer(metadata={"example": 3})
    of = fields.Integer(metadata={"example": len(MAIN_PATH)})
    label = fields.String(metadata={"example": "Tahap 3 dari 10"})
    stage_label = fields.String()
    ended = fields.Boolean(metadata={"description": "the process stopped before the end"})
    finished = fields.Boolean(metadata={"description": "the LPJ is verified: nothing is left"})
    next = fields.Nested(NextStepSchema, allow_none=True)
    text = fields.String(
        metadata={
            "example": "Tahap 3 dari 10: Evaluasi oleh OPD. Selanjutnya: Direkomendasikan "
            "(oleh Verifikator OPD DINSOS)."
        }
    )
    steps = fields.List(fields.Nested(ProgressStepSchema))


def actor_label(transition: Transition, agency: str | None) -> str:
    if transition.actor.agency == RESPONSIBLE and agency:
        return f"{transition.actor.label} {agency}"
    return transition.actor.label


def next_transition(stage: str) -> Transition | None:
    """The step that takes the proposal on along the main path (or back onto it)."""
    here = MAIN_PATH.index(ON_STEP_OF.get(stage, stage))
    for transition in TRANSITIONS.values():
        if stage not in transition.sources or transition.actor is SYSTEM:
            continue
        if transition.action in SIDE_ACTIONS or transition.target not in MAIN_PATH:
            continue
        if MAIN_PATH.index(transition.target) >= here:
            return transition
    return None


def progress(stage: str, agency: str | None = None, withdrawn_from: str | None = None) -> dict:
    """The progress line of a proposal at `stage`, handled by `agency`."""
    if stage == WITHDRAWN:
        where = ON_STEP_OF.get(withdrawn_from or SUBMITTED, withdrawn_from or SUBMITTED)
        where = where if where in MAIN_PATH else SUBMITTED
    else:
        where = ON_STEP_OF.get(stage, stage)
    step, total = MAIN_PATH.index(where) + 1, len(MAIN_PATH)
    ended, finished = stage in FINAL_STAGES and stage != LPJ_VERIFIED, stage == LPJ_VERIFIED
    upcoming = None if stage in FINAL_STAGES else next_transition(stage)
    following = (
        {
            "action": upcoming.action,
            "label": upcoming.label,
            "actor": actor_label(upcoming, agency),
        }
        if upcoming
        else None
    )
    label = f"Tahap {step} dari {total}"
    text = f"{label}: {STAGE_LABELS[stage]}."
    if following:
        text += f" Selanjutnya: {following['label']} (oleh {following['actor']})."
    elif ended:
        text += " Proses usulan ini telah berhenti."
    elif finished:
        text += " Seluruh tahap telah selesai."
    current = step - 1
    return {
        "step": step,
        "of": total,
        "label": label,
        "stage_label": STAGE_LABELS[stage],
        "ended": ended,
        "finished": finished,
        "next": following,
        "text": text,
        "steps": [
            {
                "stage": s,
                "label": STAGE_LABELS[s],
                "state": "done"
                if i < current or finished
                else ("current" if i == current else "todo"),
            }
            for i, s in enumerate(MAIN_PATH)
        ],
    }
