"""Service-level deadlines in working days, in Western Indonesia Time (WIB)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from servicekit.dates import NATIONAL_HOLIDAYS

WIB = ZoneInfo("Asia/Jakarta")

# National holidays and collective leave (servicekit.dates); operators extend the list with
# COMPLAINTS_HOLIDAYS (comma-separated YYYY-MM-DD).
DEFAULT_HOLIDAYS = NATIONAL_HOLIDAYS


@dataclass(frozen=True)
class SlaPolicy:
    verify_days: int = 3
    response_days: int = 5
    resolve_days: int = 30
    holidays: frozenset[date] = field(default_factory=lambda: DEFAULT_HOLIDAYS)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def deadline(self, start: datetime, working_days: int) -> datetime:
        """The end (23:59:59 WIB) of the `working_days`-th working day after the day of `start`."""
        day = start.astimezone(WIB).date()
        counted = 0
        while counted < working_days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, time(23, 59, 59), tzinfo=WIB)


def due_for(policy: SlaPolicy, status: str, since: datetime) -> datetime | None:
    """When the current stage must be over: verification, the agency's first response, the fix."""
    days = {
        "submitted": policy.verify_days,
        "forwarded": policy.response_days,
        "in_progress": policy.resolve_days,
    }
    if status not in days:
        return None
    return policy.deadline(since, days[status])
