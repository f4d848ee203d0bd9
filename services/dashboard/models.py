"""The dashboard's own database: a read model of the other apps' events (one row per report,
proposal, job-card application and letter, public facts only), the events already applied, and
its state (a version number that changes with every applied event, and when it was last fed and
rebuilt). Nothing here is personal: no names, no contact, no user ids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from servicekit.database import UtcDateTime
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)  # the platform's relay timer expects one; it stays empty


class Report(Base):
    __tablename__ = "reports"

    report_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_id: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(80))
    category_name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    is_open: Mapped[bool] = mapped_column(Boolean)
    kecamatan_code: Mapped[str | None] = mapped_column(String(20))
    kecamatan_name: Mapped[str | None] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    as_of: Mapped[datetime] = mapped_column(UtcDateTime())  # the newest event applied to it


class Proposal(Base):
    __tablename__ = "proposals"

    proposal_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    budget_year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[str] = mapped_column(String(40))
    stage_label: Mapped[str] = mapped_column(String(120))
    agency: Mapped[str] = mapped_column(String(40))
    kecamatan_code: Mapped[str | None] = mapped_column(String(20))
    kecamatan_name: Mapped[str | None] = mapped_column(String(120))
    requested_amount: Mapped[int] = mapped_column(BigInteger)
    recommended_amount: Mapped[int | None] = mapped_column(BigInteger)
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    as_of: Mapped[datetime] = mapped_column(UtcDateTime())


class Jobcard(Base):
    __tablename__ = "jobcards"

    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(20))
    kecamatan_code: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    as_of: Mapped[datetime] = mapped_column(UtcDateTime())


class Letter(Base):
    __tablename__ = "letters"

    letter_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    agency: Mapped[str] = mapped_column(String(40))
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    dispositions_given: Mapped[int] = mapped_column(Integer, default=0)
    dispositions_done: Mapped[int] = mapped_column(Integer, default=0)


class AppliedEvent(Base):
    """Every event applied, by id: a second delivery (or a replay of it) changes nothing."""

    __tablename__ = "applied_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())


class State(Base):
    """One row (id 1): the read model's version and freshness."""

    __tablename__ = "state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    last_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # newest occurred_at
    last_applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_rebuild_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
