"""The demo loader: the demo citizen's applications in every state, once."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from servicekit.migrate import upgrade
from services.jobcards.app import load_demo
from services.jobcards.contract import STATUS_LABELS
from services.jobcards.demo import PEOPLE


def test_the_demo_has_an_application_in_every_state_and_loads_once(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'jobcards.db'}"
    monkeypatch.setenv("JOBCARDS_DATABASE_URL", url)
    upgrade("jobcards", url)
    context = {"accounts": {"demo_citizen_id": 3, "user_ids": {"petugas.disnaker@gawe.example": 4}}}
    assert load_demo(context) == load_demo(context) == {"officer": "petugas.disnaker@gawe.example"}
    with create_engine(url).connect() as conn:
        rows = conn.execute(text("SELECT status, card_number FROM applications")).all()
    assert {status for status, _ in rows} == set(STATUS_LABELS)
    assert len(rows) == len(PEOPLE)  # loaded once: the second call adds nothing
    assert all(number for status, number in rows if status in ("approved", "lapsed", "closed"))
