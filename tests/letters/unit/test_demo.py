"""The demo loader: DPUPR's letters in every state, once however often it runs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.letters import demo
from services.letters.contract import LETTER_REGISTERED
from services.letters.models import Base, Letter, outbox
from services.letters.rules import is_overdue, today

IDS = {demo.CLERK: 11, demo.HEAD: 12, demo.OFFICER: 13}


def test_the_demo_has_letters_in_every_state_once(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'letters.db'}"
    monkeypatch.setenv("LETTERS_DATABASE_URL", url)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    context = {"accounts": {"user_ids": IDS}}
    demo.load(context)
    demo.load(context)
    with Session(engine) as session:
        letters = list(session.scalars(select(Letter).order_by(Letter.id)))
        statuses = sorted({letter.status for letter in letters})
        overdue = [x for x in letters if any(is_overdue(d, today()) for d in x.dispositions)]
        events = session.execute(select(outbox.c.event_type)).scalars().all()
        assert len(letters) == 5 and statuses == ["baru", "diproses", "selesai"]
        assert {x.classification for x in letters} == {"biasa", "penting", "segera", "rahasia"}
        assert len(overdue) == 1 and all(x.registered_by == 11 for x in letters)
        assert events.count(LETTER_REGISTERED) == 5
    engine.dispose()
