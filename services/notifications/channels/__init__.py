"""Channels: how a rendered message reaches a person. One interface, one adapter per medium.

Adding SMS or WhatsApp = a module here with a `Channel` subclass (how to find the address
in an accounts contact, how to deliver), registered in `dependencies.build_channels`, plus
templates for the new channel name. The expansion of events, the effectively-once rows,
the claims and the retries do not change.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True)
class Outgoing:
    """One notification, rendered, ready to go out."""

    notification_id: int
    event_id: str
    event_type: str
    category: str
    user_id: int
    address: str
    subject: str | None
    text: str
    html: str | None
    created_at: datetime


class Channel(ABC):
    name: ClassVar[str]
    wants_html: ClassVar[bool] = False
    # True for a channel that delivers by writing into this service's own database: it then
    # delivers in the transaction that creates the notifications (`deliver_in`).
    in_transaction: ClassVar[bool] = False

    @abstractmethod
    def address_of(self, contact: dict) -> str | None:
        """Where this channel reaches the contact (from accounts), or None if it cannot."""

    @abstractmethod
    def deliver(self, message: Outgoing) -> str:
        """Deliver once; return a reference (e.g. the Message-ID).

        Raise `delivery.TransientFailure` when trying later may help, and
        `delivery.PermanentFailure` when it will not.
        """

    def deliver_in(self, session, notifications: list[dict], now: datetime) -> dict[int, str]:
        """Deliver rows in the caller's transaction (only when `in_transaction`): id -> reference."""
        raise TypeError(f"{self.name} does not deliver inside a transaction")

    def close(self) -> None:  # noqa: B027  (optional hook: most channels hold nothing)
        """Release connections (called when the service stops)."""
