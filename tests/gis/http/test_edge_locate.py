"""The gateway answers locate from its own copy of the gis index: the same answers as the
service, still answering while gis is down, and following a new boundary version."""

from __future__ import annotations

import json

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.platform import running_platform
from tests.support.serang import DATA, JAVA_SEA, KOTA_SERANG, desa_in, desa_points
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def platform(platform_vhost, databases, platform_backend):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIS_EDGE_CHECK_SECONDS", "0.2")  # read when the gateway first locates
        with running_platform(platform_vhost, databases, platform_backend) as platform:
            yield platform


def edge(platform):
    return platform.app.extensions.get("gawe_gis_edge")


def by_rpc(platform, points: list[tuple[float, float]]) -> list[dict]:
    with ClusterRpcProxy(platform.config) as cluster:
        return cluster.gis.locate_many([list(p) for p in points])


def border_vertices(count: int) -> list[tuple[float, float]]:
    features = json.loads((DATA / "kab_serang_boundaries.geojson").read_text(encoding="utf-8"))
    vertices = []
    for feature in features["features"]:
        if feature["properties"]["level"] == "desa":
            rings = feature["geometry"]["coordinates"]
            ring = rings[0] if feature["geometry"]["type"] == "Polygon" else rings[0][0]
            lon, lat = ring[len(ring) // 3]
            vertices.append((lat, lon))
    return vertices[::17][:count]


def locate(client, lat, lon):
    response = client.get(f"/api/v1/gis/locate?lat={lat}&lon={lon}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def same_answers(got: list[dict], expected: list[dict]) -> None:
    """Equal answers, the distance to the nearest desa of a point outside to within 0.5 %: the
    gateway measures on the sphere, PostGIS on the spheroid (the same desa either way)."""

    def parts(answers):
        plain, metres = [], []
        for answer in answers:
            nearest = answer.get("nearest")
            if nearest:
                metres.append(nearest["distance_m"])
                answer = answer | {
                    "nearest": {k: v for k, v in nearest.items() if k != "distance_m"}
                }
            plain.append(answer)
        return plain, metres

    (got_plain, got_metres), (plain, metres) = parts(got), parts(expected)
    assert got_plain == plain
    assert got_metres == pytest.approx(metres, rel=0.005) and all(m > 0 for m in metres)


def test_the_gateway_answers_exactly_as_the_gis_service(platform, client):
    points = [(d["lat"], d["lon"]) for d in desa_points()[::3]] + [KOTA_SERANG, JAVA_SEA]
    # vertices of desa borders, most shared by two desa: the tie must be broken the same way
    points += border_vertices(20)

    one_by_one = [locate(client, lat, lon) for lat, lon in points]
    batch = client.post("/api/v1/gis/locate", json={"points": [list(p) for p in points]})

    assert edge(platform)._state is not None  # answered by the gateway's copy
    expected = by_rpc(platform, points)
    same_answers(one_by_one, expected)
    same_answers(batch.get_json(), expected)
    assert sum(a["inside"] for a in expected) == len(points) - 2
    assert any(a["ambiguous"] for a in expected)  # some vertices are in two desa


def test_a_new_boundary_version_reaches_the_gateway(platform, client):
    point = desa_in("36.04.05")
    features = json.loads((DATA / "kab_serang_boundaries.geojson").read_text(encoding="utf-8"))
    [renamed] = [f for f in features["features"] if f["properties"]["kode"] == point["code"]]
    renamed["properties"]["nama"] = f"{point['name']} Baru"
    assert locate(client, point["lat"], point["lon"])["desa"]["name"] == point["name"]

    # imported behind the gateway's back (by ops' CLI or another gateway): found by its check
    as_admin = {
        "actor": {"user_id": 1, "roles": ["admin"], "agency": None}
    }  # as the gateway passes it
    with ClusterRpcProxy(platform.config, context_data=as_admin) as cluster:
        cluster.gis.import_boundaries(features, "nama-baru", "uji")

    answer = wait_until(
        lambda: (
            (found := locate(client, point["lat"], point["lon"]))["boundary_version"] == "nama-baru"
            and found
        )
    )
    assert answer["desa"] == {"code": point["code"], "name": f"{point['name']} Baru"}


def test_locate_keeps_answering_from_the_copy_while_gis_is_down(platform, client):
    point = desa_in("36.04.20")
    assert locate(client, point["lat"], point["lon"])["inside"] is True
    platform.stop("gis")
    try:
        assert locate(client, point["lat"], point["lon"])["desa"]["code"] == point["code"]
        nearby = client.get(
            f"/api/v1/gis/nearby?layer=complaints&lat={point['lat']}&lon={point['lon']}&radius_m=100"
        )
        assert nearby.status_code == 503  # what needs the service still says it is down
    finally:
        platform.start("gis")
