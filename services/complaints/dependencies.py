"""Configuration-backed policies of the complaints service, as dependency providers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nameko.extensions import DependencyProvider

from servicekit.config import ConfigError, setting
from services.complaints.sla import DEFAULT_HOLIDAYS, SlaPolicy


@dataclass(frozen=True)
class ComplaintRules:
    sla: SlaPolicy
    rate_limit: int
    api_rate_limit: int
    rate_window_seconds: int
    duplicate_radius_m: float
    reopen_days: int
    max_photos: int


def _holidays(raw: str | None) -> frozenset[date]:
    if not raw:
        return DEFAULT_HOLIDAYS
    try:
        return DEFAULT_HOLIDAYS | {
            date.fromisoformat(d.strip()) for d in raw.split(",") if d.strip()
        }
    except ValueError:
        raise ConfigError(
            f"COMPLAINTS_HOLIDAYS must be comma-separated YYYY-MM-DD dates, got {raw!r}"
        ) from None


def load_rules(cfg: dict | None) -> ComplaintRules:
    """The policies from a container's config, else the environment (also for CLIs)."""
    return ComplaintRules(
        sla=SlaPolicy(
            verify_days=setting(cfg, "COMPLAINTS_SLA_VERIFY_DAYS", 3, int),
            response_days=setting(cfg, "COMPLAINTS_SLA_RESPONSE_DAYS", 5, int),
            resolve_days=setting(cfg, "COMPLAINTS_SLA_RESOLVE_DAYS", 30, int),
            holidays=_holidays(setting(cfg, "COMPLAINTS_HOLIDAYS")),
        ),
        rate_limit=setting(cfg, "COMPLAINTS_RATE_LIMIT", 10, int),
        api_rate_limit=setting(cfg, "COMPLAINTS_API_RATE_LIMIT", 300, int),
        rate_window_seconds=setting(cfg, "COMPLAINTS_RATE_WINDOW", 600, int),
        duplicate_radius_m=setting(cfg, "COMPLAINTS_DUPLICATE_RADIUS_M", 50.0, float),
        reopen_days=setting(cfg, "COMPLAINTS_REOPEN_DAYS", 14, int),
        max_photos=setting(cfg, "COMPLAINTS_MAX_PHOTOS", 5, int),
    )


class Rules(DependencyProvider):
    def setup(self):
        self.rules = load_rules(self.container.config)

    def get_dependency(self, worker_ctx) -> ComplaintRules:
        return self.rules
