"""Configuration-backed policies of the proposals service, as a dependency provider.

Every value comes from the container config (tests) or the environment:

PROPOSALS_AMOUNT_CEILING     largest amount one proposal may ask for, Rupiah (2,000,000,000)
PROPOSALS_HIBAH_EXEMPT       comma-separated bodies a law names, allowed hibah in consecutive
                             years (KONI, Komite Olahraga Nasional Indonesia, PMI, Palang Merah
                             Indonesia, Pramuka, KORPRI, Korps Pegawai Republik Indonesia)
PROPOSALS_ADMIN_AGENCY       agency doing the administrative check and the decree (KESRA)
PROPOSALS_BUDGET_AGENCY      agency of the budget team (TAPD) and the treasury (BPKAD)
PROPOSALS_LPJ_DEADLINE       MM-DD in the year after the budget year by which the LPJ is due (01-10)
PROPOSALS_LPJ_REMINDER_DAYS  comma-separated days before the deadline to remind (28,14)
PROPOSALS_LPJ_SWEEP_INTERVAL seconds between sweeps for overdue LPJ and reminders (3600)
PROPOSALS_YEARS_AHEAD        how many budget years ahead one may apply for (2)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nameko.extensions import DependencyProvider

from servicekit.config import ConfigError, setting
from services.proposals.eligibility import DEFAULT_EXEMPT
from services.proposals.lifecycle import Agencies


@dataclass(frozen=True)
class ProposalRules:
    amount_ceiling: int = 2_000_000_000
    exempt: tuple[str, ...] = DEFAULT_EXEMPT
    agencies: Agencies = Agencies()
    lpj_deadline: tuple[int, int] = (1, 10)
    reminder_days: tuple[int, ...] = (28, 14)
    years_ahead: int = 2

    def lpj_due(self, budget_year: int) -> date:
        month, day = self.lpj_deadline
        return date(budget_year + 1, month, day)


def _month_day(raw: str) -> tuple[int, int]:
    try:
        month, day = (int(v) for v in raw.split("-"))
        date(2001, month, day)
    except ValueError:
        raise ConfigError(f"PROPOSALS_LPJ_DEADLINE must be MM-DD, got {raw!r}") from None
    return month, day


def _days(raw: str) -> tuple[int, ...]:
    try:
        return tuple(sorted((int(v) for v in raw.split(",") if v.strip()), reverse=True))
    except ValueError:
        raise ConfigError(
            f"PROPOSALS_LPJ_REMINDER_DAYS must be whole numbers, got {raw!r}"
        ) from None


def load_rules(cfg: dict | None) -> ProposalRules:
    exempt = setting(cfg, "PROPOSALS_HIBAH_EXEMPT")
    return ProposalRules(
        amount_ceiling=setting(cfg, "PROPOSALS_AMOUNT_CEILING", 2_000_000_000, int),
        exempt=tuple(e.strip() for e in exempt.split(",") if e.strip())
        if exempt
        else DEFAULT_EXEMPT,
        agencies=Agencies(
            admin=setting(cfg, "PROPOSALS_ADMIN_AGENCY", "KESRA"),
            budget=setting(cfg, "PROPOSALS_BUDGET_AGENCY", "BPKAD"),
        ),
        lpj_deadline=_month_day(setting(cfg, "PROPOSALS_LPJ_DEADLINE", "01-10")),
        reminder_days=_days(setting(cfg, "PROPOSALS_LPJ_REMINDER_DAYS", "28,14")),
        years_ahead=setting(cfg, "PROPOSALS_YEARS_AHEAD", 2, int),
    )


class Rules(DependencyProvider):
    def setup(self):
        self.rules = load_rules(self.container.config)

    def get_dependency(self, worker_ctx) -> ProposalRules:
        return self.rules
