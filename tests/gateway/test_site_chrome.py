"""The site's chrome on every page (issue 13): the header navigation for citizens (collapsible
behind its "Menu" button on phones, open without scripts), the developers' links (API docs,
OpenAPI, Open311, /readyz) in the footer and not in the navigation, the site's style sheet and
script from this site with no inline style in the chrome; and the error summaries of the
server-rendered forms naming each field in words, never by its key."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import PASSWORD, create_admin, register_citizen, unique_email
from tests.support.serang import desa_points
from tests.support.web import post_sign_up, web_login

PUBLIC_PAGES = [
    "/",
    "/pengaduan",
    "/pengaduan/baru",
    "/usulan",
    "/peta",
    "/masuk",
    "/daftar",
    "/kartu-kuning",
]
DEVELOPER_LINKS = {
    "/api/docs": "Dokumentasi API",
    "/api/v1/openapi.json": "OpenAPI",
    "/open311/v2/services.json": "Open311",
    "/readyz": "Status layanan",
}
DEVELOPER_PATHS = ("/api/", "/open311", "/readyz", "/healthz")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')


def part(html: str, tag: str) -> str:
    """The one element `tag` of the page (its opening tag to its end tag)."""
    assert html.count(f"<{tag} ") + html.count(f"<{tag}>") == 1, tag
    return re.search(rf"<{tag}[\s>].*?</{tag}>", html, re.S).group(0)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def assert_chrome(html: str) -> None:
    header, footer = part(html, "header"), part(html, "footer")
    nav = re.search(r'<nav id="navigasi".*?</nav>', header, re.S).group(0)
    assert [h for h in HREF.findall(nav) if h.startswith(DEVELOPER_PATHS)] == []
    for href, words in DEVELOPER_LINKS.items():
        assert f'<a href="{href}">{words}</a>' in footer
    button = re.search(r'<button type="button" class="menu-tombol"[^>]*>', header).group(0)
    assert 'aria-controls="navigasi"' in button and 'aria-expanded="false"' in button
    assert '<nav id="navigasi" aria-label="Navigasi utama">' in header
    assert '<link rel="stylesheet" href="/static/css/situs.css">' in html
    assert re.search(r'<script nonce="[^"]+" src="/static/js/situs.js"></script>', html)
    assert html.index("/static/css/situs.css") < html.index("</head>")
    for chrome in (header, footer):
        assert "style=" not in chrome and "<style" not in chrome
        assert not re.search(r"\son[a-z]+=", chrome)  # no inline event handler
    assert '<a class="lewati" href="#isi">Langsung ke isi</a>' in html
    assert '<main id="isi"' in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_keeps_developers_links_in_its_footer(client, path):
    html = page(client, path)
    assert_chrome(html)
    nav = part(html, "header")
    assert '<a href="/masuk"' in nav  # signed out: sign in from the navigation
    assert "Keluar" not in nav


def test_the_home_page_has_no_developers_card_and_the_footer_links_answer(client):
    html = page(client, "/")
    main = part(html, "main")
    assert "Untuk pengembang" not in main and "/api/docs" not in main
    assert '<nav aria-label="Untuk pengembang"><h2>' not in main
    for href in DEVELOPER_LINKS:
        response = client.get(href)
        assert response.status_code == 200, (href, response.status_code)


def test_the_current_page_is_marked_in_the_navigation(client):
    header = part(page(client, "/pengaduan"), "header")
    assert '<a href="/pengaduan" aria-current="page">Pengaduan</a>' in header
    assert '<a href="/usulan">Serang Open</a>' in header


def test_signed_in_pages_have_the_same_chrome_with_their_own_links(platform):
    citizen = register_citizen(platform.client)
    browser = platform.client
    web_login(browser, citizen["email"])
    html = page(browser, "/saya")
    assert_chrome(html)
    nav = part(html, "header")
    assert '<a href="/saya" aria-current="page">Halaman saya</a>' in nav
    assert '<form method="post" action="/keluar" class="keluar">' in nav
    settings = page(browser, "/saya/pengaturan")
    assert_chrome(settings)
    assert 'style="' not in part(settings, "main")  # the checkboxes styled by the sheet

    admin = platform.client
    web_login(admin, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
    html = page(admin, "/admin")
    assert_chrome(html)
    assert '<a href="/admin" aria-current="page">Admin</a>' in part(html, "header")


@pytest.mark.parametrize(
    ("path", "mimetype", "says"),
    [
        ("/static/css/situs.css", "text/css", "menu-tombol"),
        ("/static/js/situs.js", "text/javascript", "aria-expanded"),
    ],
)
def test_the_site_files_are_served_from_this_site(client, path, mimetype, says):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data(as_text=True)
    assert says in text
    assert not re.search(r"https?://|@import|url\(", text)  # nothing loaded from elsewhere


def summary(html: str) -> str:
    found = re.search(r'<div class="error ringkasan-galat" role="alert">.*?</div>', html, re.S)
    assert found, html[:2000]
    return found.group(0)


def assert_no_raw_key(text: str, *keys: str) -> None:
    assert "attribute[" not in text and "_schema" not in text
    for key in keys:
        assert f"{key}:" not in text and f">{key}<" not in text, key


def test_the_sign_up_summary_names_the_fields_as_the_form_does(client):
    response = post_sign_up(client, name="A", email=unique_email(), password=PASSWORD, nik="12345")
    assert response.status_code == 422
    found = summary(response.get_data(as_text=True))
    assert "<strong>Nama lengkap</strong>: Nama harus 2 sampai 120 karakter." in found
    assert "<strong>NIK</strong>: NIK harus terdiri dari 16 angka." in found
    assert_no_raw_key(found, "name", "nik")


def test_the_staff_account_summary_names_the_fields_as_the_form_does(platform):
    admin = platform.client
    web_login(admin, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
    token = CSRF.search(page(admin, "/admin")).group(1)
    body = {"csrf": token, "name": "P", "email": "bukan-email", "password": "pendek"}
    response = admin.post("/admin/staf", data=body | {"role": "officer", "agency": "DPUPR"})
    assert response.status_code == 422
    found = summary(response.get_data(as_text=True))
    assert "<strong>Email dinas</strong>:" in found
    assert "<strong>Kata sandi awal</strong>:" in found
    assert "<strong>Nama</strong>:" in found
    assert_no_raw_key(found, "email", "password", "name")


def test_the_report_form_names_a_missing_attribute_by_its_description(client):
    place = desa_points()[0]
    categories = client.get("/api/v1/complaints/categories").get_json()
    listed = categories["items"] if isinstance(categories, dict) else categories
    lamp = next(c for c in listed if c["code"] == "lampu-jalan")
    attribute = next(a for a in lamp["attributes"] if a["required"])
    response = client.post(
        "/pengaduan/baru",
        data={
            "category": "lampu-jalan",
            "description": "Lampu jalan mati di depan balai desa",
            "lat": str(place["lat"]),
            "lon": str(place["lon"]),
        },
    )
    assert response.status_code == 422, response.status_code
    found = summary(response.get_data(as_text=True))
    assert f"<strong>{attribute['description']}</strong>:" in found
    assert_no_raw_key(found, attribute["code"])


def test_the_error_page_names_fields_in_words(platform):
    citizen = register_citizen(platform.client)
    browser = platform.client
    web_login(browser, citizen["email"])
    response = browser.get("/staf")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert_chrome(html)
    assert "<strong>Peran</strong>:" in part(html, "main")
    assert_no_raw_key(part(html, "main"), "roles")
