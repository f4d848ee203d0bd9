"""Tables of the complaints service's own database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from servicekit.database import UtcDateTime
from servicekit.outbox import outbox_table
from servicekit.trail_store import TrailColumns


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)


class Category(Base):
    """An Open311 "service": what can be reported, who handles it, what else is asked."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column(String(80), default="")
    keywords: Mapped[str] = mapped_column(String(300), default="")
    agency_code: Mapped[str] = mapped_column(String(32))
    routes_by_area: Mapped[bool] = mapped_column(Boolean, default=False)
    attributes: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AreaUnit(Base):
    """For agencies that work per area: which of their units covers a kecamatan."""

    __tablename__ = "area_units"

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kecamatan_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit: Mapped[str] = mapped_column(String(120))


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_agency_status", "agency_code", "status"),
        Index("ix_reports_lat_lon", "lat", "lon"),
        Index("ix_reports_category_status", "category_code", "status"),
        Index("ix_reports_submitter_created", "submitter_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str | None] = mapped_column(String(24), unique=True)
    token: Mapped[str] = mapped_column(String(36), unique=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    agency_code: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    desa_code: Mapped[str | None] = mapped_column(String(20))
    desa_name: Mapped[str | None] = mapped_column(String(120))
    kecamatan_code: Mapped[str | None] = mapped_column(String(16), index=True)
    kecamatan_name: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    media_url: Mapped[str | None] = mapped_column(String(500))
    # private: never in a public response, an event or a log line
    reporter_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    submitter_key: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(80), default="web")
    # lifecycle
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    stage_since: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status_note: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    supporters: Mapped[int] = mapped_column(Integer, default=0)
    # the body outside the regency it was sent to (contract.forwarding.EXTERNAL_BODIES)
    forwarded_to: Mapped[str | None] = mapped_column(String(32))
    # moderation: hidden from every public output while set; the reporter sees the reason
    # (indexed: the moderators' list finds the few hidden among many)
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # the hash of the last entry of its private audit log (AuditEntry), None while it is empty
    audit_head: Mapped[str | None] = mapped_column(String(64))

    category: Mapped[Category] = relationship(lazy="joined")
    photos: Mapped[list[Photo]] = relationship(lazy="selectin", order_by="Photo.id")
    duplicate_of: Mapped[Report | None] = relationship(
        remote_side=[id], lazy="joined", join_depth=1
    )


class Photo(Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # report | resolution
    blob_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text)


class TimelineEntry(Base):
    """One step of a report's public timeline; staff show as their agency, never by name."""

    __tablename__ = "timeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_label: Mapped[str] = mapped_column(String(120))  # "Pelapor", "DPUPR", "Sistem"
    actor_user_id: Mapped[int | None] = mapped_column(Integer)  # private, for audit
    note: Mapped[str | None] = mapped_column(Text)
    # moderation entries: shown to the handling agency's staff and admins only
    staff_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TrailEntry(TrailColumns, Base):
    """The public trail: one entry per public timeline line of a report, chained
    (servicekit.trail); `chain` is `complaints/<public id>`."""


class AuditEntry(Base):
    """One entry of a report's private audit log (services/complaints/audit.py): who exactly
    acted, what changed and every private detail the public timeline leaves out. Append-only;
    its hash covers its content and the previous entry's hash. Read by Inspektorat's auditors,
    admins and the handling agency only."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_roles: Mapped[list] = mapped_column(JSON, default=list)
    actor_agency: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Support(Base):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("report_id", "supporter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    supporter_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # a supporter who chose status emails (signed-in citizens only), and the token of the
    # emails' opt-out link (a capability to stop them, nothing more)
    notify: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    optout_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class FeedbackToken(Base):
    """A single-use token of a "Sudah diperbaiki?" email's links (only its hash is kept)."""

    __tablename__ = "feedback_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ApiClient(Base):
    """An organisation allowed to file reports through Open311 with its api_key."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int | None] = mapped_column(Integer)


class Alert(Base):
    """An area alert (services/complaints/alerts.py): new reports of chosen categories in a
    kecamatan, a desa or a radius, emailed once confirmed. The address and the links' codes are
    private: never in a public response, an event or a log line."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_kind_area", "kind", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # kecamatan | desa | radius
    area_code: Mapped[str | None] = mapped_column(String(20))
    area_name: Mapped[str] = mapped_column(String(160))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    confirm_code: Mapped[str] = mapped_column(String(64), unique=True)
    unsubscribe_code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlertDelivery(Base):
    """A report an alert was told of: at most one alert email per (alert, report)."""

    __tablename__ = "alert_deliveries"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
