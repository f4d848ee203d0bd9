"""Tables of the notifications service's own database.

- `inbound_events`: every event received, stored before it is acknowledged (store-first);
  it is expanded into notifications, retried while the accounts service is unreachable,
  or parked with a clear error (e.g. a template placeholder the event does not provide).
- `notifications`: one row per (event, recipient, channel, template), UNIQUE, so a
  redelivered event never produces a second message; carries the rendered content and the
  delivery status (pending, sending, sent, retrying, failed) with attempts and last error.
- `templates`: per event type, audience and channel, in Bahasa Indonesia.
- `inbox_messages`: the in-app inbox, written by the inbox channel.
- `preferences`: a user's opt-outs per category and channel.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from servicekit.database import UtcDateTime
from servicekit.leases import lease_table
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
leases = lease_table(Base.metadata)  # its leased timers' rows (servicekit.leases)


class InboundEvent(Base):
    __tablename__ = "inbound_events"
    __table_args__ = (Index("ix_inbound_events_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # received -> done | retrying (accounts unreachable) -> expanding (claimed) -> … | parked
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claim_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Template(Base):
    __tablename__ = "templates"
    __table_args__ = (
        UniqueConstraint("event_type", "audience", "channel", name="uq_templates_use"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    sample_values: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "user_id", "channel", "template_id", name="uq_notifications_once"
        ),
        Index("ix_notifications_due", "status", "next_attempt_at"),
        Index("ix_notifications_user", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id"))
    category: Mapped[str] = mapped_column(String(32))
    essential: Mapped[bool] = mapped_column(Boolean)
    address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claim_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reference: Mapped[str | None] = mapped_column(String(255))


class InboxMessage(Base):
    __tablename__ = "inbox_messages"
    __table_args__ = (Index("ix_inbox_messages_user", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), unique=True)
    event_type: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Preference(Base):
    __tablename__ = "preferences"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
