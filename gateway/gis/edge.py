"""`locate` answered in the gateway process, from a read-only copy of the gis service's index.

"Which desa is this point in" is the platform's hottest read and a pure function of the
current boundary set, which changes a few times a year. Over the bus each answer costs a round
trip (a few ms and most of the CPU of the request); here it costs a tree lookup. The copy:

- is built from `GisClient.locator_snapshot` (the desa polygons as WKB) with the very
  `Locator` (servicekit.geo.locating) the gis service uses, so both give the same answers for the same boundary version;
- is checked every GIS_EDGE_CHECK_SECONDS with `GisClient.boundary_version`, in a background
  thread (a request never waits for it), and replaced when the version changed;
- is loaded on first use; until then, or when the gis service cannot be reached to load it,
  the request goes to the service over RPC as before (and gets its 503 when it is down).

GIS_EDGE_LOCATE=false turns it off (every locate goes over the bus).
"""

from __future__ import annotations

import logging
import threading
import time

from servicekit.geo.locating import from_snapshot, location_dict
from services.gis.contract import GisClient

log = logging.getLogger(__name__)


class EdgeLocator:
    def __init__(self, gis: GisClient, check_seconds: float):
        self.gis = gis  # called as the gateway itself, outside any request
        self.check_seconds = check_seconds
        self._state = None  # (Locator, CurrentSet)
        self._checked = 0.0
        self._lock = threading.Lock()  # one load or check at a time per process

    def locate_many(self, points: list[tuple[float, float]]) -> list[dict] | None:
        """Answers for [(lat, lon)], or None when no copy could be loaded (ask the service)."""
        state = self._state
        if state is None:
            state = self._load()
            if state is None:
                return None
        elif time.monotonic() - self._checked > self.check_seconds:
            self._check_in_background()
        locator, current = state
        found = locator.locate_many(points)
        return [
            location_dict(lat, lon, loc, current)
            for (lat, lon), loc in zip(points, found, strict=True)
        ]

    def forget(self) -> None:
        """Drop the copy (after an import through this process): the next request loads anew."""
        self._state = None

    def _load(self):
        if not self._lock.acquire(timeout=30):
            return self._state
        try:
            if self._state is None:
                self._replace()
            return self._state
        except Exception:  # the service is down or slow: fall back to RPC, try again later
            log.warning("no local copy of the gis index yet", exc_info=True)
            return None
        finally:
            self._lock.release()

    def _check_in_background(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is checking
        self._checked = time.monotonic()

        def check():
            try:
                version = self.gis.boundary_version()
                if version["set_id"] != self._state[1].id:
                    self._replace()
            except Exception:  # keep answering from the copy we have; check again later
                log.warning("could not check the gis boundary version", exc_info=True)
            finally:
                self._lock.release()

        threading.Thread(target=check, name="gis-edge-check", daemon=True).start()

    def _replace(self) -> None:
        locator, current = from_snapshot(self.gis.locator_snapshot())
        self._state = (locator, current)
        self._checked = time.monotonic()
        log.info(
            "local copy of the gis index loaded",
            extra={"boundary_version": current.version, "desa": len(locator.refs)},
        )
