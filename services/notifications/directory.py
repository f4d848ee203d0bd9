"""Recipients' contacts from the accounts service, one RPC for many concurrent events.

Under load many workers expand events at once, and each wants `accounts.contacts` for its
one or two users: an RPC per event was the largest cost after the database (the accounts
process and RabbitMQ burned more CPU on it than the sending itself). The first worker that
asks opens a batch, waits `window` seconds for the others to add their ids, makes one call
for all of them and hands each its own answer. Nothing is cached: every answer is fresh from
accounts; an error reaches every worker of the batch (their events are retried).
"""

from __future__ import annotations

import eventlet
from eventlet.event import Event


class _Batch:
    def __init__(self):
        self.ids: set[int] = set()
        self.done = Event()
        self.contacts: dict[int, dict] = {}
        self.error: Exception | None = None


class ContactBatcher:
    def __init__(self, window: float, max_ids: int = 500):
        self.window = window
        self.max_ids = max_ids
        self._open: _Batch | None = None

    def contacts(self, accounts, user_ids: list[int]) -> list[dict]:
        batch = self._open
        if batch is not None and len(batch.ids) < self.max_ids:
            batch.ids.update(user_ids)  # cooperative threads: no switch between check and add
            batch.done.wait()
        else:
            batch = self._open = _Batch()
            batch.ids.update(user_ids)
            if self.window > 0:
                eventlet.sleep(self.window)  # the others join
            if self._open is batch:
                self._open = None
            try:
                batch.contacts = {c["user_id"]: c for c in accounts.contacts(sorted(batch.ids))}
            except Exception as exc:  # noqa: BLE001  (handed to every worker of the batch)
                batch.error = exc
            batch.done.send()
        if batch.error is not None:
            raise batch.error
        return [batch.contacts[i] for i in user_ids if i in batch.contacts]


class Directory:
    """What the recipient rules ask: the accounts client of this worker, batched."""

    def __init__(self, accounts, batcher: ContactBatcher):
        self.accounts = accounts
        self.batcher = batcher

    def contacts(self, user_ids: list[int]) -> list[dict]:
        return self.batcher.contacts(self.accounts, list(user_ids))

    def agency_staff(self, agency: str, roles: list[str]) -> list[dict]:
        return self.accounts.agency_staff(agency, roles)
