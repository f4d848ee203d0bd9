"""What the rules of the complaints service work with, gathered once per call by the service.

Every entrypoint of ComplaintsService builds a `Desk` from its dependencies and hands it to a
plain function (categories, filing, acting, queries, api_keys); those need no nameko and no
RabbitMQ, so a test gives them a session, an actor, the rules, a recording outbox and a gis
client of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from servicekit.context import Actor
from services.complaints.dependencies import ComplaintRules
from services.gis.contract import GisClient


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    rules: ComplaintRules
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
    places: GisClient  # the gis service, through its contract's typed client
    client_ip: str | None = None  # the address the gateway saw (limits anonymous filing)
