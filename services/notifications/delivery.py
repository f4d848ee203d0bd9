"""The delivery rules: statuses, what happens after a failure, how long to wait. No I/O.

    pending ──claim──> sending ──> sent
                          │
                          ├─ transient failure, attempts < limit ──> retrying ──claim──> sending …
                          ├─ transient failure, attempts = limit ──> failed
                          └─ permanent failure ──────────────────────> failed

A claim is a conditional UPDATE (only one replica wins it) that also counts the attempt.
A `sending` row whose claim expired (the process died mid-send) is claimed again: its
outcome is unknown, so this is the one place a message may go out twice; the Message-ID
derived from the notification id lets the receiving side recognise it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

# the status codes are published in the contract (admins filter by them)
from services.notifications.contract import (  # noqa: F401
    DONE,
    EVENT_STATUSES,
    EXPANDING,
    FAILED,
    PARKED,
    PENDING,
    RECEIVED,
    RETRYING,
    SENDING,
    SENT,
    STATUSES,
)


class DeliveryFailure(Exception):
    """A channel could not deliver; `transient` says whether trying again may help."""

    transient = True

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TransientFailure(DeliveryFailure):
    transient = True


class PermanentFailure(DeliveryFailure):
    transient = False


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Exponential backoff with jitter: half fixed, half random, capped."""
        rng = rng or random
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Outcome:
    status: str
    next_attempt_at: datetime | None
    error: str | None


def after_failure(
    failure: DeliveryFailure, attempts: int, policy: RetryPolicy, now: datetime
) -> Outcome:
    """What a failed attempt (the `attempts`-th) leads to."""
    if not failure.transient:
        return Outcome(FAILED, None, f"gagal permanen: {failure.reason}")
    if attempts >= policy.max_attempts:
        return Outcome(FAILED, None, f"gagal setelah {attempts} percobaan: {failure.reason}")
    retry_at = now + timedelta(seconds=policy.delay(attempts))
    return Outcome(RETRYING, retry_at, failure.reason)
