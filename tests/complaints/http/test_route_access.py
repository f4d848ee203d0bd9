"""The routes no other test covered: who may call each, and what it answers."""

from xml.etree import ElementTree as ET

import pytest

from tests.complaints.conftest import file_report
from tests.support.factories import auth
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until


@pytest.fixture
def callers(citizen, dpupr):
    """Everyone who is not an admin: anonymous, a citizen, agency staff."""
    return {
        "anonymous": ({}, 401),
        "citizen": (auth(citizen["token"]), 403),
        "staff": (auth(dpupr), 403),
    }


def test_anyone_asks_which_open_reports_lie_near_a_point_before_filing(client, citizen):
    report = file_report(client, citizen["token"], contact_phone="+62 812 3333 4444")
    url = f"/api/v1/complaints/nearby?category=jalan-rusak&lat={report['lat'] + 0.0002}&lon={report['lon']}"

    def listed():
        found = client.get(url).get_json()  # anonymous
        return found if any(c["public_id"] == report["public_id"] for c in found) else None

    candidate = next(c for c in wait_until(listed) if c["public_id"] == report["public_id"])
    assert candidate["category_name"] == "Jalan rusak" and candidate["status_label"] == "Diterima"
    assert 0 < candidate["distance_m"] < 50
    assert candidate["description"] == report["description"]
    assert set(candidate) == {
        "public_id",
        "category_name",
        "status_label",
        "distance_m",
        "description",
        "supporters",
    }  # no contact, no reporter
    other_category = url.replace("jalan-rusak", "lampu-jalan")
    assert report["public_id"] not in [
        c["public_id"] for c in client.get(other_category).get_json()
    ]


def test_nearby_needs_a_category_and_a_valid_point(client):
    response = client.get("/api/v1/complaints/nearby?lat=200&lon=106.1")
    assert response.status_code == 400
    assert {"category", "lat"} <= set(response.get_json()["errors"])


def sidewalk(**change):
    return {
        "code": "trotoar-rusak",
        "name": "Trotoar rusak",
        "agency_code": "DPUPR",
        "group": "Infrastruktur",
        "attributes": [
            {
                "code": "panjang_m",
                "datatype": "number",
                "required": True,
                "order": 1,
                "description": "Panjang kerusakan (m)",
                "min": 1,
                "max": 5000,
            }
        ],
    } | change


def categories(client) -> dict:
    return {c["code"]: c for c in client.get("/api/v1/complaints/categories").get_json()}


def test_only_admins_add_or_change_a_category(client, admin, callers, platform):
    url = "/api/v1/admin/complaints/categories/trotoar-rusak"
    with nothing_written(platform, "complaints"):
        for who, (headers, status) in callers.items():
            assert client.put(url, json=sidewalk(), headers=headers).status_code == status, who
    assert "trotoar-rusak" not in categories(client)

    added = client.put(url, json=sidewalk(), headers=auth(admin))
    assert added.status_code == 200, added.get_json()
    listed = categories(client)["trotoar-rusak"]
    assert listed["agency_code"] == "DPUPR" and listed["attributes"][0]["code"] == "panjang_m"

    renamed = client.put(
        url, json=sidewalk(name="Trotoar dan pedestrian rusak"), headers=auth(admin)
    )
    assert renamed.get_json()["name"] == "Trotoar dan pedestrian rusak"
    assert categories(client)["trotoar-rusak"]["name"] == "Trotoar dan pedestrian rusak"

    with nothing_written(platform, "complaints"):
        mismatch = client.put(url, json=sidewalk(code="jalan-rusak"), headers=auth(admin))
        assert mismatch.status_code == 422 and "code" in mismatch.get_json()["errors"]
        no_agency = client.put(url, json=sidewalk() | {"agency_code": None}, headers=auth(admin))
        assert no_agency.status_code == 422 and "agency_code" in no_agency.get_json()["errors"]
    assert categories(client)["trotoar-rusak"]["name"] == "Trotoar dan pedestrian rusak"
    assert categories(client)["jalan-rusak"]["name"] == "Jalan rusak"

    retired = client.put(url, json=sidewalk(active=False), headers=auth(admin))
    assert retired.status_code == 200 and "trotoar-rusak" not in categories(client)


def test_only_admins_list_open311_keys_and_never_see_a_whole_key(client, admin, callers):
    issued = client.post(
        "/api/v1/admin/open311/keys",
        json={"organisation": "Forum Warga Pontang"},
        headers=auth(admin),
    ).get_json()
    for who, (headers, status) in callers.items():
        assert client.get("/api/v1/admin/open311/keys", headers=headers).status_code == status, who

    response = client.get("/api/v1/admin/open311/keys", headers=auth(admin))

    assert response.status_code == 200
    listed = next(k for k in response.get_json() if k["id"] == issued["id"])
    assert listed["organisation"] == "Forum Warga Pontang" and listed["active"] is True
    assert issued["api_key"].startswith(listed["key_prefix"])
    assert len(listed["key_prefix"]) < len(issued["api_key"])
    assert "api_key" not in listed and issued["api_key"] not in response.get_data(as_text=True)


def test_open311_discovery_tells_anyone_where_the_endpoint_is(client):
    found = client.get("/open311/v2/discovery.json")
    assert found.status_code == 200 and found.mimetype == "application/json"
    body = found.get_json()
    assert body["contact"] and body["key_service"]
    [endpoint] = body["endpoints"]
    assert endpoint["url"] == "http://localhost/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    xml = client.get("/open311/v2/discovery.xml")
    assert xml.status_code == 200 and xml.mimetype == "text/xml"
    root = ET.fromstring(xml.data)
    assert root.tag == "discovery"
    assert root.findtext(".//endpoint/url") == "http://localhost/open311/v2/"
    assert root.findtext(".//endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    assert client.get("/open311/v2/discovery.html").status_code == 404
