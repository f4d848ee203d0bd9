"""Tables of the proposals service's own database."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from servicekit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
