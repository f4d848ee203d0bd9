"""Eligibility and lifecycle rules that `make mutation` (docs/testing.md) showed no test noticed
changing: what each refusal tells the applicant or the officer, the legal-form words in a bank
account's name, a note that is given, the steps staff are offered, and whose queue a proposal
is in at the stages where nobody on staff acts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.proposals.contract.catalogue import DOCUMENT_TYPES, INDIVIDUAL, ORGANISATION
from services.proposals.contract.stages import (
    FINAL_STAGES,
    STAGE_LABELS,
    STAGES,
    TRANSITIONS,
    ActorSpec,
)
from services.proposals.eligibility import Facts, Failure, account_failures, as_errors, check
from services.proposals.lifecycle import (
    Agencies,
    authorize,
    available_actions,
    plan,
    queue_routing,
)

AGENCIES = Agencies()
ACCOUNT = "0012345678"

GOOD = Facts(
    kind="hibah",
    budget_year=2027,
    applicant_kind=ORGANISATION,
    applicant_name="Yayasan Al-Ikhlas Cikande",
    legal_form="yayasan",
    legal_entity_number="AHU-0001234.AH.01.04",
    domicile_inside=True,
    bank_account_number=ACCOUNT,
    bank_account_name="YAYASAN AL IKHLAS CIKANDE",
    required_documents=("surat_permohonan", "ktp_ketua", "npwp"),
    uploaded_documents=frozenset({"surat_permohonan", "ktp_ketua", "npwp"}),
    overdue_lpj=(),
    hibah_years=frozenset(),
)


def staff(role: str, agency: str) -> Actor:
    return Actor(user_id=7, roles=frozenset({role}), agency=agency)


# --- eligibility ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicant", "account_holder"),
    [
        ("Yayasan Harapan Bangsa", "Harapan Bangsa"),
        ("Harapan Bangsa", "YAYASAN HARAPAN BANGSA"),
        ("Perkumpulan Pemuda Cikande", "Pemuda Cikande"),
        ("Yys. Al Falah", "Al-Falah"),
        ("PT. Maju Jaya", "Maju Jaya"),
        ("CV Sinar Terang", "Sinar Terang"),
    ],
)
def test_a_legal_form_word_does_not_make_the_account_holder_another_body(applicant, account_holder):
    assert account_failures(ORGANISATION, applicant, ACCOUNT, account_holder) == []


def test_the_account_of_someone_else_is_still_refused_with_its_legal_form_words_dropped():
    [failure] = account_failures(ORGANISATION, "Yayasan Harapan Bangsa", ACCOUNT, "Yayasan Bangsa")
    assert failure.rule == "rekening" and failure.message


def test_a_person_and_an_organisation_are_told_different_things_about_the_account_holder():
    [organisation] = account_failures(ORGANISATION, "Yayasan Harapan", ACCOUNT, "H. Ahmad Fauzi")
    [person] = account_failures(INDIVIDUAL, "Siti Aminah", ACCOUNT, "H. Ahmad Fauzi")
    assert organisation.message and person.message
    assert organisation.message != person.message
    [missing] = account_failures(ORGANISATION, "Yayasan Harapan", None, None)
    assert missing.rule == "rekening" and missing.message
    assert missing.message not in (organisation.message, person.message)


def test_the_missing_documents_are_named_and_the_uploaded_ones_are_not():
    facts = replace(GOOD, uploaded_documents=frozenset({"ktp_ketua"}))
    [failure] = check(facts)
    assert failure.rule == "dokumen"
    for code in ("surat_permohonan", "npwp"):
        assert DOCUMENT_TYPES[code].name in failure.message
    assert DOCUMENT_TYPES["ktp_ketua"].name not in failure.message


def test_every_failure_explains_itself():
    organisation = replace(
        GOOD,
        uploaded_documents=frozenset(),
        domicile_inside=None,
        legal_form="ormas",
        bank_account_name="H. Ahmad Fauzi",
        overdue_lpj=("SO-2025-000001",),
        hibah_years=frozenset({2026}),
    )
    person = replace(
        GOOD, applicant_kind=INDIVIDUAL, applicant_name="Siti Aminah", bank_account_number=None
    )
    failures = check(organisation) + check(person)
    assert {f.rule for f in failures} == {
        "dokumen",
        "domisili",
        "badan_hukum",
        "rekening",
        "lpj",
        "hibah_berturut",
        "jenis_pemohon",
    }
    assert all(isinstance(f.message, str) and f.message.strip() for f in failures)


def test_a_legal_entity_without_a_registration_number_fails():
    assert [f.rule for f in check(replace(GOOD, legal_entity_number=None))] == ["badan_hukum"]


def test_the_overdue_reports_and_the_neighbouring_hibah_years_are_named():
    facts = replace(
        GOOD, overdue_lpj=("SO-2025-000007", "SO-2025-000009"), hibah_years={2025, 2026, 2028}
    )
    lpj, neighbours = check(facts)
    assert lpj.rule == "lpj" and "SO-2025-000007" in lpj.message and "SO-2025-000009" in lpj.message
    assert neighbours.rule == "hibah_berturut"
    assert "2026" in neighbours.message and "2028" in neighbours.message
    assert "2025" not in neighbours.message


def test_failures_become_errors_per_rule_in_their_order():
    failures = [Failure("rekening", "a"), Failure("lpj", "b"), Failure("rekening", "c")]
    assert as_errors(failures) == {"rekening": ["a", "c"], "lpj": ["b"]}
    assert as_errors([]) == {}


# --- the lifecycle --------------------------------------------------------------------------

NOTED = sorted(a for a, t in TRANSITIONS.items() if t.note_required)


@pytest.mark.parametrize("action", NOTED)
def test_a_step_that_needs_a_reason_goes_ahead_with_one_and_not_without(action):
    transition = TRANSITIONS[action]
    stage = next(s for s in STAGES if s in transition.sources)
    assert plan(action, stage, "Berkas tidak lengkap") is transition
    with pytest.raises(Invalid) as found:
        plan(action, stage, None)
    assert found.value.message and list(found.value.errors) == ["note"]


def test_an_unknown_step_lists_the_steps_there_are():
    with pytest.raises(Invalid) as found:
        plan("approve_all", "submitted", None)
    assert found.value.message
    [choices] = found.value.errors["action"]
    assert all(action in choices for action in TRANSITIONS)


def test_a_step_out_of_order_names_the_current_stage_and_exactly_the_stages_it_needs():
    with pytest.raises(Conflict) as found:
        plan("accept", "submitted", None)
    assert STAGE_LABELS["submitted"] in found.value.message
    [needed] = found.value.errors["stage"]
    named = needed.removeprefix("Harus berstatus: ").removesuffix(".").split(", ")
    assert set(named) == {STAGE_LABELS[s] for s in TRANSITIONS["accept"].sources}


def test_every_refusal_says_why():
    with pytest.raises(Forbidden) as not_applicant:
        authorize(TRANSITIONS["submit"], staff("citizen", ""), AGENCIES, "DISPORA", False)
    with pytest.raises(Forbidden) as wrong_role:
        authorize(TRANSITIONS["recommend"], staff("officer", "DISPORA"), AGENCIES, "DISPORA", False)
    with pytest.raises(Forbidden) as wrong_agency:
        authorize(TRANSITIONS["recommend"], staff("verifier", "DINSOS"), AGENCIES, "DISPORA", False)
    for refused in (not_applicant, wrong_role, wrong_agency):
        assert refused.value.message
    assert "verifier" in wrong_role.value.errors["roles"][0]
    assert "DISPORA" in wrong_agency.value.message
    assert "DISPORA" in wrong_agency.value.errors["agency"][0]


def test_an_actor_of_a_named_agency_is_that_agency():
    inspectorate = ActorSpec("inspektorat", ("verifier",), "INSPEKTORAT", "Inspektorat")
    assert AGENCIES.resolve(inspectorate, "DINSOS") == "INSPEKTORAT"


def test_staff_are_offered_the_steps_of_their_own_agency_only():
    def offered(stage: str, actor: Actor) -> set[str]:
        return {t.action for t in available_actions(stage, actor, AGENCIES, "DINSOS")}

    assert offered("evaluation", staff("verifier", "DINSOS")) == {"recommend", "not_recommend"}
    assert offered("evaluation", staff("verifier", "DISPORA")) == set()
    assert offered("submitted", staff("officer", AGENCIES.admin)) == {"complete", "return"}
    assert offered("approved", staff("officer", "DINSOS")) == {"sign_agreement"}
    citizen = Actor(user_id=3, roles=frozenset({"citizen"}))
    assert offered("draft", citizen) == set() and offered("disbursed", citizen) == set()


@pytest.mark.parametrize("stage", ["draft", "returned", "disbursed", "lpj_overdue"])
def test_where_only_the_applicant_can_move_a_proposal_on_it_waits_for_the_applicant(stage):
    routing = queue_routing(stage, "DINSOS", AGENCIES)
    assert routing["next_actor_role"] == "citizen"
    assert routing["next_actor_label"] == "Pemohon"
    assert routing["next_actor_agency"] is None
    assert all(routing[k] is None for k in routing if k.startswith("queue_agency_"))


@pytest.mark.parametrize("stage", sorted(FINAL_STAGES))
def test_a_finished_proposal_is_in_nobodys_queue(stage):
    routing = queue_routing(stage, "DINSOS", AGENCIES)
    assert routing and all(value is None for value in routing.values())


def test_a_staff_queue_names_the_role_the_agency_and_who_it_is():
    routing = queue_routing("agreement_signed", "DINSOS", AGENCIES)
    assert routing["next_actor_role"] == "budget_team"
    assert routing["next_actor_agency"] == AGENCIES.budget
    assert routing["next_actor_label"] == "BPKAD"
    assert routing["queue_agency_budget_team"] == routing["queue_agency_officer"] == AGENCIES.budget
