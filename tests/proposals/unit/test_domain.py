"""The rules of Serang Open in plain Python: the state machine, eligibility, the hash chain."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.proposals.audit import GENESIS, entry_hash, verify_chain
from services.proposals.contract.catalogue import CATEGORIES, checklist
from services.proposals.contract.stages import STAGES, TRANSITIONS
from services.proposals.dependencies import load_rules
from services.proposals.eligibility import Facts, check, is_exempt
from services.proposals.lifecycle import (
    Agencies,
    authorize,
    next_actors,
    plan,
    queue_routing,
    queue_stages,
)

AGENCIES = Agencies()


def staff(role: str, agency: str) -> Actor:
    return Actor(user_id=7, roles=frozenset({role}), agency=agency)


# --- the state machine ----------------------------------------------------------------------


def test_every_stage_is_reachable_from_a_draft():
    reached, frontier = {"draft"}, ["draft"]
    while frontier:
        stage = frontier.pop()
        for t in TRANSITIONS.values():
            if stage in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(STAGES)


def test_only_final_stages_have_no_way_out():
    dead_ends = {s for s in STAGES if not any(s in t.sources for t in TRANSITIONS.values())}
    assert dead_ends == {"not_recommended", "rejected", "withdrawn", "lpj_verified"}


def test_steps_out_of_order_are_conflicts():
    with pytest.raises(Conflict) as found:
        plan("disburse", "submitted", None)
    assert "stage" in found.value.errors
    assert plan("complete", "submitted", None).target == "evaluation"


@pytest.mark.parametrize("action", ["return", "not_recommend", "defer", "reject", "withdraw"])
def test_negative_decisions_need_a_reason(action):
    stage = next(iter(TRANSITIONS[action].sources))
    with pytest.raises(Invalid) as found:
        plan(action, stage, "  ")
    assert "note" in found.value.errors


def test_the_system_step_cannot_be_asked_for():
    with pytest.raises(Invalid):
        plan("mark_lpj_overdue", "disbursed", None)


def test_role_and_agency_are_both_checked():
    recommend = TRANSITIONS["recommend"]
    authorize(recommend, staff("verifier", "DISPORA"), AGENCIES, "DISPORA", False)
    with pytest.raises(Forbidden) as wrong_agency:
        authorize(recommend, staff("verifier", "DINSOS"), AGENCIES, "DISPORA", False)
    assert "agency" in wrong_agency.value.errors
    with pytest.raises(Forbidden) as wrong_role:
        authorize(recommend, staff("officer", "DISPORA"), AGENCIES, "DISPORA", False)
    assert "roles" in wrong_role.value.errors
    with pytest.raises(Forbidden):
        authorize(
            TRANSITIONS["accept"], staff("budget_team", "DISPORA"), AGENCIES, "DISPORA", False
        )
    authorize(TRANSITIONS["accept"], staff("budget_team", "BPKAD"), AGENCIES, "DISPORA", False)


def test_only_the_applicant_takes_the_applicants_steps():
    citizen = Actor(user_id=3, roles=frozenset({"citizen"}))
    authorize(TRANSITIONS["submit"], citizen, AGENCIES, "DISPORA", True)
    with pytest.raises(Forbidden):
        authorize(TRANSITIONS["submit"], citizen, AGENCIES, "DISPORA", False)
    with pytest.raises(Forbidden):
        authorize(
            TRANSITIONS["submit_lpj"], staff("verifier", "DISPORA"), AGENCIES, "DISPORA", False
        )


def test_the_fixed_agencies_come_from_config():
    moved = Agencies(admin="SETDA-KESRA", budget="BPKAD")
    with pytest.raises(Forbidden):
        authorize(TRANSITIONS["complete"], staff("verifier", "KESRA"), moved, "DISPORA", False)
    authorize(TRANSITIONS["complete"], staff("verifier", "SETDA-KESRA"), moved, "DISPORA", False)


def test_verifier_and_budget_team_decisions_need_a_declaration():
    needing = {a for a, t in TRANSITIONS.items() if t.needs_declaration}
    assert {"recommend", "not_recommend", "accept", "defer", "reject", "verify_lpj"} <= needing
    assert all(TRANSITIONS[a].actor.roles in (("verifier",), ("budget_team",)) for a in needing)


def test_queues_follow_the_state_machine():
    kesra = dict(queue_stages(staff("verifier", "KESRA"), AGENCIES))
    assert {"submitted", "accepted"} <= set(kesra) and kesra["submitted"] is None
    dinsos = queue_stages(staff("verifier", "DINSOS"), AGENCIES)
    assert ("evaluation", "DINSOS") in dinsos and ("lpj_submitted", "DINSOS") in dinsos
    tapd = {s for s, _ in queue_stages(staff("budget_team", "BPKAD"), AGENCIES)}
    assert tapd == {"recommended", "deferred", "agreement_signed"}
    assert queue_stages(staff("officer", "DLH"), AGENCIES) == [("approved", "DLH")]


def test_events_name_whose_queue_a_proposal_reached():
    routing = queue_routing("evaluation", "DINSOS", AGENCIES)
    assert routing["queue_agency_verifier"] == "DINSOS"
    assert routing["queue_agency_officer"] is None and routing["next_actor_agency"] == "DINSOS"
    assert queue_routing("recommended", "DINSOS", AGENCIES)["queue_agency_budget_team"] == "BPKAD"
    returned = queue_routing("returned", "DINSOS", AGENCIES)
    assert returned["next_actor_label"] == "Pemohon" and returned["queue_agency_verifier"] is None
    assert next_actors("lpj_verified") == []


def test_every_category_names_an_agency_and_every_kind_has_a_checklist():
    assert all(c.agency and c.kinds for c in CATEGORIES.values())
    assert {"akta_pendirian", "sk_kemenkumham"} <= set(checklist("hibah", "organisation"))
    assert "sktm" in checklist("bansos", "individual")
    assert checklist("bansos", "individual", "unplanned") == ("laporan_kejadian",)


def test_configuration_is_read_and_checked():
    rules = load_rules({"PROPOSALS_LPJ_DEADLINE": "02-15", "PROPOSALS_HIBAH_EXEMPT": "KONI, PMI"})
    assert rules.lpj_due(2026).isoformat() == "2027-02-15"
    assert rules.exempt == ("KONI", "PMI")
    from servicekit.config import ConfigError

    with pytest.raises(ConfigError):
        load_rules({"PROPOSALS_LPJ_DEADLINE": "13-40"})


# --- eligibility ----------------------------------------------------------------------------

GOOD = Facts(
    kind="hibah",
    budget_year=2027,
    applicant_kind="organisation",
    applicant_name="Yayasan Al-Ikhlas Cikande",
    legal_form="yayasan",
    legal_entity_number="AHU-0001234.AH.01.04",
    domicile_inside=True,
    bank_account_number="0012345678",
    bank_account_name="YAYASAN AL IKHLAS CIKANDE",
    required_documents=("surat_permohonan", "npwp"),
    uploaded_documents=frozenset({"surat_permohonan", "npwp"}),
    overdue_lpj=(),
    hibah_years=frozenset(),
)


def rules_failed(facts: Facts) -> list[str]:
    return [f.rule for f in check(facts)]


def test_an_eligible_organisation_passes_every_rule():
    assert check(GOOD) == []


def test_each_rule_is_reported_on_its_own():
    assert rules_failed(replace(GOOD, uploaded_documents=frozenset({"npwp"}))) == ["dokumen"]
    assert rules_failed(replace(GOOD, domicile_inside=False)) == ["domisili"]
    assert rules_failed(replace(GOOD, legal_form="ormas")) == ["badan_hukum"]
    assert rules_failed(replace(GOOD, legal_entity_number=" ")) == ["badan_hukum"]
    assert rules_failed(replace(GOOD, bank_account_name="H. Ahmad Fauzi")) == ["rekening"]
    assert rules_failed(replace(GOOD, bank_account_number=None)) == ["rekening"]
    assert rules_failed(replace(GOOD, overdue_lpj=("SO-2025-000001",))) == ["lpj"]
    assert rules_failed(replace(GOOD, hibah_years=frozenset({2026}))) == ["hibah_berturut"]
    assert rules_failed(replace(GOOD, hibah_years=frozenset({2025}))) == []


def test_all_failures_are_reported_together():
    bad = replace(GOOD, domicile_inside=False, legal_form="ormas", overdue_lpj=("SO-1",))
    assert rules_failed(bad) == ["domisili", "badan_hukum", "lpj"]


def test_hibah_is_for_organisations_and_bansos_for_people_needs_no_legal_entity():
    person = replace(GOOD, applicant_kind="individual", legal_form=None, legal_entity_number=None)
    assert rules_failed(person) == ["jenis_pemohon"]
    assert rules_failed(replace(person, kind="bansos")) == []


@pytest.mark.parametrize(
    "name, exempt",
    [
        ("KONI Kabupaten Serang", True),
        ("Palang Merah Indonesia Kab. Serang", True),
        ("Kwartir Cabang Gerakan Pramuka Serang", True),
        ("Dewan Pengurus KORPRI Kabupaten Serang", True),
        ("Yayasan Konica Sejahtera", False),
        ("Perkumpulan Pemuda Desa", False),
    ],
)
def test_bodies_named_by_law_may_receive_hibah_every_year(name, exempt):
    assert is_exempt(name, ("KONI", "Palang Merah Indonesia", "PMI", "Pramuka", "KORPRI")) is exempt
    facts = replace(
        GOOD, applicant_name=name, bank_account_name=name, hibah_years=frozenset({2026})
    )
    assert ("hibah_berturut" in rules_failed(facts)) is not exempt


# --- the hash chain -------------------------------------------------------------------------


@dataclass
class Entry:
    proposal_id: int
    seq: int
    at: datetime
    action: str
    actor_user_id: int | None
    actor_roles: list
    actor_agency: str | None
    data: dict
    prev_hash: str
    hash: str = ""


def chain(n: int) -> list[Entry]:
    entries, previous = [], GENESIS
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    for seq in range(1, n + 1):
        entry = Entry(
            1,
            seq,
            start + timedelta(minutes=seq),
            f"step{seq}",
            9,
            ["verifier"],
            "DINSOS",
            {"amount": seq * 1000},
            previous,
        )
        entry.hash = entry_hash(**{k: v for k, v in vars(entry).items() if k != "hash"})
        entries.append(entry)
        previous = entry.hash
    return entries


def test_an_untouched_chain_verifies():
    entries = chain(5)
    verdict = verify_chain(entries, entries[-1].hash)
    assert verdict.ok and verdict.entries == 5 and verdict.broken_at is None


def test_a_changed_entry_breaks_the_chain_where_it_was_changed():
    entries = chain(5)
    entries[2].data = {"amount": 999_999}
    verdict = verify_chain(entries, entries[-1].hash)
    assert not verdict.ok and verdict.broken_at == 3


def test_a_rehashed_entry_breaks_the_link_to_the_next_one():
    entries = chain(5)
    entries[1].actor_user_id = 1  # changed, and its own hash recomputed to match
    entries[1].hash = entry_hash(**{k: v for k, v in vars(entries[1]).items() if k != "hash"})
    verdict = verify_chain(entries, entries[-1].hash)
    assert not verdict.ok and verdict.broken_at == 3


def test_removed_entries_are_detected_in_the_middle_and_at_the_end():
    entries = chain(5)
    assert verify_chain(entries[:2] + entries[3:], entries[-1].hash).broken_at == 3
    head = entries[-1].hash
    verdict = verify_chain(entries[:-1], head)
    assert not verdict.ok and verdict.broken_at == 5
