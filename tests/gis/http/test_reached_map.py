"""The map's routes no other test reached (issue #18): the nearest points of a public layer
(GET /api/v1/gis/nearest, gis.nearest), the OGC landing page at /gis/ and one collection's
description (GET /gis/collections/<id>)."""

from __future__ import annotations

import math

import pytest

from tests.support.serang import desa_in
from tests.support.waiting import wait_until

PERSONAL = ("description", "contact_name", "contact_email", "contact_phone", "reporter_id")


def file_report(client, point: dict) -> dict:
    body = {
        "category": "drainase-banjir",
        "lat": point["lat"],
        "lon": point["lon"],
        "description": "Saluran tersumbat, air menggenang di depan sekolah.",
        "attributes": {"lama_genangan": "hari"},
        "contact_email": "pelapor.peta@example.id",
        "ignore_duplicates": True,
    }
    response = client.post("/api/v1/complaints", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def on_layer(client, public_id: str) -> bool:
    found = client.get(f"/gis/collections/complaints/items/{public_id}")
    return found.status_code == 200


def metres(a: dict, b: dict) -> float:
    """Great-circle distance between two points (lat/lon dicts), in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def nearest(client, point: dict, **params):
    return client.get(
        "/api/v1/gis/nearest",
        query_string={"layer": "complaints", "lat": point["lat"], "lon": point["lon"], **params},
    )


def test_the_nearest_open_reports_come_nearest_first_with_their_distance(client):
    here, there = desa_in("36.04.22"), desa_in("36.04.20")  # Baros, Tunjung Teja
    first, second = file_report(client, here), file_report(client, there)
    for report in (first, second):
        wait_until(lambda report=report: on_layer(client, report["public_id"]))

    [closest] = nearest(client, here, k=1).get_json()
    assert closest["id"] == first["public_id"]
    assert (closest["lat"], closest["lon"]) == (here["lat"], here["lon"])
    assert closest["distance_m"] < 1
    assert closest["properties"]["category"] == "drainase-banjir"
    assert not set(PERSONAL) & set(closest["properties"])

    both = nearest(client, here, k=2)
    assert both.status_code == 200
    assert [p["id"] for p in both.get_json()] == [first["public_id"], second["public_id"]]
    far = both.get_json()[1]["distance_m"]
    assert far == pytest.approx(metres(here, there), rel=0.02)
    assert "pelapor.peta@example.id" not in both.get_data(as_text=True)

    from_there = nearest(client, there, k=5).get_json()  # k above what there is: all of it
    assert [p["id"] for p in from_there] == [second["public_id"], first["public_id"]]
    assert from_there[1]["distance_m"] == pytest.approx(far, rel=0.001)


def test_nearest_reads_only_the_layer_asked_for(client):
    point = desa_in("36.04.05")
    report = file_report(client, point)
    wait_until(lambda: on_layer(client, report["public_id"]))

    proposals = nearest(client, point, layer="proposals", k=100)
    assert proposals.status_code == 200
    assert report["public_id"] not in [p["id"] for p in proposals.get_json()]
    complaints = nearest(client, point, k=100).get_json()
    assert complaints[0]["id"] == report["public_id"]


@pytest.mark.parametrize(
    ("params", "wrong"),
    [
        ({"layer": "Lapisan Salah!"}, "layer"),
        ({"k": 0}, "k"),
        ({"k": 101}, "k"),
        ({"lat": 91}, "lat"),
    ],
)
def test_nearest_refuses_a_bad_question_naming_the_parameter(client, params, wrong):
    response = nearest(client, desa_in("36.04.20"), **params)
    assert response.status_code == 400
    assert wrong in response.get_json()["errors"]


def test_the_landing_page_answers_at_gis_slash_as_at_gis(client):
    slash = client.get("/gis/")
    assert slash.status_code == 200 and slash.mimetype == "application/json"
    assert slash.get_json() == client.get("/gis").get_json()
    links = {link["rel"]: link["href"] for link in slash.get_json()["links"]}
    assert links["self"] == "http://localhost/gis"
    assert links["data"] == "http://localhost/gis/collections"
    assert client.get(links["data"]).status_code == 200


def test_each_collection_describes_itself_as_the_collections_list_does(client):
    listed = client.get("/gis/collections").get_json()["collections"]
    assert {"kecamatan", "desa", "complaints", "proposals"} <= {c["id"] for c in listed}
    for entry in listed:
        response = client.get(f"/gis/collections/{entry['id']}")
        assert response.status_code == 200 and response.mimetype == "application/json"
        described = response.get_json()
        assert described == entry
        links = {link["rel"]: link["href"] for link in described["links"]}
        assert links["self"] == f"http://localhost/gis/collections/{entry['id']}"
        items = client.get(links["items"], query_string={"limit": 1})
        assert items.status_code == 200 and items.get_json()["type"] == "FeatureCollection"
    desa = client.get("/gis/collections/desa").get_json()
    assert desa["title"] == "Desa dan kelurahan" and desa["itemType"] == "feature"


def test_an_unknown_collection_is_404_naming_it(client):
    response = client.get("/gis/collections/sungai")
    assert response.status_code == 404
    assert response.get_json()["errors"] == {"collectionId": ["sungai"]}
