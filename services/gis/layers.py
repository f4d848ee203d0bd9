"""The public point layers gis serves: every installed app's, found through its manifest.

An app publishes its layers in its contract (servicekit.maplayers.MapLayer: the events that
feed it and a function turning one event into a point, or None to remove it) and names them in
its manifest (`map_layers`); nothing here changes when an app joins.
"""

from __future__ import annotations

from servicekit.apps import installed_apps, load
from servicekit.maplayers import MapLayer

LAYERS: dict[str, MapLayer] = {
    layer.name: layer
    for spec in installed_apps()
    if spec.map_layers
    for layer in load(spec.map_layers)
}


def layer_events() -> list[str]:
    return sorted({event for layer in LAYERS.values() for event in layer.events})


def layer_for_event(event_type: str) -> MapLayer | None:
    return next((layer for layer in LAYERS.values() if event_type in layer.events), None)
