"""The proposals service."""

from __future__ import annotations

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.health import HealthRpc
from servicekit.outbox import Outbox, OutboxRelay
from services.proposals.models import outbox


class ProposalsService(HealthRpc, OutboxRelay):
    name = "proposals"

    db = Database("proposals")
    outbox = Outbox(outbox)
    actor = CallContext()
