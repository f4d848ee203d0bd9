"""Anonymous reports are limited per client address, never in one bucket shared by all."""

import pytest

from servicekit.errors import Unauthorized
from tests.complaints.conftest import road_report


def file_anonymously(client, address: str):
    return client.post(
        "/api/v1/complaints", json=road_report(), environ_base={"REMOTE_ADDR": address}
    )


def test_anonymous_reports_are_limited_per_address_not_for_everyone(client):
    first = [file_anonymously(client, "192.0.2.10") for _ in range(10)]
    assert [r.status_code for r in first] == [201] * 10

    eleventh = file_anonymously(client, "192.0.2.10")
    assert eleventh.status_code == 429 and eleventh.headers.get("Retry-After")

    neighbour = file_anonymously(client, "198.51.100.20")
    assert neighbour.status_code == 201, neighbour.get_json()
    for response in first:
        public_id = response.get_json()["public_id"]
        assert client.get(f"/api/v1/complaints/{public_id}").status_code == 200


def test_an_anonymous_report_without_an_address_is_refused(platform, client):
    before = client.get("/api/v1/complaints?per_page=1").get_json()["total"]
    with pytest.raises(Unauthorized) as exc:  # the gateway always sends one; a bare caller
        platform.app.extensions["gawe_rpc"].call(
            "complaints", "create_report", road_report(), context={}
        )
    assert "client_ip" in exc.value.errors
    assert client.get("/api/v1/complaints?per_page=1").get_json()["total"] == before
