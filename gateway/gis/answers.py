"""Area items (kecamatan, desa) answered once per boundary version (issue #15).

An area collection's answer depends only on the query, the site's address in its links and the
boundary set, and a boundary set never changes once imported (a new import is a new set). Each
gateway app (one per process) keeps the serialised answers it gave (least recently used first out) by
(collection, query, address, set id and version), within a byte budget. The whole desa layer is
1.4 MB of JSON that gis serialised, the gateway parsed and serialised again, every time.

Which set is current, each process asks gis (a small RPC) at most once every
GIS_ANSWER_CHECK_SECONDS (1 s by default; 0: on every request), synchronously: a request after
the interval waits for the answer, so an answer is never given more than that long after gis
has a new set (gis itself adopts a new import within GIS_SET_CACHE_SECONDS), and at once in
the process that imported it. Every answer carries a strong ETag (the digest of its bytes) with
`Cache-Control: no-cache`, so a browser revalidates and gets 304 without the body.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

import numpy
import shapely
from shapely.geometry import shape

BUDGET = 16 * 1024 * 1024  # bytes of answers kept per process (the whole desa layer: 1.4 MB)


class Answers:
    def __init__(self, budget: int = BUDGET, check_seconds: float = 1.0):
        self.budget = budget
        self.check_seconds = check_seconds  # GIS_ANSWER_CHECK_SECONDS, read once per app
        self.size = 0
        self._kept: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._collections: dict[tuple, list[dict]] = {}
        self._lock = threading.Lock()
        self._current: tuple[tuple | None, float] = (None, 0.0)  # (set id, version), when asked
        self._indexes: dict[tuple, AreaIndex | None] = {}

    def current(self, ask, seconds: float | None = None) -> tuple:
        """The current boundary set (id, version): gis's answer to `ask()`, asked again only
        once it is `seconds` old (default: this app's check_seconds; every time with 0)."""
        seconds = self.check_seconds if seconds is None else seconds
        kept, asked = self._current
        if kept is not None and time.monotonic() - asked < seconds:
            return kept
        found = ask()
        kept = (found["set_id"], found["version"])
        self._current = (kept, time.monotonic())
        return kept

    def forget(self) -> None:
        """Ask gis for the current set on the next request (this process imported a new one)."""
        self._current = (None, 0.0)

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple, body: bytes) -> tuple[bytes, str]:
        answer = (body, hashlib.sha256(body).hexdigest()[:32])
        if len(body) <= self.budget // 4:  # a few at least fit
            with self._lock:
                if (old := self._kept.pop(key, None)) is not None:
                    self.size -= len(old[0])
                self._kept[key] = answer
                self.size += len(body)
                while self.size > self.budget:  # the least recently used out first
                    _, (dropped, _) = self._kept.popitem(last=False)
                    self.size -= len(dropped)
        return answer

    def __len__(self) -> int:
        return len(self._kept)

    def index(self, collection: str, set_key: tuple, ask) -> AreaIndex | None:
        """The area collection of the set `set_key` for bbox queries, built from `ask()` (gis's
        whole collection, or None when it is too large to hold) the first time."""
        key = (collection, set_key)
        with self._lock:
            if key in self._indexes:
                return self._indexes[key]
        whole = ask()
        found = AreaIndex(whole["features"]) if whole is not None else None
        with self._lock:  # only the current set's are kept
            self._indexes = {k: v for k, v in self._indexes.items() if k[1] == set_key}
            self._indexes[key] = found
        return found

    def collections(self, set_key: tuple, ask) -> list[dict]:
        """gis's collections for the boundary set `set_key`, asked (`ask()`) only the first time:
        they follow from the set alone (its version in their descriptions, the point layers
        from the code), so an OGC request makes one small RPC (the current set) before its own
        answer instead of two."""
        with self._lock:
            found = self._collections.get(set_key)
        if found is None:
            found = ask()
            with self._lock:
                self._collections = {set_key: found}  # only the current set's are needed
        return found


class AreaIndex:
    """An area collection (kecamatan or desa) of one boundary set, held by a gateway process to
    answer bbox queries exactly as gis answers them (services/gis/features.items), without the
    round trip: the areas whose bounding box meets the bbox count as matched, a page of them in
    gis's order (by code) is taken, and of the page those whose polygon meets the bbox are
    returned. Each feature is kept serialised once, as it goes into an answer."""

    def __init__(self, features: list[dict], dumps=None):
        from flask import json

        dumps = dumps or (lambda feature: json.dumps(feature, ensure_ascii=False))
        self.fragments = [dumps(feature).encode() for feature in features]  # in gis's order
        self.geometries = numpy.array([shape(feature["geometry"]) for feature in features])
        self.bounds = shapely.bounds(self.geometries).reshape(-1, 4)  # min lon, min lat, max...
        # Never shapely.prepare() them: GEOS fills a prepared geometry's caches on first use,
        # unguarded, and the gateway's threads query at once (double free, SIGSEGV, found
        # under `make bench`). Plain predicates only read.

    def query(self, bbox: list[float], limit: int, offset: int) -> tuple[list[bytes], int]:
        """The serialised features of the page, and how many areas matched the bbox."""
        min_lon, min_lat, max_lon, max_lat = bbox
        b = self.bounds
        hits = numpy.flatnonzero(
            (b[:, 2] >= min_lon)
            & (b[:, 0] <= max_lon)
            & (b[:, 3] >= min_lat)
            & (b[:, 1] <= max_lat)
        )
        page = hits[offset : offset + limit]
        meets = shapely.intersects(self.geometries[page], shapely.box(*bbox))
        return [self.fragments[i] for i in page[meets]], len(hits)
