"""The maps through the gateway (issue #13): Leaflet served from its PyPI package, /peta, and the
pin picker of the report form; nothing named or fetched outside this site unless
GAWE_TILE_URL says where the base-map tiles come from."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.support.serang import JAVA_SEA, desa_points

SCRIPT_OR_STYLE = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')


def fetched(html: str) -> list[str]:
    """What the page's script and link tags load (an inline `data:` icon loads nothing)."""
    return [url for url in SCRIPT_OR_STYLE.findall(html) if not url.startswith("data:")]


EXTERNAL = re.compile(r"https?://(?!127\.0\.0\.1[:/\"'])[^\s\"'<>]+")
TILES = "https://{s}.tile.example.org/{z}/{x}/{y}.png"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_peta_is_a_map_loading_only_files_of_this_site(client):
    html = page(client, "/peta")
    assert 'id="peta"' in html and 'class="peta"' in html
    assets = fetched(html)
    assert "/static/js/peta.js" in assets
    assert any(a.startswith("/static/vendor/leaflet/leaflet.js") for a in assets)
    assert any(a.startswith("/static/vendor/leaflet/leaflet.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
    for served in assets:  # each one is there
        assert client.get(served).status_code == 200, served


def test_the_home_page_links_the_map(client):
    html = page(client, "/")
    assert '<a href="/peta">' in html


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static/vendor/leaflet/leaflet.js", "text/javascript"),
        ("/static/vendor/leaflet/leaflet.css", "text/css"),
        ("/static/vendor/leaflet/images/marker-icon.png", "image/png"),
        ("/static/vendor/leaflet/images/marker-shadow.png", "image/png"),
        ("/static/vendor/leaflet.markercluster/leaflet.markercluster.js", "text/javascript"),
        ("/static/vendor/leaflet.markercluster/MarkerCluster.css", "text/css"),
        ("/static/vendor/leaflet.markercluster/MarkerCluster.Default.css", "text/css"),
        ("/static/js/peta.js", "text/javascript"),
        ("/static/css/peta.css", "text/css"),
    ],
)
def test_map_files_are_served_with_their_content_types(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.content_length and response.content_length > 0
    if "/vendor/" in path:
        assert response.cache_control.max_age >= 86400
        assert response.cache_control.public


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/leaflet/../leaflet_markercluster/data/leaflet.markercluster.js",
        "/static/vendor/leaflet/..%2f..%2f__init__.py",
        "/static/vendor/leaflet/%2e%2e/%2e%2e/__init__.py",
        "/static/vendor/leaflet/images/../../../../../../etc/passwd",
        "/static/vendor/leaflet//etc/passwd",
        "/static/vendor/leaflet.markercluster/..%2F..%2Fleaflet%2Fdata%2Fleaflet.js",
        "/static/vendor/leaflet/leaflet.js.map",  # only scripts, styles and images
        "/static/vendor/leaflet/tidak-ada.js",
        "/static/vendor/tidak-ada/tidak-ada.js",
    ],
)
def test_nothing_outside_the_packages_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert b"root:" not in response.get_data() and b"import" not in response.get_data()


def test_the_report_form_keeps_its_fields_and_gains_the_picker(client):
    html = page(client, "/pengaduan/baru")
    form = re.search(r"<form\b[^>]*\bid=\"report\"[^>]*>", html).group(0)
    assert 'method="post"' in form and 'action="/pengaduan/baru"' in form
    assert re.search(r'<input\b[^>]*\bname="lat"', html)
    assert re.search(r'<input\b[^>]*\bname="lon"', html)
    assert 'id="peta-lokasi"' in html
    picked = re.search(r"<p\b[^>]*\bid=\"lokasi-terpilih\"[^>]*>", html).group(0)
    assert 'aria-live="polite"' in picked
    assert html.index('id="peta-lokasi"') < html.index('name="lat"')
    assert "Gunakan lokasi saya" in html
    for asset in fetched(html):
        assert asset.startswith("/static/"), asset


def test_the_report_form_files_without_javascript(client):
    place = desa_points()[0]
    response = client.post(
        "/pengaduan/baru",
        data={
            "category": "lampu-jalan",
            "attr:jumlah_lampu_mati": "2",
            "description": "Lampu jalan mati di depan balai desa",
            "lat": str(place["lat"]),
            "lon": str(place["lon"]),
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert re.fullmatch(r"/pengaduan/[A-Z]+-\d{4}-\d{6}", response.headers["Location"])
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_form_posted_outside_the_regency_comes_back_with_why(client):
    response = client.post(
        "/pengaduan/baru",
        data={
            "category": "lampu-jalan",
            "attr:jumlah_lampu_mati": "2",
            "description": "Lampu jalan mati di tengah laut",
            "lat": str(JAVA_SEA[0]),
            "lon": str(JAVA_SEA[1]),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "Lampu jalan mati di tengah laut" in html
    assert f'value="{JAVA_SEA[0]}"' in html  # what was typed stays


def test_the_picker_names_a_point_with_the_gateways_locate(client):
    place = desa_points()[0]
    found = client.get(f"/api/v1/gis/locate?lat={place['lat']}&lon={place['lon']}").get_json()
    assert found["inside"] and found["desa"]["name"] and found["kecamatan"]["name"]
    outside = client.get(f"/api/v1/gis/locate?lat={JAVA_SEA[0]}&lon={JAVA_SEA[1]}").get_json()
    assert outside["inside"] is False
    script = page_text(client, "/static/js/peta.js")
    assert "/api/v1/gis/locate?lat=" in script
    assert "Di luar Kabupaten Serang" in script and '"Desa "' in script and '", Kec. "' in script


def page_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/peta", "/pengaduan/baru", "/"])
def test_no_page_names_anything_outside_this_site_without_tiles(client, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert EXTERNAL.findall(html) == [], path
    assert 'data-tile-url=""' in html or path == "/"
    policy = response.headers["Content-Security-Policy"]
    img = policy.split("img-src")[1].split(";")[0]
    assert img.strip() == "'self' data: blob:"
    for asset in ("/static/js/peta.js", "/static/css/peta.css"):
        assert EXTERNAL.findall(page_text(client, asset)) == [], asset


@pytest.fixture
def tiles(platform, monkeypatch):
    settings = replace(
        platform.app.config["GAWE"],
        tile_url=TILES,
        tile_attribution="© Kontributor Peta Contoh",
    )
    monkeypatch.setitem(platform.app.config, "GAWE", settings)
    return settings


@pytest.mark.parametrize("path", ["/peta", "/pengaduan/baru"])
def test_tiles_when_set_are_named_on_the_map_and_allowed_by_the_policy(client, tiles, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert f'data-tile-url="{TILES}"' in html
    assert 'data-tile-attribution="© Kontributor Peta Contoh"' in html
    img = response.headers["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    assert "https://*.tile.example.org" in img.split()
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]
    # the tiles are images: scripts and connections stay on this site
    connect = response.headers["Content-Security-Policy"].split("connect-src")[1].split(";")[0]
    assert connect.strip() == "'self'"
