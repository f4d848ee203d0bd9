"""Data access of the letters service: the agenda counter, the archive's search, blob keys."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.errors import Conflict
from services.letters.contract import HEAD, OPEN, RAHASIA
from services.letters.models import AgendaCounter, Disposition, Letter

COUNTER_ATTEMPTS = 5


def next_sequence(session: Session, agency: str, year: int) -> int:
    """The next agenda sequence of `agency` in `year`, unique even when two clerks register at
    the same moment: one atomic UPDATE raises the counter (on PostgreSQL the row stays locked
    until this transaction ends, so the other clerk's UPDATE waits and then reads the raised
    value). The year's first letter inserts the row; when another clerk inserted it first, the
    insert fails on the primary key and the UPDATE is tried again."""
    for _ in range(COUNTER_ATTEMPTS):
        raised = session.execute(
            update(AgendaCounter)
            .where(AgendaCounter.agency == agency, AgendaCounter.year == year)
            .values(last=AgendaCounter.last + 1)
            .returning(AgendaCounter.last)
            .execution_options(synchronize_session=False)
        ).scalar()
        if raised is not None:
            return raised
        try:
            with session.begin_nested():
                session.add(AgendaCounter(agency=agency, year=year, last=1))
            return 1
        except IntegrityError:
            continue  # the row is there now: raise it
    raise Conflict("Nomor agenda sedang dipakai; coba lagi.", {"agenda_number": ["bentrok"]})


def get_letter(session: Session, letter_id: int) -> Letter | None:
    return session.get(Letter, letter_id)


def get_disposition(session: Session, disposition_id: int) -> Disposition | None:
    return session.get(Disposition, disposition_id)


def _visible_to(actor: Actor):
    """SQL of rules.may_see for letters of the caller's own agency."""
    mine = exists().where(
        Disposition.letter_id == Letter.id, Disposition.to_user_id == actor.user_id
    )
    conditions = [Letter.classification != RAHASIA, Letter.registered_by == actor.user_id, mine]
    if actor.has_role(HEAD):
        conditions.append(Letter.classification == RAHASIA)
    return and_(Letter.agency == actor.agency, or_(*conditions))


def overdue_clause(on: date):
    return exists().where(
        Disposition.letter_id == Letter.id, Disposition.status == OPEN, Disposition.due_date < on
    )


def search(session: Session, actor: Actor, params: dict, on: date) -> tuple[list[Letter], int]:
    """The caller's agency's letters they may see, filtered; overdue ones first, then newest."""
    query = select(Letter).where(_visible_to(actor))
    if text := (params.get("q") or "").strip():
        query = query.where(
            or_(
                Letter.subject.icontains(text, autoescape=True),
                Letter.summary.icontains(text, autoescape=True),
                Letter.sender.icontains(text, autoescape=True),
                Letter.letter_number.icontains(text, autoescape=True),
                Letter.agenda_number.icontains(text, autoescape=True),
            )
        )
    if sender := (params.get("sender") or "").strip():
        query = query.where(Letter.sender.icontains(sender, autoescape=True))
    if params.get("status"):
        query = query.where(Letter.status == params["status"])
    if params.get("classification"):
        query = query.where(Letter.classification == params["classification"])
    if params.get("received_from"):
        query = query.where(Letter.received_date >= params["received_from"])
    if params.get("received_to"):
        query = query.where(Letter.received_date <= params["received_to"])
    if params.get("mine"):
        query = query.where(
            exists().where(
                Disposition.letter_id == Letter.id,
                Disposition.to_user_id == actor.user_id,
                Disposition.status == OPEN,
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page, per_page = params["page"], params["per_page"]
    ordered = query.order_by(
        case((overdue_clause(on), 0), else_=1),
        Letter.received_date.desc(),
        Letter.id.desc(),
    )
    letters = list(session.scalars(ordered.offset((page - 1) * per_page).limit(per_page)))
    return letters, total


def fetch_blob_keys(session: Session) -> list[str]:
    return list(session.scalars(select(Letter.scan_key).where(Letter.scan_key.is_not(None))))
