"""The transparency service's own database: the digests it published (never changed once
written), the last head it committed of each chain, and every signing key it has used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from servicekit.database import UtcDateTime
from servicekit.leases import lease_table
from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)  # transparency.digest_published
leases = lease_table(Base.metadata)  # the sealing timer's row (servicekit.leases)


class Digest(Base):
    """A published digest: the signed header exactly as signed, and the heads it commits."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(20), unique=True)  # "2027-01-20"
    period_start: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    period_end: Mapped[datetime] = mapped_column(UtcDateTime())
    header: Mapped[str] = mapped_column(Text)  # canonical JSON, the bytes signed
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))
    heads: Mapped[str] = mapped_column(Text)  # canonical JSON list of {chain, seq, hash}
    heads_count: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Anchor(Base):
    """The last head of a chain that a digest committed (so the next digest holds only the
    chains that changed)."""

    __tablename__ = "anchors"

    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(20))


class SigningKey(Base):
    """A public key that signed digests, from the first digest it signed."""

    __tablename__ = "signing_keys"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    first_used: Mapped[datetime] = mapped_column(UtcDateTime())
