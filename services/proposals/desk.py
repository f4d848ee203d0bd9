"""What the rules of the proposals service work with, gathered once per call by the service.

Every entrypoint of ProposalsService builds a `Desk` from its dependencies and hands it to a
plain function (drafting, acting, reading, applicants, documents, registry, lpj); those
functions need no nameko and no RabbitMQ, so a test gives them a session, an actor, the
policies, a recording outbox and a `locate` function of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from servicekit.context import Actor
from services.proposals.dependencies import ProposalRules


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    rules: ProposalRules
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
    locate: Callable[[float, float], dict]  # the gis service's locate(lat, lon)
