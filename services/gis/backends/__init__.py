"""Spatial backends behind one interface: shapely/STRtree over SQLite, or PostGIS."""

from services.gis.backends.base import SpatialBackend


def backend_for(dialect_name: str) -> SpatialBackend:
    if dialect_name == "postgresql":
        from services.gis.backends.postgis import PostgisBackend

        return PostgisBackend()
    from services.gis.backends.shapely_index import ShapelyBackend

    return ShapelyBackend()
