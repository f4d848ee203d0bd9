"""Tables of the gis service's own database.

Geometry columns are PostGIS `geometry(…, 4326)` with GiST indexes on PostgreSQL, and WKB
blobs on SQLite (where shapely's STRtree does the spatial indexing in memory).
"""

from __future__ import annotations

from datetime import datetime

import shapely
from geoalchemy2 import Geometry
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from servicekit.database import UtcDateTime
from servicekit.outbox import outbox_table


class GeometryType(TypeDecorator):
    """A shapely geometry: PostGIS geometry on PostgreSQL, WKB on anything else."""

    impl = LargeBinary
    cache_ok = True
    # read by geoalchemy2's DDL hooks: the GiST index is declared explicitly on the table
    spatial_index = False
    use_N_D_index = False
    use_typmod = None
    srid = 4326
    dimension = 2

    def __init__(self, geometry_type: str = "GEOMETRY"):
        super().__init__()
        self.geometry_type = geometry_type

    def load_dialect_impl(self, dialect):
        if dialect is None:  # geoalchemy2's DDL hooks ask without a dialect: nothing to manage
            return LargeBinary()
        if dialect.name == "postgresql":
            return dialect.type_descriptor(
                Geometry(self.geometry_type, srid=4326, spatial_index=False)
            )
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return from_shape(value, srid=4326)
        return shapely.to_wkb(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return to_shape(value)
        return shapely.from_wkb(bytes(value))


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)


class BoundarySet(Base):
    """One imported version of the boundaries; exactly one is current."""

    __tablename__ = "boundary_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    area_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Area(Base):
    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("set_id", "code"),
        Index("ix_areas_set_level", "set_id", "level"),
        Index("ix_areas_geom", "geom", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("boundary_sets.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(12))  # kabupaten | kecamatan | desa
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    parent_code: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(20))  # desa | kelurahan
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    geom = mapped_column(GeometryType("MULTIPOLYGON"), nullable=False)


class Point(Base):
    """A public point of another service's layer (complaints, proposals): public fields only."""

    __tablename__ = "points"
    __table_args__ = (
        Index("ix_points_layer_lon_lat", "layer", "lon", "lat"),
        Index("ix_points_layer_datetime", "layer", "datetime"),
        Index("ix_points_geom", "geom", postgresql_using="gist"),
    )

    layer: Mapped[str] = mapped_column(String(40), primary_key=True)
    feature_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    properties: Mapped[dict] = mapped_column(JSON, default=dict)
    datetime: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    geom = mapped_column(GeometryType("POINT"), nullable=False)
