"""Reading every trail of a site in threads, while the main thread checks what has arrived.

A kind's pages follow each other by cursor (`after` = the last chain of the page before), so
read one after the other they take as long as the site takes to make them all. The cursor is
only a chain name, though: with more than one thread (`--jobs`), the chain names the digests
anchored split the kind into segments of about SEGMENT chains, each read from its own first
cursor in a thread of its own and ended at the next segment's first chain. That relies on the
site ordering chains by code point, as the contract says; each page is checked for it, and a
kind whose pages are not is read again from the start, one page after the other.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter

from gawe_verify.client import Site

SEGMENT = 900  # a little under a page: a segment's first page usually reaches its end


class OutOfOrder(Exception):
    pass


def plan(kind: str, anchored: list[str], jobs: int) -> list[tuple[str, str | None, str | None]]:
    """(kind, after, last) per segment: the chains after `after` up to `last` (None: from the
    first, to the end)."""
    if jobs < 2 or len(anchored) <= SEGMENT:
        return [(kind, None, None)]
    names = sorted(anchored)
    ends = names[SEGMENT - 1 :: SEGMENT]
    starts = [None, *ends]
    return [(kind, start, ends[i] if i < len(ends) else None) for i, start in enumerate(starts)]


class TrailReader:
    def __init__(self, pool, site: Site):
        self.pool = pool
        self.site = site
        self.out_of_order: set[str] = set()

    def read(self, tasks: list[tuple[str, str | None, str | None]]):
        """Every trail the tasks cover, as the threads read them."""
        pages: queue.Queue = queue.Queue(maxsize=8)
        stop = threading.Event()

        def put(item) -> bool:
            while not stop.is_set():
                try:
                    pages.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def pump(kind: str, after: str | None, last: str | None, segmented: bool) -> None:
            if stop.is_set():
                return
            try:
                for page in self._segment(kind, after, last, segmented):
                    if not put(page):
                        return
            except OutOfOrder:
                self.out_of_order.add(kind)
            except BaseException as error:  # noqa: BLE001 - raised again in the reading thread
                put(error)
                return
            put(None)

        per_kind = Counter(kind for kind, _, _ in tasks)
        for kind, after, last in tasks:
            self.pool.submit(pump, kind, after, last, per_kind[kind] > 1)
        running = len(tasks)
        try:
            while running:
                page = pages.get()
                if page is None:
                    running -= 1
                elif isinstance(page, BaseException):
                    raise page
                else:
                    yield from page
        finally:
            stop.set()

    def _segment(self, kind: str, after: str | None, last: str | None, segmented: bool):
        previous = after
        for page in self.site.trail_pages(kind, after):
            if not segmented:
                yield page
                continue
            if kind in self.out_of_order:
                return
            kept = []
            for trail in page:
                chain = trail.get("chain") if isinstance(trail, dict) else None
                if not isinstance(chain, str) or (previous is not None and chain <= previous):
                    raise OutOfOrder(kind)
                if last is not None and chain > last:
                    yield kept
                    return
                kept.append(trail)
                previous = chain
            yield kept
