"""The gis app's manifest (registered in pyproject.toml, group `gawe.apps`).

The public map layers other apps feed are published in their contracts and named in their
manifests (`map_layers`); gis collects them (services/gis/layers.py).
"""

from servicekit.apps import AppSpec, Section

APP = AppSpec(
    name="gis",
    service="services.gis.service:GisService",
    title="Peta wilayah",
    migrations="services.gis:migrations",
    gateway=("gateway.gis.rest",),
    pages={
        "home": (
            Section(
                "Peta wilayah",
                text="Batas 29 kecamatan dan 326 desa Kabupaten Serang.",
                links=(("Lihat peta", "/peta"),),
            ),
        ),
    },
)
