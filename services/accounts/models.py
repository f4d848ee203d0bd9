"""Tables of the accounts service's own database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.database import UtcDateTime
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int | None] = mapped_column(Integer)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Raised by signing out: tokens carry the version they were issued under (claim "sv").
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sessions_ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # Set by following the link emailed at sign-up; staff, demo and older accounts have it.
    email_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.role_rows)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class RegistrationNotice(Base):
    """An email owed to someone because a sign-up used a taken address or NIK (the sign-up's
    answer never says so). Kept briefly: the notifications service asks for its address."""

    __tablename__ = "registration_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # email_taken | nik_taken
    email_key: Mapped[str] = mapped_column(String(254), index=True)  # whom it is for
    email: Mapped[str | None] = mapped_column(String(254))  # nik_taken: the address given
    name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class OneTimeLink:
    """A link emailed to an account's owner (services.accounts.links): only a hash of its
    secret is kept, made when the email is written (`token_hash`); it works once, until
    `expires_at`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PasswordReset(OneTimeLink, Base):
    """A link to set a new password, asked for by email; it dies with every other pending
    link of the account when the password changes."""

    __tablename__ = "password_resets"


class EmailVerification(OneTimeLink, Base):
    """A link that proves an account's address, emailed at sign-up or asked for again."""

    __tablename__ = "email_verifications"
