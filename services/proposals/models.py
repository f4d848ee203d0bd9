"""Tables of the proposals service's own database.

Columns marked private never appear in a public response, an event or a log line.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.database import UtcDateTime
from servicekit.leases import lease_table
from servicekit.outbox import outbox_table
from servicekit.trail_store import TrailColumns


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
leases = lease_table(Base.metadata)  # its leased timers' rows (servicekit.leases)


class Applicant(Base):
    """An organisation (ormas, lembaga, yayasan...) or an individual (bansos only)."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # organisation | individual
    name: Mapped[str] = mapped_column(String(200))  # public for organisations only
    legal_form: Mapped[str | None] = mapped_column(String(32))
    legal_entity_number: Mapped[str | None] = mapped_column(String(80))
    sk_kepengurusan: Mapped[str | None] = mapped_column(String(120))
    established_on: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(300))  # private for individuals
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    domicile_inside: Mapped[bool | None] = mapped_column(Boolean)
    desa_code: Mapped[str | None] = mapped_column(String(20))
    desa_name: Mapped[str | None] = mapped_column(String(120))
    kecamatan_code: Mapped[str | None] = mapped_column(String(16))
    kecamatan_name: Mapped[str | None] = mapped_column(String(120))
    # private
    nik: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    npwp: Mapped[str | None] = mapped_column(String(30))
    bank_name: Mapped[str | None] = mapped_column(String(80))
    bank_account_number: Mapped[str | None] = mapped_column(String(40))
    bank_account_name: Mapped[str | None] = mapped_column(String(200))
    responsible_people: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    members: Mapped[list[ApplicantMember]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class ApplicantMember(Base):
    """A citizen account that may act for an applicant (an organisation may have several)."""

    __tablename__ = "applicant_members"
    __table_args__ = (UniqueConstraint("applicant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApplicantDocument(Base):
    """A standing document of an organisation's profile (akta pendirian, SK Kemenkumham, SK
    kepengurusan, NPWP, KTP ketua, surat keterangan domisili), reused by every proposal's
    checklist. A new upload of a kind replaces the version before, which is kept (replaced_at)
    and never deleted: a submitted proposal names the versions it used.

    Private: only the applicant's members and the staff who may see the applicant read it."""

    __tablename__ = "applicant_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    blob_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    replaced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    replaced_by_id: Mapped[int | None] = mapped_column(Integer)


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_registry", "budget_year", "kind", "stage"),
        Index("ix_proposals_agency_stage", "agency_code", "stage"),
        Index("ix_proposals_kecamatan", "kecamatan_code"),
        Index("ix_proposals_applicant_year", "applicant_id", "budget_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(String(24), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    kind: Mapped[str] = mapped_column(String(8))  # hibah | bansos
    bansos_type: Mapped[str | None] = mapped_column(String(10))  # planned | unplanned
    budget_year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    activities: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32))
    agency_code: Mapped[str] = mapped_column(String(32))
    requested_amount: Mapped[int] = mapped_column(BigInteger)
    cost_lines: Mapped[list] = mapped_column(JSON, default=list)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    desa_code: Mapped[str | None] = mapped_column(String(20))
    desa_name: Mapped[str | None] = mapped_column(String(120))
    kecamatan_code: Mapped[str | None] = mapped_column(String(16))
    kecamatan_name: Mapped[str | None] = mapped_column(String(120))
    source_note: Mapped[str | None] = mapped_column(Text)  # who reported an emergency
    # lifecycle
    stage: Mapped[str] = mapped_column(String(20), index=True)
    stage_since: Mapped[datetime] = mapped_column(UtcDateTime())
    stage_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # the money trail
    recommended_amount: Mapped[int | None] = mapped_column(BigInteger)
    recommended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    accepted_amount: Mapped[int | None] = mapped_column(BigInteger)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    decree_number: Mapped[str | None] = mapped_column(String(80))
    decree_date: Mapped[date | None] = mapped_column(Date)
    nphd_number: Mapped[str | None] = mapped_column(String(80))
    nphd_date: Mapped[date | None] = mapped_column(Date)
    integrity_pact: Mapped[bool] = mapped_column(Boolean, default=False)
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_on: Mapped[date | None] = mapped_column(Date)
    sp2d_ref: Mapped[str | None] = mapped_column(String(80))  # private: a payment reference
    lpj_due: Mapped[date | None] = mapped_column(Date, index=True)
    lpj_submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lpj_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lpj_reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str | None] = mapped_column(String(64))

    applicant: Mapped[Applicant] = relationship(lazy="joined")
    documents: Mapped[list[Document]] = relationship(lazy="selectin", order_by="Document.id")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    doc_type: Mapped[str] = mapped_column(String(32))
    blob_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(200))
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProposalStandingDocument(Base):
    """Which version of each standing document a proposal was (last) submitted with: what the
    staff verified, whatever replaces it on the profile later."""

    __tablename__ = "proposal_standing_documents"
    __table_args__ = (UniqueConstraint("proposal_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    applicant_document_id: Mapped[int] = mapped_column(ForeignKey("applicant_documents.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StageChange(Base):
    """One step of a proposal's timeline: who (staff as their agency in public), when, a note."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(32))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    actor_label: Mapped[str] = mapped_column(String(120))
    actor_user_id: Mapped[int | None] = mapped_column(Integer)  # private, for audit
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_agency: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[int | None] = mapped_column(BigInteger)


class FieldCheck(Base):
    """The verifier's field check: a signed record (hash of its content) with findings and photos."""

    __tablename__ = "field_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(JSON, default=list)
    officer_user_id: Mapped[int] = mapped_column(Integer)
    officer_agency: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Declaration(Base):
    """A verifier's or budget-team member's conflict-of-interest declaration on one proposal."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(12))  # no_conflict | recused
    note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Append-only; each entry's hash covers its content and the previous entry's hash."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("proposal_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_roles: Mapped[list] = mapped_column(JSON, default=list)
    actor_agency: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class TrailEntry(TrailColumns, Base):
    """The public trail: one entry per public timeline line of a submitted proposal, chained
    (servicekit.trail); `chain` is `proposals/<public id>`."""


class Round(Base):
    """An application round: when proposals of one kind for one budget year may be submitted."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("budget_year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # hibah | bansos
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(Integer)  # staff, for audit
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProposalMessage(Base):
    """One message of the conversation between a proposal's applicant and the staff handling it.

    Private: only its applicant's members and the staff who may see the applicant read it."""

    __tablename__ = "proposal_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(10))  # applicant | staff
    author_user_id: Mapped[int] = mapped_column(Integer)  # private
    author_role: Mapped[str | None] = mapped_column(String(20))
    author_agency: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # private
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
