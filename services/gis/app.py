"""The gis app's manifest (registered in pyproject.toml, group `gawe.apps`).

The layers other apps feed are still declared in services/gis/layers.py; each app names
its own in its manifest (`map_layers`).
"""

from servicekit.apps import AppSpec

APP = AppSpec(
    name="gis",
    service="services.gis.service:GisService",
    title="Peta wilayah",
    migrations="services.gis:migrations",
    gateway=("gateway.gis.rest",),
)
