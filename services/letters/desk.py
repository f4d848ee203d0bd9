"""What the rules of the letters service work with, gathered once per call by the service.

Every entrypoint of LettersService builds a `Desk` from its dependencies and hands it to a plain
function (registering, disposing, reading); those need no nameko and no RabbitMQ, so a test
gives them a session, an actor, a recording outbox and an accounts client of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from servicekit.context import Actor
from services.accounts.contract import AccountsClient


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
    accounts: AccountsClient  # the accounts service: the staff of an agency
