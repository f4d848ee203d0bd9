"""The proposals service's entrypoints with nameko's worker_factory: no RabbitMQ, no other
service. Each entrypoint is a short delegation to a plain module; a test hands the worker the
dependencies it wants (a real SQLite session, an actor, a gis that answers) and mocks the rest.
"""

from __future__ import annotations

from datetime import datetime
from unittest.mock import MagicMock
from zoneinfo import ZoneInfo

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.errors import Forbidden
from services.proposals.dependencies import ProposalRules
from services.proposals.models import Base
from services.proposals.service import ProposalsService

THIS_YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
PLACE = {
    "inside": True,
    "desa": {"code": "3604010001", "name": "Desa Uji"},
    "kecamatan": {"code": "360401", "name": "Kecamatan Uji"},
}
CITIZEN = Actor(user_id=41, roles=frozenset({"citizen"}), agency=None)


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'proposals.db'}")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def citizen_worker(session) -> ProposalsService:
    gis = MagicMock()
    gis.locate.return_value = PLACE
    return worker_factory(
        ProposalsService, db=session, actor=CITIZEN, rules=ProposalRules(), gis=gis
    )


def test_queue_refuses_staff_bound_to_no_agency_before_reading_anything():
    worker = worker_factory(
        ProposalsService, actor=Actor(user_id=5, roles=frozenset({"verifier"}), agency=None)
    )
    with pytest.raises(Forbidden):
        worker.queue({"page": 1})
    assert worker.db.mock_calls == []


def test_a_draft_is_located_on_the_map_kept_private_and_announced_to_nobody(session):
    worker = citizen_worker(session)
    applicant = worker.save_applicant(
        "organisation",
        {
            "name": "Karang Taruna Uji",
            "legal_form": "perkumpulan",
            "address": "Jl. Uji No. 1",
            "lat": -6.12,
            "lon": 106.15,
            "responsible_people": [{"name": "Ketua Uji", "position": "Ketua"}],
        },
    )
    draft = worker.create_draft(
        {
            "applicant_id": applicant["id"],
            "kind": "hibah",
            "budget_year": THIS_YEAR,
            "title": "Perlengkapan olahraga",
            "purpose": "Pembinaan atlet muda tingkat desa.",
            "category": "olahraga",
            "requested_amount": 10_000_000,
            "cost_lines": [{"item": "Bola dan jaring", "amount": 10_000_000}],
            "lat": -6.13,
            "lon": 106.16,
        }
    )
    assert draft["stage"] == "draft" and draft["desa"] == "Desa Uji"
    assert draft["agency"] == "DISPORA"  # the category decides the OPD
    worker.gis.locate.assert_called_with(-6.13, 106.16)
    assert worker.outbox.add.mock_calls == []  # a draft is nobody's business yet
    assert worker.registry({})["total"] == 0  # nor the public's
