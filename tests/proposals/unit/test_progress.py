"""The progress line (issue 16): every stage has its step along the main path, and every stage
that is not final names a next step and who takes it, taken from the contract's transitions."""

from __future__ import annotations

import pytest

from services.proposals.contract.progress import MAIN_PATH, progress
from services.proposals.contract.stages import FINAL_STAGES, STAGES, TRANSITIONS


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_a_step_and_the_next_step_is_a_real_transition(stage):
    line = progress(stage, "DINSOS", "evaluation")
    assert 1 <= line["step"] <= line["of"] == len(MAIN_PATH) == 10
    assert line["text"].startswith(f"Tahap {line['step']} dari 10: ")
    assert [s["state"] for s in line["steps"]].count("current") == (0 if line["finished"] else 1)
    if stage in FINAL_STAGES:
        assert line["next"] is None and (line["ended"] or line["finished"])
    else:
        step = TRANSITIONS[line["next"]["action"]]
        assert stage in step.sources and step.label == line["next"]["label"]
        assert "Selanjutnya" in line["text"] and line["next"]["actor"] in line["text"]


@pytest.mark.parametrize(
    ("stage", "step", "action", "actor"),
    [
        ("draft", 1, "submit", "Pemohon"),
        ("submitted", 2, "complete", "Bagian Kesra"),
        ("returned", 2, "resubmit", "Pemohon"),
        ("evaluation", 3, "recommend", "Verifikator OPD DINSOS"),
        ("deferred", 4, "accept", "TAPD"),
        ("approved", 6, "sign_agreement", "OPD DINSOS"),
        ("agreement_signed", 7, "disburse", "BPKAD"),
        ("lpj_overdue", 8, "submit_lpj", "Pemohon"),
        ("lpj_submitted", 9, "verify_lpj", "Verifikator OPD DINSOS"),
    ],
)
def test_the_next_step_and_who_takes_it(stage, step, action, actor):
    line = progress(stage, "DINSOS")
    assert (line["step"], line["next"]["action"], line["next"]["actor"]) == (step, action, actor)


def test_an_ended_proposal_keeps_the_step_it_ended_on():
    assert progress("withdrawn", "DINSOS", "recommended")["step"] == 4
    assert progress("withdrawn", "DINSOS", "returned")["step"] == 2
    assert progress("withdrawn", "DINSOS", None)["step"] == 2
    assert progress("rejected", "DINSOS")["ended"] is True
    done = progress("lpj_verified", "DINSOS")
    assert done["finished"] and {s["state"] for s in done["steps"]} == {"done"}
