"""Which sessions have ended: each gateway process's view of its users' session versions.

Signing out raises the user's session version in the accounts service; a token carries the
version it was issued under (claim "sv") and is refused once it is older than the user's
current one. Each process keeps the versions it knows in memory:

- the process that handled the sign-out knows at once (`ended`);
- every process asks accounts what changed since its last answer (a cursor) at most once per
  `interval` (about a second), lazily, on a request that checks a token; only one request
  asks, the others use what is known (the first load is waited for);
- only sign-outs newer than the token lifetime matter (older tokens have expired), so an entry
  is forgotten after that long;
- if accounts cannot be reached the last known state stays (a warning is logged), and the
  next request after `interval` tries again.

So a sign-out takes effect at once in the process that handled it, and within about a second
(plus one call to accounts) in every other process that is serving requests.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

Fetch = Callable[[str | None], dict]  # cursor -> {"cursor": str, "versions": [[user, version]]}


class SessionVersions:
    def __init__(
        self,
        fetch: Fetch,
        max_age: float,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._fetch = fetch
        self._max_age = max_age
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._versions: dict[int, tuple[int, float]] = {}  # user id -> (version, when seen)
        self._cursor: str | None = None
        self._loaded = False
        self._next_refresh = float("-inf")

    def accepts(self, user_id: int, version: int) -> bool:
        """Whether a token of `user_id` issued under session `version` is still valid."""
        self._refresh()
        known = self._versions.get(user_id)
        return known is None or version >= known[0]

    def ended(self, user_id: int, version: int) -> None:
        """The user signed out here: their tokens below `version` stop working now."""
        with self._lock:
            self._record(user_id, version, self._clock())

    def _record(self, user_id: int, version: int, seen: float) -> None:
        known = self._versions.get(user_id)
        if known is None or version >= known[0]:
            self._versions[user_id] = (version, seen)

    def _refresh(self) -> None:
        if self._clock() < self._next_refresh:
            return
        if not self._lock.acquire(blocking=not self._loaded):
            return  # another request is asking: use what is known
        try:
            now = self._clock()
            if now < self._next_refresh:
                return
            self._next_refresh = now + self._interval
            try:
                answer = self._fetch(self._cursor)
            except Exception as exc:
                log.warning(
                    "session versions not refreshed; the last known ones still apply",
                    extra={"error": type(exc).__name__},
                )
                return
            for user_id, version in answer["versions"]:
                self._record(int(user_id), int(version), now)
            self._cursor = answer["cursor"]
            self._loaded = True
            self._versions = {
                user: known
                for user, known in self._versions.items()
                if now - known[1] <= self._max_age
            }
        finally:
            self._lock.release()
