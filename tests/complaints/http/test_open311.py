"""An Open311 GeoReport v2 client, written to the specification, talks to /open311/v2/."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from tests.complaints.conftest import fresh_point
from tests.support.factories import auth
from tests.support.snapshots import nothing_written


@pytest.fixture(scope="module")
def api_key(platform, admin):
    response = platform.client.post(
        "/api/v1/admin/open311/keys",
        json={"organisation": "Forum Warga Kramatwatu"},
        headers=auth(admin),
    )
    assert response.status_code == 201
    return response.get_json()["api_key"]


def post_request(client, key, fmt="json", **fields):
    point = fresh_point()
    form = {
        "api_key": key,
        "service_code": "lampu-jalan",
        "lat": str(point["lat"]),
        "long": str(point["lon"]),
        "description": "Tiga lampu PJU mati di depan masjid.",
        "attribute[jumlah_lampu_mati]": "3",
        "email": "pelapor.open311@example.id",
        "first_name": "Budi",
        "last_name": "Santoso",
        "phone": "081234567890",
    } | fields
    return client.post(f"/open311/v2/requests.{fmt}", data=form)


def test_client_lists_services_and_reads_a_definition(client):
    services = client.get("/open311/v2/services.json")
    assert services.headers["Content-Type"] == "application/json; charset=utf-8"
    by_code = {s["service_code"]: s for s in services.get_json()}
    assert (
        by_code["jalan-rusak"]["metadata"] is True and by_code["jalan-rusak"]["type"] == "realtime"
    )
    assert by_code["lainnya"]["metadata"] is False
    definition = client.get("/open311/v2/services/jalan-rusak.json").get_json()
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert definition["service_code"] == "jalan-rusak"
    assert attributes["tingkat_kerusakan"]["datatype"] == "singlevaluelist"
    assert {"key": "berat", "name": "Berat (amblas, tidak bisa dilalui)"} in attributes[
        "tingkat_kerusakan"
    ]["values"]


def test_services_in_xml(client):
    response = client.get("/open311/v2/services.xml")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "services"
    assert "jalan-rusak" in [s.findtext("service_code") for s in root.findall("service")]


def test_client_files_a_report_and_reads_its_status_back(client, api_key):
    created = post_request(client, api_key)
    assert created.status_code == 201, created.get_data(as_text=True)
    [receipt] = created.get_json()
    request_id = receipt["service_request_id"]
    assert "token" not in receipt and receipt["service_notice"]

    [request] = client.get(f"/open311/v2/requests/{request_id}.json").get_json()
    assert request["status"] == "open"
    assert request["service_code"] == "lampu-jalan" and request["agency_responsible"] == "DISHUB"
    assert request["requested_datetime"].endswith("+00:00")
    for private in ("email", "first_name", "last_name", "phone"):
        assert private not in request
    assert "Budi" not in str(request) and "081234567890" not in str(request)

    xml = ET.fromstring(client.get(f"/open311/v2/requests/{request_id}.xml").data)
    assert xml.find("request/service_request_id").text == request_id


def test_client_queries_requests_by_code_status_and_dates(client, api_key):
    request_id = post_request(client, api_key).get_json()[0]["service_request_id"]
    start = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    listed = client.get(
        f"/open311/v2/requests.json?service_code=lampu-jalan&status=open&start_date={start}"
    )
    assert request_id in [r["service_request_id"] for r in listed.get_json()]
    by_ids = client.get(
        f"/open311/v2/requests.json?service_request_id={request_id},SRG-2000-000001"
    ).get_json()
    assert [r["service_request_id"] for r in by_ids] == [request_id]
    closed = client.get(
        "/open311/v2/requests.json?status=closed&service_code=lampu-jalan"
    ).get_json()
    assert request_id not in [r["service_request_id"] for r in closed]


def test_multivalue_and_unknown_attributes(client, api_key, platform):
    with nothing_written(platform, "complaints"):
        response = post_request(client, api_key, **{"attribute[warna]": "merah"})
    assert response.status_code == 400
    [error] = response.get_json()
    assert error["code"] == 400 and "attribute[warna]" in error["description"]


@pytest.mark.parametrize(
    ("fields", "status", "mentions"),
    [
        ({"api_key": "kunci-palsu"}, 403, "api_key"),
        ({"api_key": ""}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "tidak-ada"}, 404, "category"),
        ({"lat": ""}, 400, "lat"),
        ({"lat": "-6.1199", "long": "106.1503"}, 400, "lat"),  # Kota Serang: outside the regency
        ({"attribute[jumlah_lampu_mati]": ""}, 400, "attribute[jumlah_lampu_mati]"),
    ],
)
def test_errors_are_the_specs_list_of_code_and_description(
    client, api_key, fields, status, mentions, platform
):
    with nothing_written(platform, "complaints"):
        response = post_request(client, api_key, **fields)
    assert response.status_code == status
    errors = response.get_json()
    assert isinstance(errors, list) and errors[0]["code"] == status
    assert any(mentions in e["description"] for e in errors)


def test_errors_in_xml(client, platform):
    with nothing_written(platform, "complaints"):
        response = client.post("/open311/v2/requests.xml", data={"service_code": "lampu-jalan"})
    root = ET.fromstring(response.data)
    assert response.status_code == 403
    assert root.tag == "errors" and root.find("error/code").text == "403"


def test_unknown_jurisdiction_and_request_are_404(client):
    assert client.get("/open311/v2/services.json?jurisdiction_id=kota.example").status_code == 404
    response = client.get("/open311/v2/requests/SRG-2026-999999.json")
    assert response.status_code == 404 and response.get_json()[0]["code"] == 404


def test_query_span_over_90_days_is_400(client):
    response = client.get(
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"
    )
    assert response.status_code == 400


def test_token_resolves_to_the_request(client, citizen):
    from tests.complaints.conftest import file_report

    report = file_report(client, citizen["token"])
    [found] = client.get(f"/open311/v2/tokens/{report['token']}.json").get_json()
    assert found == {"service_request_id": report["public_id"], "token": report["token"]}
    assert client.get("/open311/v2/tokens/bukan-token.json").status_code == 404


def test_service_request_updates_list_status_changes(client, api_key, dishub):
    request_id = post_request(client, api_key).get_json()[0]["service_request_id"]
    verified = client.post(
        f"/api/v1/complaints/{request_id}/transitions",
        json={"action": "verify", "note": "Dicek petugas"},
        headers=auth(dishub),
    )
    assert verified.status_code == 200
    updates = client.get("/open311/v2/servicerequestupdates.json").get_json()
    mine = [u for u in updates if u["service_request_id"] == request_id]
    assert [u["external_status_code"] for u in mine] == ["submitted", "verified"]
    assert mine[-1]["description"] == "Dicek petugas" and mine[-1]["status"] == "open"
