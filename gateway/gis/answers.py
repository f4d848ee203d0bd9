"""Area items (kecamatan, desa) answered once per boundary version (issue #15).

An area collection's answer depends only on the query, the site's address in its links and the
boundary set, and a boundary set never changes once imported (a new import is a new set). Each
gateway app (one per process) keeps the serialised answers it gave (least recently used first out) by
(collection, query, address, set id and version), within a byte budget, and asks gis for the current set
on every request, a small RPC instead of the whole answer's: the whole desa layer is 1.4 MB of JSON that gis
serialised, the gateway parsed and serialised again, every time. An answer is therefore never
given once its set is no longer current in gis, and carries a strong ETag (the digest of its
bytes) with `Cache-Control: no-cache`, so a browser revalidates and gets 304 without the body.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

BUDGET = 16 * 1024 * 1024  # bytes of answers kept per process (the whole desa layer: 1.4 MB)


class Answers:
    def __init__(self, budget: int = BUDGET):
        self.budget = budget
        self.size = 0
        self._kept: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._collections: dict[tuple, list[dict]] = {}
        self._lock = threading.Lock()

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
