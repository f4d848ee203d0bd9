"""The gis service: which kecamatan and desa a point is in, point layers, spatial queries.

Every entrypoint of the service is declared here, and each hands a `Desk` (its dependencies)
to a plain module that holds the rules: areas, points, features. What other processes may
know of it is its contract (services.gis.contract).
"""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.reliable_events import reliable_event_handler
from services.gis import areas, features
from services.gis import points as point_layers
from services.gis.dependencies import Spatial
from services.gis.desk import Desk
from services.gis.layers import layer_events
from services.gis.models import outbox


class GisService:
    name = "gis"

    db = Database("gis")
    outbox = Outbox(outbox)
    actor = CallContext()
    spatial = Spatial()

    def _desk(self) -> Desk:
        return Desk(self.db, self.actor, self.spatial)

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- locating ---------------------------------------------------------------------------

    @rpc
    def locate(self, lat: float, lon: float) -> dict:
        """The desa and kecamatan a point is in (a point on a border counts as inside); outside the
        regency: inside=false with the nearest desa and its distance in metres."""
        return areas.locate_many(self._desk(), [[lat, lon]])[0]

    @rpc
    def locate_many(self, points: list) -> list[dict]:
        """locate for many [lat, lon] points at once (at most GIS_BATCH_MAX)."""
        return areas.locate_many(self._desk(), points)

    @rpc
    def locator_snapshot(self) -> dict:
        """The current set's desa polygons (WKB) with codes and names, for a read-only copy of
        `locate` at the edge (the gateway). About 1.5 MB on the real data; fetched once per
        boundary version."""
        return areas.locator_snapshot(self._desk())

    @rpc
    def boundary_version(self) -> dict:
        """Which boundary set is current: cheap, for holders of a snapshot to check."""
        return areas.boundary_version(self._desk())

    @rpc
    def search_areas(self, q: str, level: str | None = None, limit: int = 10) -> list[dict]:
        """Areas by code or name, tolerant of known alternative spellings (Tanjung Teja → Tunjung Teja)."""
        return areas.search_areas(self._desk(), q, level, limit)

    # --- point layers ----------------------------------------------------------------------

    @rpc
    def nearby(
        self,
        layer: str,
        lat: float,
        lon: float,
        radius_m: float,
        filters: dict | None = None,
        limit: int = 50,
    ) -> list[dict]:
        """Points of a layer within radius_m metres, nearest first (e.g. duplicate complaints)."""
        return point_layers.nearby(self._desk(), layer, lat, lon, radius_m, filters, limit)

    @rpc
    def nearest(
        self, layer: str, lat: float, lon: float, k: int = 5, filters: dict | None = None
    ) -> list[dict]:
        """The k nearest points of a layer."""
        return point_layers.nearest(self._desk(), layer, lat, lon, k, filters)

    @rpc(callers=("complaints", "proposals"))
    def upsert_points(self, layer: str, points: list[dict]) -> int:
        """Add or replace points of a layer (public fields only)."""
        return point_layers.upsert_points(self._desk(), layer, points)

    @rpc(callers=("complaints", "proposals"))
    def remove_points(self, layer: str, feature_ids: list[str]) -> int:
        return point_layers.remove_points(self._desk(), layer, feature_ids)

    @reliable_event_handler(event_types=layer_events)
    def feed_layers(self, event_type: str, payload: dict) -> None:
        """Keep the public point layers in step with the facts other services publish."""
        point_layers.feed_layers(self._desk(), event_type, payload)

    # --- boundaries ----------------------------------------------------------------------------

    @rpc
    def import_boundaries(self, geojson: dict, version: str, source: str) -> dict:
        """Admins import a boundary GeoJSON as a new version; a bad file changes nothing."""
        return areas.import_boundaries(self._desk(), geojson, version, source)

    @rpc
    def boundary_sets(self) -> list[dict]:
        return areas.boundary_sets(self._desk())

    # --- OGC API - Features ----------------------------------------------------------------------

    @rpc
    def collections(self) -> list[dict]:
        return features.collections(self._desk())

    @rpc
    def items(self, collection: str, params: dict) -> dict:
        """Features of a collection in a bbox, filtered by properties (and datetime for points), paged."""
        return features.items(self._desk(), collection, params)

    @rpc
    def feature(self, collection: str, feature_id: str) -> dict:
        return features.feature(self._desk(), collection, feature_id)
