"""What the rules of the jobcards service work with, gathered once per call by the service: a
session, the actor, the policies, the outbox and the gis client. The plain modules
(applications, cards, figures) need no nameko, so a test gives them its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from servicekit.config import ConfigError, setting
from servicekit.context import Actor


@dataclass(frozen=True)
class JobcardRules:
    reminder_days: tuple[int, ...] = (30, 7)  # reminders this many days before a report is due
    sweep_batch: int = 500


def load_rules(cfg: dict | None) -> JobcardRules:
    raw = setting(cfg, "JOBCARDS_REMINDER_DAYS", "30,7")
    try:
        days = tuple(sorted({int(d) for d in str(raw).split(",") if d.strip()}, reverse=True))
    except ValueError:
        raise ConfigError(
            f"JOBCARDS_REMINDER_DAYS must be comma-separated days, got {raw!r}"
        ) from None
    return JobcardRules(
        reminder_days=days, sweep_batch=setting(cfg, "JOBCARDS_SWEEP_BATCH", 500, int)
    )


class Rules(DependencyProvider):
    def setup(self):
        self.rules = load_rules(self.container.config)

    def get_dependency(self, worker_ctx) -> JobcardRules:
        return self.rules


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    rules: JobcardRules
    outbox: Any  # servicekit.outbox's per-worker writer: .add(event_type, **payload)
    places: Any  # services.gis.contract.GisClient: locate, search_areas
