"""The complaint maps' markup (issue #13): /pengaduan's map of open reports (clustered, coloured by
status with a legend, filtered like the list, loaded by bounding box from the OGC API), the point
of each report's page, the staff queue's and /saya's maps beside their tables, and the report
form's open reports near the pin with "Dukung laporan ini". The pages carry what the script
needs in data attributes and keep their lists for whoever has no script or no map; nothing
private is on any of them. (The script itself is driven in a real browser:
tests/browser/test_complaints_maps.py.)"""

from __future__ import annotations

import html as htmlib
import re
from urllib.parse import parse_qs, urlsplit

from gateway.complaints.maps import MAP_LIMIT, NEARBY_DEGREES
from services.complaints.contract import OPEN_STATUSES, STATUS_LABELS, STATUSES
from tests.complaints.conftest import file_report
from tests.complaints.http.test_lifecycle import act
from tests.complaints.http.test_web_pages import csrf_of, staff_account
from tests.support.factories import login, register_citizen
from tests.support.waiting import wait_until
from tests.support.web import web_login

SCRIPT_OR_STYLE = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')
PHONE = "+62 812 7777 0303"
# What a point of the public layer may say about a report (services/complaints/contract/maplayer.py)
PUBLIC_PROPERTIES = {
    "public_id",
    "category",
    "category_name",
    "status",
    "agency",
    "kecamatan_code",
    "kecamatan",
    "desa_code",
    "desa",
    "supporters",
    "requested_at",
    "datetime",
}


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert found, f"no #{element_id}"
    return found.group(0)


def attr(opening: str, name: str) -> str:
    found = re.search(rf'\b{re.escape(name)}="([^"]*)"', opening)
    assert found, f"no {name} in {opening}"
    return htmlib.unescape(found.group(1))


def assets_served(client, html: str) -> list[str]:
    assets = [a for a in SCRIPT_OR_STYLE.findall(html) if not a.startswith("data:")]
    for asset in assets:
        assert asset.startswith("/static/"), asset  # nothing from outside this site
        assert client.get(htmlib.unescape(asset)).status_code == 200, asset
    return assets


def legend(html: str) -> dict[str, str]:
    """The legend's statuses and their words (the script takes its labels from it)."""
    block = re.search(r'<ul class="peta-legenda"[^>]*>(.*?)</ul>', html, re.S)
    assert block, "no legend"
    return {
        code: re.sub(r"<[^>]+>", "", text).strip()
        for code, text in re.findall(r'<li data-status="([a-z_]+)">(.*?)</li>', block.group(1))
    }


def private_parts(person: dict) -> list[str]:
    return [person["email"], person.get("name") or "\0", PHONE, "7777 0303"]


def point_of(client, public_id: str) -> dict:
    """The report's point on the public layer (fed by the complaints events: eventually)."""

    def found():
        response = client.get(f"/gis/collections/complaints/items/{public_id}")
        return response.get_json() if response.status_code == 200 else None

    return wait_until(found, timeout=15)


# --- /pengaduan --------------------------------------------------------------------------------


def test_the_list_has_a_clustered_map_of_open_reports_beside_its_table(client):
    html = page(client, "/pengaduan")
    assets = assets_served(client, html)
    assert "/static/js/peta-pengaduan.js" in assets
    assert any(
        a.startswith("/static/vendor/leaflet.markercluster/leaflet.markercluster.js")
        for a in assets
    )
    assert any(
        "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css" in a for a in assets
    )
    # peta.js, then the clusters, then the page's script (all deferred: run in this order)
    assert assets.index("/static/js/peta.js") < assets.index("/static/js/peta-pengaduan.js")

    container = tag(html, "peta-pengaduan")
    assert attr(container, "class") == "peta"
    assert attr(container, "role") == "region" and attr(container, "aria-label")
    assert attr(container, "data-limit") == str(MAP_LIMIT)
    assert attr(container, "data-query") == ""  # no filter: every open report
    assert attr(container, "data-kosong") == "0"
    assert attr(container, "data-tile-url") == ""  # no tiles unless GAWE_TILE_URL
    assert 'aria-live="polite"' in tag(html, "peta-pengaduan-status")
    # colour is never the only cue: the legend names every open status in words
    assert legend(html) == {s: STATUS_LABELS[s] for s in STATUSES if s in OPEN_STATUSES}
    # keyboard and screen-reader users keep the list: a way past the map, and the table after it
    assert '<a href="#daftar-laporan">' in html and 'id="daftar-laporan"' in html
    assert (
        html.index('id="peta-pengaduan"') < html.index('id="daftar-laporan"') < html.index("<table")
    )
    assert re.search(r"<noscript>.*daftar.*</noscript>", html, re.S)  # without script: the list
    assert 'href="/gis/collections/complaints/items?limit=500"' in html  # the data, as GeoJSON


def test_the_map_is_filtered_with_the_lists_own_parameters(client):
    html = page(client, "/pengaduan?category=jalan-rusak&status=forwarded&kecamatan=36.04.19")
    query = parse_qs(attr(tag(html, "peta-pengaduan"), "data-query"), strict_parsing=True)
    assert query == {
        "category": ["jalan-rusak"],
        "status": ["forwarded"],
        "kecamatan_code": ["36.04.19"],
    }
    # the request the script builds from it is one the OGC API takes
    regency = "105.81480,-6.34580,106.42180,-5.79760"
    answer = client.get(
        f"/gis/collections/complaints/items?bbox={regency}&limit={MAP_LIMIT}&"
        + attr(tag(html, "peta-pengaduan"), "data-query")
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.mimetype == "application/geo+json"


def test_finished_statuses_are_not_on_the_map_and_the_page_says_so(client):
    html = page(client, "/pengaduan?status=closed")
    container = tag(html, "peta-pengaduan")
    assert attr(container, "data-kosong") == "1"
    status = re.search(r'<p id="peta-pengaduan-status"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "masih terbuka" in status and "daftar" in status


def test_the_public_layer_the_map_reads_shows_a_new_report_with_public_fields_only(client):
    reporter = register_citizen(client)
    token = login(client, reporter["email"])
    report = file_report(client, token, contact_phone=PHONE)
    point = point_of(client, report["public_id"])
    assert point["geometry"]["coordinates"] == [report["lon"], report["lat"]]
    assert set(point["properties"]) <= PUBLIC_PROPERTIES, point["properties"]
    assert point["properties"]["status"] == "submitted"
    lon, lat = report["lon"], report["lat"]
    box = f"{lon - 0.01:.5f},{lat - 0.01:.5f},{lon + 0.01:.5f},{lat + 0.01:.5f}"
    found = client.get(
        f"/gis/collections/complaints/items?bbox={box}&limit={MAP_LIMIT}&category=jalan-rusak"
    ).get_data(as_text=True)
    assert report["public_id"] in found
    for private in private_parts(reporter):
        assert private not in found


# --- a report's page ---------------------------------------------------------------------------


def test_a_reports_page_shows_its_point_on_a_small_map_and_nothing_private(client):
    reporter = register_citizen(client)
    token = login(client, reporter["email"])
    report = file_report(client, token, contact_phone=PHONE)
    pid = report["public_id"]
    reporters_browser = _signed_in(client.application, reporter["email"])
    for browser in (client, reporters_browser):  # anonymous, then the reporter on the web
        html = page(browser, f"/pengaduan/{pid}")
        container = tag(html, "peta-laporan")
        assert "peta-kecil" in attr(container, "class")
        assert float(attr(container, "data-lat")) == report["lat"]
        assert float(attr(container, "data-lon")) == report["lon"]
        assert attr(container, "data-status") == "submitted"
        assert pid in attr(container, "aria-label")
        assert "/static/js/peta-pengaduan.js" in assets_served(client, html)
        assert re.search(r"<noscript>.*lokasi.*</noscript>", html, re.S)
        for private in private_parts(reporter):
            assert private not in html


def _signed_in(app, email: str):
    browser = app.test_client()
    web_login(browser, email)
    return browser


# --- the staff queue and its report page -------------------------------------------------------


def test_the_staff_queue_has_a_map_beside_its_list_linking_to_the_staff_pages(
    platform, client, admin
):
    reporter = register_citizen(client)
    report = file_report(client, login(client, reporter["email"]), contact_phone=PHONE)
    pid = report["public_id"]
    officer = platform.client
    web_login(officer, staff_account(client, admin, "DPUPR"))
    html = page(officer, "/staf?status=submitted")
    container = tag(html, "peta-antrean-pengaduan")
    assert "peta-tabel" in attr(container, "class")
    table_id = attr(container, "data-table")
    assert f'<table id="{table_id}">' in html
    assert html.index(f'<table id="{table_id}">') < html.index(
        'id="peta-antrean-pengaduan"'
    )  # list first
    row = re.search(rf'<tr\b[^>]*\bdata-id="{pid}"[^>]*>', html, re.S)
    assert row, "the report's row carries its point"
    row = row.group(0)
    assert attr(row, "data-href") == f"/staf/pengaduan/{pid}"
    assert float(attr(row, "data-lat")) == report["lat"]
    assert float(attr(row, "data-lon")) == report["lon"]
    assert attr(row, "data-status") == "submitted"
    assert attr(row, "data-status-label") == STATUS_LABELS["submitted"]
    assert legend(html)["submitted"] == STATUS_LABELS["submitted"]
    assert "/static/js/peta-pengaduan.js" in assets_served(client, html)
    assert PHONE not in html and reporter["email"] not in html  # the queue names no reporter

    staff_page = page(officer, f"/staf/pengaduan/{pid}")
    assert float(attr(tag(staff_page, "peta-laporan"), "data-lat")) == report["lat"]
    assert 'name="action"' in staff_page  # the officer moves it on from here


def test_a_citizens_own_reports_are_on_a_map_on_saya(client):
    reporter = register_citizen(client)
    report = file_report(client, login(client, reporter["email"]))
    html = page(_signed_in(client.application, reporter["email"]), "/saya")
    container = tag(html, "peta-saya")
    table_id = attr(container, "data-table")
    row = re.search(rf'<tr\b[^>]*\bdata-id="{report["public_id"]}"[^>]*>', html, re.S).group(0)
    assert attr(row, "data-href") == f"/pengaduan/{report['public_id']}"
    assert float(attr(row, "data-lat")) == report["lat"]
    assert f'<table id="{table_id}">' in html


# --- the report form: open reports near the pin -------------------------------------------------


def test_the_form_lists_open_reports_near_the_pin_with_their_support_form(platform, client, admin):
    anonymous = page(client, "/pengaduan/baru")
    box = tag(anonymous, "laporan-terdekat")
    assert "hidden" in box and 'aria-live="polite"' in box
    assert attr(box, "data-masuk") == "0" and attr(box, "data-csrf") == ""  # asked to sign in
    assert float(attr(box, "data-derajat")) == NEARBY_DEGREES
    assert "/static/js/peta-pengaduan.js" in assets_served(client, anonymous)
    assert legend(anonymous)  # the nearby markers' colours named

    reporter = register_citizen(client)
    report = file_report(client, login(client, reporter["email"]), contact_phone=PHONE)
    point_of(client, report["public_id"])
    supporter = register_citizen(client)
    browser = _signed_in(client.application, supporter["email"])
    signed = page(browser, "/pengaduan/baru")
    box = tag(signed, "laporan-terdekat")
    assert attr(box, "data-masuk") == "1"
    csrf = attr(box, "data-csrf")
    assert csrf == csrf_of(signed)

    # what the script asks for a pin a few metres away: the report, of this category
    lat, lon = report["lat"] + 0.0002, report["lon"] - 0.0002
    d = NEARBY_DEGREES
    near = client.get(
        "/gis/collections/complaints/items",
        query_string={
            "bbox": f"{lon - d:.6f},{lat - d:.6f},{lon + d:.6f},{lat + d:.6f}",
            "category": "jalan-rusak",
            "limit": "20",
        },
    ).get_json()
    assert report["public_id"] in [f["properties"]["public_id"] for f in near["features"]]
    other = client.get(
        "/gis/collections/complaints/items",
        query_string={
            "bbox": f"{lon - d:.6f},{lat - d:.6f},{lon + d:.6f},{lat + d:.6f}",
            "category": "lampu-jalan",
        },
    ).get_json()
    assert report["public_id"] not in [f["properties"]["public_id"] for f in other["features"]]

    # "Dukung laporan ini": the report page's own support form, posted as the script does
    supported = browser.post(
        f"/pengaduan/{report['public_id']}/dukung",
        data={"csrf": csrf},
        headers={"X-CSRF-Token": csrf},
    )
    assert supported.status_code == 303
    assert supported.headers["Location"] == f"/pengaduan/{report['public_id']}?ok=support"
    again = browser.post(f"/pengaduan/{report['public_id']}/dukung", data={"csrf": csrf})
    assert again.headers["Location"].endswith("?ok=supported_before")
    assert client.get(f"/api/v1/complaints/{report['public_id']}").get_json()["supporters"] == 1
    # signed out, the same post leads to the sign-in page (the script then says so)
    signed_out = client.post(f"/pengaduan/{report['public_id']}/dukung", data={})
    assert signed_out.status_code == 303 and signed_out.headers["Location"].startswith("/masuk")
    assert urlsplit(signed_out.headers["Location"]).path == "/masuk"


def test_the_public_layer_follows_a_reports_status_the_colour_of_its_marker(client, dpupr):
    report = file_report(client)
    point_of(client, report["public_id"])
    assert act(client, dpupr, report["public_id"], "verify").status_code == 200

    def verified():
        found = client.get(f"/gis/collections/complaints/items/{report['public_id']}").get_json()
        return found["properties"]["status"] == "verified"

    wait_until(verified, timeout=15)
