"""Sisumaker's own database: letters, their dispositions, the agenda counters and the outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.database import UtcDateTime
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)


class AgendaCounter(Base):
    """The last agenda number given per agency and year: raised with one atomic UPDATE (the row
    is locked on PostgreSQL until the transaction ends), so two clerks never get the same."""

    __tablename__ = "agenda_counters"

    agency: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Letter(Base):
    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("agency", "year", "sequence", name="uq_letters_agenda"),
        Index("ix_letters_agency_received", "agency", "received_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    agenda_number: Mapped[str] = mapped_column(String(60), unique=True)
    sender: Mapped[str] = mapped_column(String(200))
    letter_number: Mapped[str] = mapped_column(String(100))
    letter_date: Mapped[date] = mapped_column(Date)
    received_date: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(300))
    classification: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    scan_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    scan_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    registered_by: Mapped[int] = mapped_column(Integer, index=True)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    dispositions: Mapped[list[Disposition]] = relationship(
        back_populates="letter", order_by="Disposition.id", lazy="selectin"
    )


class Disposition(Base):
    """An instruction about a letter to one member of its agency's staff; `parent_id` when a
    recipient passed their own disposition down."""

    __tablename__ = "dispositions"
    __table_args__ = (Index("ix_dispositions_to_status", "to_user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("dispositions.id"), nullable=True)
    from_user_id: Mapped[int] = mapped_column(Integer)
    from_name: Mapped[str] = mapped_column(String(200))
    to_user_id: Mapped[int] = mapped_column(Integer)
    to_name: Mapped[str] = mapped_column(String(200))
    instruction: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    report: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    letter: Mapped[Letter] = relationship(back_populates="dispositions")
