"""Points in and around Kabupaten Serang for tests, read from ../shared/data/serang at test time."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "serang"
KOTA_SERANG = (-6.1199, 106.1503)  # the city, a separate region: outside
JAVA_SEA = (-5.70, 106.20)


@cache
def desa_centroids() -> list[dict]:
    path = DATA / "kab_serang_desa.geojson"
    if not path.exists():
        pytest.skip(f"boundary data not found at {DATA}")
    features = json.loads(path.read_text())["features"]
    return [
        {
            "code": f["properties"]["kode"],
            "name": f["properties"]["nama"],
            "kecamatan_code": f["properties"]["kode_kec"],
            "lat": f["properties"]["centroid_lat"],
            "lon": f["properties"]["centroid_lng"],
        }
        for f in features
    ]


@cache
def desa_points() -> list[dict]:
    """Like desa_centroids, but always inside the desa: five published centres of concave or
    coastal desa fall outside their own polygon, and are replaced by a point on its surface."""
    import shapely
    from shapely.geometry import shape

    polygons = {
        f["properties"]["kode"]: shape(f["geometry"])
        for f in json.loads((DATA / "kab_serang_desa.geojson").read_text())["features"]
    }
    points = []
    for d in desa_centroids():
        polygon = polygons[d["code"]]
        if not polygon.covers(shapely.Point(d["lon"], d["lat"])):
            inside = polygon.representative_point()
            d = d | {"lat": inside.y, "lon": inside.x}
        points.append(d)
    return points


def desa_in(kecamatan_code: str) -> dict:
    return next(d for d in desa_points() if d["kecamatan_code"] == kecamatan_code)
