"""Claim, send, record: every notification goes out through here, once.

A send is claimed before it starts (a conditional UPDATE: another replica's claim on the
same row matches nothing) and recorded after, each in its own short transaction, so the
database always says what is known: pending, sending (claimed, outcome not yet known),
sent, retrying (with the time of the next attempt) or failed.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import eventlet

from services.notifications import store
from services.notifications.channels import Channel, Outgoing
from services.notifications.delivery import (
    DeliveryFailure,
    PermanentFailure,
    RetryPolicy,
    TransientFailure,
    after_failure,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CourierSettings:
    retry: RetryPolicy
    lease: timedelta  # a claim older than this is presumed abandoned (process died mid-send)
    batch: int  # rows claimed per sweep
    concurrency: int  # sends in flight per sweep


def outgoing(row: dict) -> Outgoing:
    return Outgoing(
        notification_id=row["id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        category=row["category"],
        user_id=row["user_id"],
        address=row["address"],
        subject=row["subject"],
        text=row["body_text"],
        html=row["body_html"],
        created_at=row["created_at"],
    )


class Courier:
    def __init__(self, session_factory, channels: dict[str, Channel], settings: CourierSettings):
        self.session_factory = session_factory
        self.channels = channels
        self.settings = settings

    def send(self, rows: list[dict], token: str) -> int:
        """Send rows this worker claimed (born claimed when it created them); record outcomes."""
        return self._send_claimed(rows, token)

    def sweep(self) -> int:
        """Send what is due: rows past their grace or backoff, and abandoned claims."""
        total = 0
        while True:
            rows, token = self._claim()
            total += self._send_claimed(rows, token)
            if len(rows) < self.settings.batch:
                return total

    def _claim(self) -> tuple[list[dict], str]:
        token = uuid.uuid4().hex
        with self.session_factory() as session:
            rows = store.claim_notifications(
                session,
                datetime.now(UTC),
                self.settings.lease,
                token,
                batch=self.settings.batch,
            )
            session.commit()
        return rows, token

    def _send_claimed(self, rows: list[dict], token: str) -> int:
        """Send concurrently; record outcomes as they come, a few per transaction."""
        if not rows:
            return 0
        results = (
            [self._attempt(rows[0])]
            if len(rows) == 1
            else eventlet.GreenPool(self.settings.concurrency).imap(self._attempt, rows)
        )
        sent, done = 0, []
        for result in results:
            done.append(result)
            if len(done) >= self.settings.concurrency:
                sent += self._record(done, token)
                done = []
        return sent + self._record(done, token)

    def _attempt(self, row: dict) -> tuple[dict, str | None, DeliveryFailure | None]:
        channel = self.channels.get(row["channel"])
        try:
            if channel is None:
                raise PermanentFailure(f"kanal {row['channel']!r} tidak tersedia")
            return row, channel.deliver(outgoing(row)), None
        except DeliveryFailure as failure:
            return row, None, failure
        except Exception as exc:  # a bug or an unexpected library error: retry, don't lose
            log.exception("unexpected error while sending", extra={"notification_id": row["id"]})
            return row, None, TransientFailure(f"{exc.__class__.__name__}: {exc}")

    def _record(self, results: list, token: str) -> int:
        if not results:
            return 0
        now = datetime.now(UTC)
        sent = 0
        with self.session_factory() as session:
            for row, reference, failure in results:
                if failure is None:
                    sent += 1
                    if not store.record_sent(session, row["id"], token, reference, now):
                        log.warning(
                            "sent after its claim expired", extra={"notification_id": row["id"]}
                        )
                    continue
                outcome = after_failure(failure, row["attempts"], self.settings.retry, now)
                # the reason may quote the address (SMTP replies do): it goes to last_error only
                log.warning(
                    "delivery failed",
                    extra={
                        "notification_id": row["id"],
                        "channel": row["channel"],
                        "attempts": row["attempts"],
                        "transient": failure.transient,
                        "next_status": outcome.status,
                    },
                )
                store.record_failure(session, row["id"], token, outcome)
            session.commit()
        return sent
