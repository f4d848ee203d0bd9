"""What the rules of the notifications service work with, gathered once per call by the service.

Every entrypoint of NotificationsService builds a `Desk` from its dependencies and hands it to
a plain function (intake, admin, inbox); those need no nameko and no RabbitMQ, so a test gives
them a session, an actor, a notifier, a recording outbox and clients of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from servicekit.context import Actor
from services.accounts.contract import AccountsClient
from services.complaints.contract import ComplaintsClient
from services.notifications.dependencies import Notifier
from services.notifications.directory import Directory


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
    notifier: Notifier  # channels, settings, the courier and the contact batcher
    accounts: AccountsClient
    complaints: ComplaintsClient  # who filed a report (FiledBy rules)

    def directory(self) -> Directory:
        """Recipients' contacts from accounts, batched with other workers' lookups."""
        return Directory(self.accounts, self.notifier.contact_batcher)

    def sources(self) -> dict:
        """The services FiledBy rules may ask who filed a record (a new app adds its client)."""
        return {"complaints": self.complaints, "accounts": self.accounts}
