"""What the rules of the accounts service work with, gathered once per call by the service.

Every entrypoint of AccountsService builds a `Desk` from its dependencies and hands it to a
plain function (registration, signing_in, people); those need no nameko and no RabbitMQ, so a
test gives them a session, an actor, a hasher, a login policy and a recording outbox of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from servicekit.context import Actor
from services.accounts.dependencies import Passwords
from services.accounts.domain import LoginPolicy


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    passwords: Passwords
    login_policy: LoginPolicy
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
