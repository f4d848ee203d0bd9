"""The gis app's manifest (registered in pyproject.toml, group `gawe.apps`).

The public map layers other apps feed are published in their contracts and named in their
manifests (`map_layers`); gis collects them (services/gis/layers.py).
"""

from servicekit.apps import AppSpec, Section
from servicekit.opendata import IRREGULAR, Dataset, Distribution

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
    datasets=(
        Dataset(
            "batas-wilayah",
            "Batas kecamatan dan desa Kabupaten Serang",
            "Batas 29 kecamatan dan 326 desa dengan kode Kemendagri, versi batas yang berlaku "
            "(OGC API Features, GeoJSON).",
            ("batas wilayah", "kecamatan", "desa", "peta"),
            IRREGULAR,
            (
                Distribution(
                    "GeoJSON",
                    "application/geo+json",
                    "/gis/collections/kecamatan/items?limit=1000",
                    "Batas kecamatan",
                ),
                Distribution(
                    "GeoJSON",
                    "application/geo+json",
                    "/gis/collections/desa/items?limit=1000",
                    "Batas desa",
                ),
            ),
            "Wilayah",
        ),
    ),
)
