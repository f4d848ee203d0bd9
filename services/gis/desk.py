"""What the rules of the gis service work with, gathered once per call by the service.

Every entrypoint of GisService builds a `Desk` from its dependencies and hands it to a plain
function (areas, points, features); those need no nameko and no RabbitMQ, so a test gives
them a session, an actor and a spatial engine of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.errors import Unavailable
from servicekit.geo.locating import CurrentSet
from services.gis.dependencies import Spatial


@dataclass(frozen=True)
class Desk:
    db: Session
    actor: Actor
    spatial: Spatial  # the backend, the current boundary set (cached) and the batch limit

    def current(self) -> CurrentSet:
        """The current boundary set; 503 while none is loaded."""
        current = self.spatial.current(self.db)
        if current is None:
            raise Unavailable("Belum ada batas wilayah yang dimuat.")
        return current
