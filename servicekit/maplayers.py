"""Public map layers that an app feeds with its events and gis serves (OGC API Features).

An app publishes its layers in its contract (plain data and one pure function per layer) and
names them in its manifest (`AppSpec.map_layers = "services.<app>.contract:MAP_LAYERS"`); the gis
service collects every installed app's layers and binds a queue to the events that feed them.
A layer holds public fields only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MapLayer:
    name: str
    title: str
    description: str
    queryables: tuple[str, ...]
    events: tuple[str, ...]
    point_from: Callable[[dict], dict | None]  # event payload -> point, or None: remove it
