"""Open data of complaints (issue 16), through the gateway with the real services: the Atom
feed of an area's public reports and the public statistics, as JSON and as a page."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import file_report
from tests.complaints.http.test_alerts import places
from tests.support.factories import auth

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **query):
    response = client.get("/pengaduan/feed.atom", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def ids(root) -> list[str]:
    return [e.find(f"{ATOM}title").text.split(":")[0] for e in root.iter(f"{ATOM}entry")]


def test_an_areas_feed_is_valid_atom_of_its_public_reports_newest_first(client, citizen):
    here, same, other = places(40)
    contact = {"contact_email": "rahasia.feed@example.id", "contact_phone": "081234567890"}
    first = file_report(client, citizen["token"], point=here, **contact)["public_id"]
    second = file_report(client, citizen["token"], point=same)["public_id"]
    elsewhere = file_report(client, citizen["token"], point=other)["public_id"]

    root = feed(client, kecamatan=here["kecamatan_code"])
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    found = ids(root)
    assert found.index(second) < found.index(first) and elsewhere not in found
    entry = next(
        e for e in root.iter(f"{ATOM}entry") if e.find(f"{ATOM}title").text.startswith(first)
    )
    for required in ("id", "title", "updated", "published", "summary"):
        assert entry.find(f"{ATOM}{required}").text
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/pengaduan/{first}")
    datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339

    raw = client.get("/pengaduan/feed.atom", query_string={"desa": here["code"]}).get_data(True)
    assert first in raw and second not in raw
    assert "rahasia.feed" not in raw and "081234567890" not in raw and citizen["name"] not in raw


@pytest.mark.parametrize(
    "query, status, field",
    [
        ({"kecamatan": "36.04.99"}, 422, "kecamatan"),
        ({"desa": "36.04.99.9999"}, 422, "desa"),
        ({}, 400, "kecamatan"),
        ({"kecamatan": "36.04.05", "desa": "36.04.05.2001"}, 400, "kecamatan"),
    ],
)
def test_a_feed_of_an_unknown_or_missing_area_is_refused_naming_it(client, query, status, field):
    response = client.get("/pengaduan/feed.atom", query_string=query)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def _set_times(platform, public_id: str, created: str, resolved: str) -> None:
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE reports SET created_at = :c, resolved_at = :r WHERE public_id = :id"),
            {
                "c": datetime.fromisoformat(created),
                "r": datetime.fromisoformat(resolved),
                "id": public_id,
            },
        )
    engine.dispose()


def test_statistics_count_per_agency_category_and_month_with_resolution_times(
    client, citizen, dpupr, platform
):
    before = client.get("/api/v1/complaints/statistics").get_json()
    quick = file_report(client, citizen["token"])["public_id"]
    slow = file_report(client, citizen["token"])["public_id"]
    bridge = file_report(
        client,
        citizen["token"],
        category="jembatan-rusak",
        attributes={"tingkat_kerusakan": "berat"},
    )["public_id"]
    for public_id in (quick, slow):
        for action in ("verify", "forward", "start", "resolve"):
            response = client.post(
                f"/api/v1/complaints/{public_id}/transitions",
                json={"action": action},
                headers=auth(dpupr),
            )
            assert response.status_code == 200, response.get_json()
    # Monday 2 Nov 2026 09:00 WIB -> Wednesday 4 Nov: 2 working days, within the SLA;
    # 1 Jun -> 1 Oct 2026: far beyond the 38 working days of the default SLA
    _set_times(platform, quick, "2026-11-02T02:00:00+00:00", "2026-11-04T03:00:00+00:00")
    _set_times(platform, slow, "2026-06-01T02:00:00+00:00", "2026-10-01T03:00:00+00:00")

    response = client.get("/api/v1/complaints/statistics")
    assert response.status_code == 200
    s = response.get_json()
    assert s["total"] == before["total"] + 3
    agencies = {row["agency"]: row["reports"] for row in s["by_agency"]}
    old = {row["agency"]: row["reports"] for row in before["by_agency"]}
    assert agencies["DPUPR"] == old.get("DPUPR", 0) + 3
    categories = {row["category"]: row["reports"] for row in s["by_category"]}
    assert categories["jembatan-rusak"] >= 1 and bridge
    months = {row["month"]: row["reports"] for row in s["by_month"]}
    assert months["2026-06"] >= 1 and months["2026-11"] >= 1
    assert s["sla_working_days"] == 38
    # this module's platform has no other resolved report: 2 and 85 working days
    assert before["resolved"] == 0 and s["resolved"] == 2
    assert s["resolved_within_sla_share"] == 0.5
    assert s["median_working_days_to_resolve"] == (2 + 85) / 2

    page = client.get("/pengaduan/statistik")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    # the figures are in the HTML itself (no script draws them)
    assert "Statistik pengaduan" in html and "<td>Jembatan rusak</td>" in html
    assert "Selesai dalam SLA" in html
