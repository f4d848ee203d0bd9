"""Anonymous reports are limited per client address, never in one bucket shared by all."""

import pytest

from servicekit.errors import Unauthorized
from tests.complaints.conftest import road_report
from tests.support.snapshots import rows_unchanged, table_rows

LIMIT = 10  # COMPLAINTS_RATE_LIMIT's default, per address and window


def file_anonymously(client, address: str):
    return client.post(
        "/api/v1/complaints", json=road_report(), environ_base={"REMOTE_ADDR": address}
    )


def stored_from(platform, address: str) -> set[str]:
    """The public ids of the reports stored for an address (its submitter key)."""
    [reports] = table_rows(platform.config["COMPLAINTS_DATABASE_URL"], "reports").values()
    return {r["public_id"] for r in reports if r["submitter_key"] == f"ip:{address}"}


def test_anonymous_reports_are_limited_per_address_not_for_everyone(platform, client):
    first = [file_anonymously(client, "192.0.2.10") for _ in range(LIMIT + 2)]
    assert [r.status_code for r in first] == [201] * LIMIT + [429] * 2
    assert all(int(r.headers["Retry-After"]) > 0 for r in first[LIMIT:])
    accepted = {r.get_json()["public_id"] for r in first[:LIMIT]}
    assert len(accepted) == LIMIT
    assert stored_from(platform, "192.0.2.10") == accepted  # the refused ones stored nothing

    neighbour = file_anonymously(client, "198.51.100.20")
    assert neighbour.status_code == 201, neighbour.get_json()
    assert stored_from(platform, "198.51.100.20") == {neighbour.get_json()["public_id"]}
    for public_id in accepted:
        assert client.get(f"/api/v1/complaints/{public_id}").status_code == 200


def test_an_anonymous_report_without_an_address_is_refused(platform, client):
    before = client.get("/api/v1/complaints?per_page=1").get_json()["total"]
    database = platform.config["COMPLAINTS_DATABASE_URL"]
    # the gateway always sends an address; a bare caller does not
    with rows_unchanged(database, "reports", "timeline"), pytest.raises(Unauthorized) as exc:
        platform.app.extensions["gawe_rpc"].call(
            "complaints", "create_report", road_report(), context={}
        )
    assert "client_ip" in exc.value.errors
    assert client.get("/api/v1/complaints?per_page=1").get_json()["total"] == before
