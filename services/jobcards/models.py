"""Kartu Kuning's own database: applications (which become cards), their documents, the
holders' six-monthly reports, and the outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.database import UtcDateTime
from servicekit.leases import lease_table
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
leases = lease_table(Base.metadata)  # its leased timers' rows (servicekit.leases)


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_user_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    nik: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    birth_place: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    marital_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address: Mapped[str] = mapped_column(String(300))
    desa_code: Mapped[str | None] = mapped_column(String(13), nullable=True)
    desa_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    kecamatan_code: Mapped[str | None] = mapped_column(String(13), nullable=True, index=True)
    kecamatan_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    education_level: Mapped[str] = mapped_column(String(4))
    education_major: Mapped[str | None] = mapped_column(String(120), nullable=True)
    graduation_year: Mapped[int] = mapped_column(Integer)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    training: Mapped[list] = mapped_column(JSON, default=list)
    work_wanted: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # the officer's last note
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    card_number: Mapped[str | None] = mapped_column(String(24), nullable=True, unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    report_due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    documents: Mapped[list[Document]] = relationship(
        back_populates="application", order_by="Document.id", lazy="selectin"
    )
    reports: Mapped[list[CardReport]] = relationship(
        back_populates="application", order_by="CardReport.id", lazy="selectin"
    )


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    blob_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())

    application: Mapped[Application] = relationship(back_populates="documents")


class CardReport(Base):
    __tablename__ = "card_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    employer: Mapped[str | None] = mapped_column(String(160), nullable=True)
    employed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())

    application: Mapped[Application] = relationship(back_populates="reports")
