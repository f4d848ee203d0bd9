"""The spatial engine of the gis service, as a dependency provider.

At start it makes sure a boundary set is loaded (GIS_BOUNDARIES_FILE, else the shipped
approximate demo set), picks the backend from the database dialect (PostGIS on
PostgreSQL, shapely STRtree otherwise) and caches the current set briefly.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from pathlib import Path

from nameko.extensions import DependencyProvider
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicekit.config import setting
from servicekit.database import Database
from servicekit.geo.locating import CurrentSet
from services.gis import store
from services.gis.backends import backend_for
from services.gis.backends.base import SpatialBackend
from services.gis.boundaries import (
    DEMO_SOURCE,
    DEMO_VERSION,
    demo_records,
    parse_feature_collection,
    with_kecamatan,
)

log = logging.getLogger(__name__)


def load_file(path: Path) -> tuple:
    """The file's areas (frozen records), parsed once per process for the same file: a process
    that starts the service again (the tests' platforms, one per module) does not parse the
    regency's 326 desa again (about 0.3 s); a file replaced on disk is read again."""
    found = path.stat()
    return _parsed(str(path.resolve()), found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> tuple:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(with_kecamatan(parse_feature_collection(data)))


def ensure_boundaries(session: Session, boundaries_file: str | None) -> None:
    """Import GIS_BOUNDARIES_FILE when set (idempotent), else the demo set when nothing is loaded."""
    if boundaries_file:
        path = Path(boundaries_file)
        store.import_set(session, load_file(path), version=path.stem, source=str(path.resolve()))
    elif store.current_set(session) is None:
        store.import_set(
            session, demo_records(), version=DEMO_VERSION, source=DEMO_SOURCE, approximate=True
        )
        log.warning(
            "no boundary set was loaded: loaded the APPROXIMATE demo set (import the official one)"
        )
    session.commit()


class Spatial(DependencyProvider):
    def setup(self):
        self.db = next(d for d in self.container.dependencies if isinstance(d, Database))
        self.boundaries_file = setting(self.container.config, "GIS_BOUNDARIES_FILE")
        self.cache_seconds = setting(self.container.config, "GIS_SET_CACHE_SECONDS", 5.0, float)
        self.batch_max = setting(self.container.config, "GIS_BATCH_MAX", 10_000, int)
        self._current: CurrentSet | None = None
        self._fetched = 0.0

    def start(self):
        self.backend: SpatialBackend = backend_for(self.db.engine.dialect.name)
        with self.db.session_factory() as session:
            try:
                ensure_boundaries(session, self.boundaries_file)
            except IntegrityError:  # another replica imported the same set at the same moment
                session.rollback()

    def get_dependency(self, worker_ctx) -> Spatial:
        return self

    def current(self, session: Session) -> CurrentSet | None:
        if self._current is None or time.monotonic() - self._fetched > self.cache_seconds:
            found = store.current_set(session)
            if found is None:
                return None
            if self._current is None or self._current.id != found.id:
                names = {
                    code: name
                    for code, name in store.area_names(session, found.id).items()
                    if code.count(".") == 2
                }
                self._current = CurrentSet(found.id, found.version, found.approximate, names)
                self.backend.invalidate()
            self._fetched = time.monotonic()
        return self._current

    def forget_current(self) -> None:
        self._current = None
