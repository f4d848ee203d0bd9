"""The interface every spatial backend implements, and the answers both must agree on."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

# the answers, shared with the gateway's copy of the index
from servicekit.geo.locating import (  # noqa: F401
    EARTH_RADIUS_M,
    AreaRef,
    Location,
    choose,
    haversine_m,
)


@dataclass(frozen=True)
class NearbyPoint:
    feature_id: str
    lon: float
    lat: float
    distance_m: float
    properties: dict = field(default_factory=dict)


class SpatialBackend(ABC):
    """One current boundary set, point layers; answers identical on every backend."""

    @abstractmethod
    def locate_many(
        self, session: Session, set_id: int, points: list[tuple[float, float]]
    ) -> list[Location]:
        """Locate (lat, lon) points in the desa of a boundary set."""

    @abstractmethod
    def nearby(
        self,
        session: Session,
        layer: str,
        lat: float,
        lon: float,
        radius_m: float,
        filters: dict,
        limit: int,
    ) -> list[NearbyPoint]:
        """Points of a layer within radius_m metres, nearest first, matching property filters."""

    @abstractmethod
    def nearest(
        self, session: Session, layer: str, lat: float, lon: float, k: int, filters: dict
    ) -> list[NearbyPoint]:
        """The k nearest points of a layer, matching property filters."""

    def invalidate(self) -> None:  # noqa: B027  (optional hook: only caching backends need it)
        """Forget anything cached (a new boundary set became current)."""
