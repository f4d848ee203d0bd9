"""The demo data: a living registry over every stage, with valid audit chains, loaded twice; the
demo organisations' standing documents on their profiles."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.proposals import store
from services.proposals.audit import verify_chain
from services.proposals.contract.catalogue import STANDING_KINDS, profile_documents
from services.proposals.contract.stages import STAGES
from services.proposals.demo import (
    ORGANISATIONS,
    OWNED_BY_DEMO_CITIZEN,
    add_demo_member,
    load_demo_proposals,
    load_demo_rounds,
)
from services.proposals.models import (
    Applicant,
    ApplicantDocument,
    Proposal,
    ProposalStandingDocument,
    Round,
)
from services.proposals.views import grant_row, public_view


def test_demo_proposals_cover_every_public_stage_and_their_chains_verify(databases):
    engine = make_engine(databases.create("proposals"))
    with Session(engine) as session:
        assert load_demo_proposals(session) == 15
        assert load_demo_proposals(session) == 0  # idempotent
        proposals = list(session.query(Proposal))
        assert {p.stage for p in proposals} == set(STAGES) - {"draft"}
        assert {p.kind for p in proposals} == {"hibah", "bansos"}
        assert len({p.agency_code for p in proposals}) >= 4
        assert len({p.kecamatan_code for p in proposals}) >= 5
        assert all(p.applicant.phone and p.applicant.bank_account_number for p in proposals)
        timelines = store.fetch_timeline(session, [p.id for p in proposals])
        for p in proposals:
            verdict = verify_chain(store.fetch_audit(session, p.id), p.audit_head)
            assert verdict.ok, (p.public_id, verdict)
            view = public_view(p, timelines[p.id])
            assert view["timeline"][-1]["to_stage"] == p.stage
            assert p.applicant.phone not in str(view) + str(grant_row(p, timelines[p.id]))
    engine.dispose()


def test_the_demo_citizen_acts_for_one_organisation_once(databases):
    engine = make_engine(databases.create("proposals"))
    with Session(engine) as session:
        load_demo_proposals(session)
        add_demo_member(session, 4242)
        add_demo_member(session, 4242)  # idempotent
        owned = store.fetch_applicants_of(session, 4242)
        assert [a.name for a in owned] == [ORGANISATIONS[OWNED_BY_DEMO_CITIZEN][0]]
        assert [m.user_id for m in owned[0].members] == [4242]
        proposals, total = store.fetch_of_applicants(session, [owned[0].id], 1, 50)
        assert total >= 1 and all(p.applicant_id == owned[0].id for p in proposals)
    engine.dispose()


def test_the_demo_opens_next_years_rounds_on_15_january(databases):
    engine = make_engine(databases.create("proposals"))
    with Session(engine) as session:
        assert load_demo_rounds(session, date(2026, 12, 1)) == 2
        assert load_demo_rounds(session, date(2026, 12, 1)) == 0  # idempotent
        rounds = session.scalars(select(Round).order_by(Round.kind)).all()
        assert [(r.kind, r.budget_year) for r in rounds] == [("bansos", 2027), ("hibah", 2027)]
        assert {(r.opens_on, r.closes_on) for r in rounds} == {
            (date(2027, 1, 15), date(2027, 3, 31))
        }
    engine.dispose()


def test_every_demo_organisation_keeps_valid_standing_documents_and_its_proposals_name_them(
    databases, backend, tmp_path, monkeypatch
):
    """Issue 16: each demo organisation's profile holds every standing document, valid through
    next year's budget, each a PDF in the blob store; every demo proposal of an organisation
    names the versions it was submitted with; loading again adds nothing."""
    monkeypatch.setenv("GAWE_BLOB_DIR", str(tmp_path))
    engine = make_engine(databases.create("proposals", backend))
    with Session(engine) as session:
        load_demo_proposals(session)
        load_demo_proposals(session)  # idempotent
        documents = session.scalars(select(ApplicantDocument)).all()
        organisations = session.scalars(
            select(Applicant).where(Applicant.kind == "organisation")
        ).all()
        assert {a.name for a in organisations} == {n for n, _, _ in ORGANISATIONS.values()}
        held = {(d.applicant_id, d.kind) for d in documents}
        assert held == {(a.id, kind) for a in organisations for kind in STANDING_KINDS}
        assert len(documents) == len(held)  # one version each, none replaced
        next_year = date.today().year + 1
        for document in documents:
            assert document.replaced_at is None
            assert document.valid_until is None or document.valid_until.year > next_year
            stored = tmp_path / document.blob_key
            assert stored.read_bytes().startswith(b"%PDF-")
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == document.sha256
        used = session.scalars(select(ProposalStandingDocument)).all()
        by_id = {d.id: d for d in documents}
        for proposal in session.scalars(select(Proposal)):
            named = {u.kind for u in used if u.proposal_id == proposal.id}
            expected = profile_documents(
                proposal.kind, proposal.applicant.kind, proposal.bansos_type
            )
            assert named == set(expected), proposal.title
            assert all(
                by_id[u.applicant_document_id].applicant_id == proposal.applicant_id
                for u in used
                if u.proposal_id == proposal.id
            )
    engine.dispose()
