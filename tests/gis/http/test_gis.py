"""GIS through the gateway: locate, area search, OGC API - Features, imports."""

import json

import pytest

from tests.support.factories import auth
from tests.support.serang import DATA, JAVA_SEA, KOTA_SERANG, desa_in, desa_points
from tests.support.snapshots import nothing_written


def test_locate_names_desa_and_kecamatan(client):
    point = desa_in("36.04.20")  # Tunjung Teja
    body = client.get(f"/api/v1/gis/locate?lat={point['lat']}&lon={point['lon']}").get_json()
    assert body["inside"] is True
    assert body["desa"]["code"] == point["code"]
    assert body["kecamatan"] == {"code": "36.04.20", "name": "Tunjung Teja"}
    assert body["boundary_version"] == "kab_serang_boundaries" and body["approximate"] is False


@pytest.mark.parametrize("where", [KOTA_SERANG, JAVA_SEA], ids=["kota-serang", "java-sea"])
def test_points_outside_are_not_inside_and_name_the_nearest_desa(client, where):
    body = client.get(f"/api/v1/gis/locate?lat={where[0]}&lon={where[1]}").get_json()
    assert body["inside"] is False and body["desa"] is None
    assert (
        body["nearest"]["desa"]["code"].startswith("36.04.") and body["nearest"]["distance_m"] > 0
    )


def test_batch_locate_answers_in_order(client):
    points = [[d["lat"], d["lon"]] for d in desa_points()[:50]] + [list(KOTA_SERANG)]
    answers = client.post("/api/v1/gis/locate", json={"points": points}).get_json()
    assert [a["desa"]["code"] for a in answers[:50]] == [d["code"] for d in desa_points()[:50]]
    assert answers[-1]["inside"] is False


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("lon=106.1", "lat"),
        ("lat=abc&lon=106.1", "lat"),
        ("lat=NaN&lon=106.1", "lat"),
        ("lat=-91&lon=106.1", "lat"),
        ("lat=-6.1&lon=181", "lon"),
        ("lat=-6.1&lon=106.1&zoom=3", "zoom"),
    ],
)
def test_bad_coordinates_are_400_naming_the_parameter(client, query, param):
    response = client.get(f"/api/v1/gis/locate?{query}")
    assert response.status_code == 400
    assert param in response.get_json()["errors"]


def test_batch_refuses_malformed_points(client):
    response = client.post("/api/v1/gis/locate", json={"points": [[-6.1], [1, 2, 3]]})
    assert response.status_code == 422 and "points" in response.get_json()["errors"]


@pytest.mark.parametrize("spelling", ["Tanjung Teja", "tunjung-teja", "TUNJUNGTEJA", "36.04.20"])
def test_area_search_knows_alternative_spellings(client, spelling):
    found = client.get(f"/api/v1/gis/areas?q={spelling}&level=kecamatan").get_json()
    assert found[0]["code"] == "36.04.20" and found[0]["name"] == "Tunjung Teja"


def test_ogc_landing_conformance_and_collections(client):
    landing = client.get("/gis").get_json()
    assert {link["rel"] for link in landing["links"]} >= {
        "self",
        "conformance",
        "data",
        "service-desc",
    }
    conforms = client.get("/gis/conformance").get_json()["conformsTo"]
    assert conforms == [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ]
    ids = [c["id"] for c in client.get("/gis/collections").get_json()["collections"]]
    assert {"kecamatan", "desa", "complaints"} <= set(ids)


def test_items_are_geojson_with_working_paging(client):
    first = client.get("/gis/collections/desa/items?limit=100")
    assert first.mimetype == "application/geo+json"
    page = first.get_json()
    assert page["type"] == "FeatureCollection"
    assert page["numberMatched"] == 326 and page["numberReturned"] == 100
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert "prev" not in links and "offset=100" in links["next"]
    seen = [f["id"] for f in page["features"]]
    while "next" in links:
        page = client.get(links["next"].replace("http://localhost", "")).get_json()
        seen += [f["id"] for f in page["features"]]
        links = {link["rel"]: link["href"] for link in page["links"]}
    assert len(seen) == len(set(seen)) == 326
    assert page["numberReturned"] == 26 and "prev" in links
    feature = page["features"][0]
    assert (
        feature["geometry"]["type"] == "MultiPolygon" and feature["properties"]["level"] == "desa"
    )


def test_items_filter_by_bbox_and_property(client):
    point = desa_in("36.04.05")
    bbox = f"{point['lon'] - 0.001},{point['lat'] - 0.001},{point['lon'] + 0.001},{point['lat'] + 0.001}"
    found = client.get(f"/gis/collections/desa/items?bbox={bbox}").get_json()
    assert point["code"] in [f["id"] for f in found["features"]]
    in_kecamatan = client.get(
        "/gis/collections/desa/items?kode_induk=36.04.20&limit=1000"
    ).get_json()
    assert in_kecamatan["numberMatched"] == len(
        [d for d in desa_points() if d["kecamatan_code"] == "36.04.20"]
    )


def test_single_feature_by_code(client):
    feature = client.get("/gis/collections/kecamatan/items/36.04.20")
    assert feature.status_code == 200 and feature.mimetype == "application/geo+json"
    assert feature.get_json()["properties"]["nama"] == "Tunjung Teja"


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("bbox=106.3,-6.2,106.1,-6.0", "bbox"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=100,-10,110,0", "bbox"),
        ("limit=-1", "limit"),
        ("limit=5000", "limit"),
        ("offset=-5", "offset"),
        ("datetime=2026-01-01T00:00:00Z", "datetime"),
        ("warna=merah", "warna"),
    ],
)
def test_bad_item_parameters_are_400_naming_them(client, query, param):
    response = client.get(f"/gis/collections/desa/items?{query}")
    assert response.status_code == 400, response.get_json()
    assert param in response.get_json()["errors"]


def test_unknown_collection_and_feature_are_404(client):
    assert client.get("/gis/collections/sungai/items").status_code == 404
    assert client.get("/gis/collections/desa/items/99.99.99.9999").status_code == 404


def boundaries_unchanged(platform):
    """Boundary sets and areas as they were (the points layer is fed by other apps' events)."""
    return nothing_written(platform, "gis", leave_out=("points",))


def test_admin_import_rejects_a_bad_file_and_keeps_the_current_data(client, admin, platform):
    good = json.loads((DATA / "kab_serang_boundaries.geojson").read_text())
    bad = {
        "type": "FeatureCollection",
        "features": good["features"][:3]
        + [
            {
                "type": "Feature",
                "properties": {
                    "kode": "36.04.05.9999",
                    "nama": "Rusak",
                    "level": "desa",
                    "kode_kec": "36.04.05",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[106.1, -6.1], [106.2, -6.0], [106.2, -6.1], [106.1, -6.0], [106.1, -6.1]]
                    ],
                },
            },
        ],
    }
    with boundaries_unchanged(platform):
        response = client.post(
            "/api/v1/admin/gis/boundaries",
            json={"version": "rusak", "source": "uji", "geojson": bad},
            headers=auth(admin),
        )
        assert response.status_code == 422
    assert any("36.04.05.9999" in p for p in response.get_json()["errors"]["features"])
    with boundaries_unchanged(platform):  # same content: nothing changes
        again = client.post(
            "/api/v1/admin/gis/boundaries",
            json={"version": "ulang", "source": "uji", "geojson": good},
            headers=auth(admin),
        )
        assert again.status_code == 200 and again.get_json()["created"] is False
    current = [s for s in client.get("/api/v1/gis/boundary-sets").get_json() if s["current"]]
    assert [s["version"] for s in current] == ["kab_serang_boundaries"]


def test_only_admins_import(client, platform):
    from tests.support.factories import login, register_citizen

    token = login(client, register_citizen(client)["email"])
    with boundaries_unchanged(platform):
        response = client.post(
            "/api/v1/admin/gis/boundaries",
            json={"version": "x", "source": "y", "geojson": {}},
            headers=auth(token),
        )
        assert response.status_code == 403


def test_open_complaints_appear_on_the_public_map_layer(client):
    from tests.support.waiting import wait_until

    point = desa_in("36.04.22")
    body = {
        "category": "drainase-banjir",
        "lat": point["lat"],
        "lon": point["lon"],
        "description": "Saluran tersumbat, air menggenang.",
        "attributes": {"lama_genangan": "hari"},
        "ignore_duplicates": True,
    }
    report = client.post("/api/v1/complaints", json=body).get_json()

    def on_map():
        items = client.get(
            "/gis/collections/complaints/items?category=drainase-banjir&status=submitted"
        ).get_json()
        return [f for f in items["features"] if f["id"] == report["public_id"]]

    [feature] = wait_until(on_map)
    assert feature["geometry"]["coordinates"] == [point["lon"], point["lat"]]
    assert feature["properties"]["kecamatan"] == "Baros"
    assert (
        "contact_email" not in feature["properties"] and "description" not in feature["properties"]
    )
    nearby = client.get(
        f"/api/v1/gis/nearby?layer=complaints&lat={point['lat']}&lon={point['lon']}&radius_m=10"
    )
    assert report["public_id"] in [p["id"] for p in nearby.get_json()]
