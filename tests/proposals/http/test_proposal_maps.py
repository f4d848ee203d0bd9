"""Serang Open's maps in the pages (issue #13): the registry's map of proposals and its kecamatan
shading, the point of every proposal page, the staff queue's map beside its list, and the pin
picker on the proposal, applicant and emergency bansos forms, which still post without
JavaScript. The maps' data come only from public sources (the OGC layer, the registry's totals),
and no page shows a private value of the applicant."""

from __future__ import annotations

import html as markup
import re
from urllib.parse import parse_qs

import pytest

from tests.proposals.conftest import (
    THIS_YEAR,
    citizen,
    create_applicant,
    fresh_point,
    private_values,
    submitted_proposal,
)
from tests.support.factories import auth
from tests.support.waiting import wait_until
from tests.support.web import web_login

SCRIPT_OR_STYLE = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)
POINT = re.compile(
    r'<div class="peta peta-titik"[^>]*data-lat="([^"]+)" data-lon="([^"]+)"', re.DOTALL
)


def browser_of(platform, email: str):
    browser = platform.app.test_client()
    web_login(browser, email)
    return browser


def page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code, response.headers)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def assets_of(client, html: str) -> list[str]:
    """The page's scripts and style sheets: all of this site, each one served."""
    found = [u for u in SCRIPT_OR_STYLE.findall(html) if not u.startswith("data:")]
    for url in found:
        assert url.startswith("/static/"), url
        assert client.get(markup.unescape(url)).status_code == 200, url
    return found


def picker_markup(html: str) -> None:
    """The same picker as the report form: its map, the named place, 'Gunakan lokasi saya' and
    the point's two fields, typeable, inside the form that posts them."""
    forms = re.findall(r'<form method="post"[^>]*>(.*?)</form>', html, re.DOTALL)
    body = next((f for f in forms if 'id="peta-lokasi"' in f), None)
    assert body, "no form posting with a map"
    assert re.search(r'<div id="peta-lokasi" class="peta peta-lokasi" role="region"', body)
    assert '<p id="lokasi-terpilih" aria-live="polite">' in body
    assert '<button type="button" id="here">Gunakan lokasi saya</button>' in body
    for name in ("lat", "lon"):
        field = re.search(rf'<input id="{name}" name="{name}"[^>]*>', body)
        assert field and "readonly" not in field.group(0) and "disabled" not in field.group(0)
        assert f'<label for="{name}">' in body
    assert "/static/js/peta.js" in html and "/static/vendor/leaflet/leaflet.js" in html
    assert not INLINE_HANDLER.search(html)
    assert "<script>" not in html  # every script carries the page's nonce


@pytest.fixture(scope="module")
def applicant(client):
    return citizen(client)


@pytest.fixture(scope="module")
def bansos(client, applicant):
    """An individual's bansos, submitted: the most private kind of proposal there is."""
    return submitted_proposal(client, applicant["token"], "bansos")


@pytest.fixture(scope="module")
def hibah(client, applicant):
    return submitted_proposal(client, applicant["token"], "hibah")


def test_registry_has_the_map_its_shading_and_the_table_scrolls_in_its_own_box(
    client, bansos, hibah
):
    html = page(client, "/usulan")
    assert '<div id="peta-usulan" class="peta peta-usulan" role="region"' in html
    assert 'id="peta-usulan-legenda"' in html and 'id="peta-usulan-status"' in html
    assert re.search(r'<details><summary>[^<]+</summary><div id="peta-usulan-tabel"', html)
    assert "<noscript>" in html and "/gis/collections/proposals/items" in html
    # the map's year: this year's proposals are there, so it is offered and chosen
    year = re.search(r'<select id="peta-tahun">(.*?)</select>', html, re.DOTALL)
    assert year and f'<option value="{THIS_YEAR}"' in year.group(1)
    assert re.search(r'data-tahun="(\d{4})"', html)
    # ten columns scroll in a box of their own, which a keyboard can reach
    assert re.search(
        r'<div class="tabel-gulir tabel-lebar" tabindex="0" role="region" aria-label="[^"]+">\s*'
        r"<table>\s*<tr><th>Nomor</th>",
        html,
    )
    assets = assets_of(client, html)
    assert "/static/js/peta-usulan.js" in assets and "/static/css/peta-usulan.css" in assets
    assert any("leaflet.markercluster.js" in a for a in assets)
    assert not INLINE_HANDLER.search(html)
    for proposal in (bansos, hibah):
        leaked = [v for v in private_values(proposal) if v in html]
        assert not leaked, leaked


def test_the_registry_map_asks_the_ogc_layer_for_the_filters_of_the_list(client, bansos):
    html = page(client, f"/usulan?year={THIS_YEAR}&kind=bansos&agency=DINSOS")
    query = markup.unescape(re.search(r'data-query="([^"]*)"', html).group(1))
    assert parse_qs(query) == {
        "budget_year": [str(THIS_YEAR)],
        "kind": ["bansos"],
        "agency": ["DINSOS"],
    }
    assert re.search(rf'data-tahun="{THIS_YEAR}"', html)

    def layer() -> dict:
        answer = client.get(f"/gis/collections/proposals/items?limit=1000&{query}")
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        return {f["properties"]["public_id"]: f for f in answer.get_json()["features"]}

    found = wait_until(lambda: layer().get(bansos["public_id"]), timeout=20)
    text = str(found)
    assert not [v for v in private_values(bansos) if v in text]
    assert found["properties"]["recipient_name"] != bansos["applicant"]["name"]
    # the choropleth's numbers: the registry's totals per kecamatan of that year
    totals = client.get(f"/api/v1/registry/proposals?per_page=1&year={THIS_YEAR}").get_json()
    codes = {t["key"] for t in totals["totals"]["kecamatan"]}
    assert bansos["kecamatan_code"] in codes


def test_every_proposal_page_shows_its_point(platform, client, applicant, bansos, staff):
    public_id = bansos["public_id"]
    public = client.get(f"/api/v1/registry/proposals/{public_id}").get_json()

    shown = page(client, f"/usulan/{public_id}")
    lat, lon = POINT.search(shown).groups()
    assert (float(lat), float(lon)) == (public["lat"], public["lon"])  # rounded for a person
    assert not [v for v in private_values(bansos) if v in shown]

    mine = page(browser_of(platform, applicant["email"]), f"/saya/usulan/{public_id}")
    lat, lon = POINT.search(mine).groups()
    assert (float(lat), float(lon)) == (bansos["lat"], bansos["lon"])

    staff_page = page(browser_of(platform, staff["kesra"]["email"]), f"/staf/usulan/{public_id}")
    lat, lon = POINT.search(staff_page).groups()
    assert (float(lat), float(lon)) == (bansos["lat"], bansos["lon"])
    for html in (shown, mine, staff_page):
        assert "/static/js/peta-usulan.js" in html and "/static/vendor/leaflet/leaflet.js" in html
        assert not INLINE_HANDLER.search(html)


def test_the_staff_queue_shows_its_items_on_a_map_beside_the_list(platform, staff, hibah):
    html = page(browser_of(platform, staff["kesra"]["email"]), "/staf")
    assert re.search(r'<div class="antrean-peta">\s*<div class="tabel-gulir"', html)
    assert '<div id="peta-antrean" class="peta" role="region"' in html
    assert 'data-list="antrean-usulan"' in html and '<table id="antrean-usulan">' in html
    row = re.search(
        rf'<tr data-lat="([^"]+)" data-lon="([^"]+)"><td><a href="/staf/usulan/{hibah["public_id"]}">',
        html,
    )
    assert row and (float(row.group(1)), float(row.group(2))) == (hibah["lat"], hibah["lon"])
    script = re.search(r'<script nonce="[^"]+" src="/static/js/peta-usulan.js"[^>]*>', html)
    assert (
        script and 'data-leaflet="' in script.group(0) and 'data-markercluster="' in script.group(0)
    )


def test_the_proposal_form_has_the_picker_and_posts_without_javascript(platform, client):
    owner = citizen(client)
    made = create_applicant(client, owner["token"])
    browser = browser_of(platform, owner["email"])
    form = page(browser, "/saya/usulan/baru")
    picker_markup(form)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    point = fresh_point()
    typed = {
        "csrf": csrf,
        "applicant_id": str(made["id"]),
        "kind": "hibah",
        "bansos_type": "",
        "budget_year": str(THIS_YEAR + 1),
        "category": "olahraga",
        "title": "Turnamen voli antardesa",
        "purpose": "Pembinaan olahraga pemuda desa selama satu tahun.",
        "activities": "Pertandingan dan pelatihan.",
        "cost1_item": "Perlengkapan",
        "cost1_amount": "10.000.000",
        "requested_amount": "10.000.000",
        "lat": str(point["lat"]),
        "lon": str(point["lon"]),
    }
    saved = browser.post("/saya/usulan/baru", data=typed)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    public_id = re.search(r"/saya/usulan/([^/?]+)", saved.headers["Location"]).group(1)
    draft = client.get(f"/api/v1/proposals/{public_id}", headers=auth(owner["token"])).get_json()
    assert (draft["lat"], draft["lon"]) == (
        pytest.approx(point["lat"]),
        pytest.approx(point["lon"]),
    )
    assert draft["desa_code"]  # named from the typed point

    # refused: the typed point is shown again, in its fields beside the map
    outside = browser.post("/saya/usulan/baru", data=typed | {"lat": "-5.5", "lon": "105.5"})
    assert outside.status_code in (409, 422), outside.status_code
    again = outside.get_data(as_text=True)
    picker_markup(again)
    assert 'value="-5.5"' in again and 'value="105.5"' in again


def test_the_applicant_and_emergency_forms_have_the_picker(platform, client, staff):
    owner = citizen(client)
    browser = browser_of(platform, owner["email"])
    for kind in ("organisation", "individual"):
        picker_markup(page(browser, f"/saya/pemohon/baru?jenis={kind}"))
    officer = browser_of(platform, staff["dinsos_officer"]["email"])
    picker_markup(page(officer, "/staf/bansos-darurat"))
