"""The interface every spatial backend implements, and the answers both must agree on."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class AreaRef:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class Location:
    """Where a point falls: its desa (deterministic when desa overlap) and the others under ambiguous."""

    inside: bool
    desa: AreaRef | None = None
    ambiguous: tuple[AreaRef, ...] = ()
    nearest: AreaRef | None = None
    distance_m: float | None = None


@dataclass(frozen=True)
class NearbyPoint:
    feature_id: str
    lon: float
    lat: float
    distance_m: float
    properties: dict = field(default_factory=dict)


def choose(covering: list[tuple[float, AreaRef]]) -> tuple[AreaRef, tuple[AreaRef, ...]]:
    """The desa the point lies deepest inside (then the smallest code), and the others."""
    ordered = sorted(covering, key=lambda item: (-round(item[0], 9), item[1].code))
    return ordered[0][1], tuple(ref for _, ref in ordered[1:])


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
