"""Phones at 360 px in a real browser (issue 13, parts 3 and 4): every main page, anonymous and
signed in, is no wider than the screen; its navigation is collapsed behind "Menu", which opens
with Enter or Space, lets Tab into its links and closes with Escape (the focus back on it);
without JavaScript the navigation is simply open; the developers' links (API docs, OpenAPI,
Open311, /readyz) are in the footer and not in the navigation; a refused sign-up names its
fields in words; issue 16's report desk forms, the reporter's page of a hidden photo and the
unverified account's notice fit and work there. Screenshots of each page at 360 px: var/test-output/screenshots/telepon-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.drive import PUBLIC_PAGES, SIGNED_IN_PAGES

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

WIDTH = 360
DEVELOPER_LINKS = {"/api/docs", "/api/v1/openapi.json", "/open311/v2/services.json", "/readyz"}
DEVELOPER_PATHS = ("/api/", "/open311", "/readyz", "/healthz")
# Pages of other engineers' still wider than a phone, by path: their width in px, listed here
# (never skipped) until their own tables and forms fit; any other page that overflows fails.
KNOWN_OVERFLOW: dict[str, int] = {}


@pytest.fixture(scope="module")
def found(drive):
    return drive("tests.browser.scenarios.phones:everything")


def test_every_main_page_fits_a_phone_with_its_navigation_collapsed(found):
    phones = found["phones"]
    pages = {p["path"]: p for p in phones["pages"]}
    assert list(pages) == PUBLIC_PAGES + list(SIGNED_IN_PAGES)
    assert phones["foreign_requests"] == []
    problems = {}
    for path, page in pages.items():
        width = page["widths"]
        wrong = {
            "status": page["status"] if page["status"] != 200 else None,
            "wider than the screen": width["scroll"]
            if width["scroll"] > WIDTH and width["scroll"] != KNOWN_OVERFLOW.get(path)
            else None,
            "navigation shown": page["nav_visible"] or None,
            "no menu button": (not page["menu_visible"]) or None,
            "menu says open": page["expanded"] if page["expanded"] != "false" else None,
            "console errors": page["console_errors"],
        }
        if any(wrong.values()):
            problems[path] = wrong | {"overflowing": page["overflowing"]}
        assert width["inner"] == WIDTH and width["client"] <= WIDTH, (path, width)
        assert Path(page["screenshot"]).stat().st_size > 0
    assert problems == {}


def test_forms_and_desks_beyond_the_main_pages_fit_a_phone_too(found):
    from tests.browser.scenarios.phones import MORE_PAGES

    pages = {p["path"]: p for p in found["more"]["pages"]}
    assert set(pages) == set(MORE_PAGES)
    problems = {}
    for path, page in pages.items():
        scroll = page["widths"]["scroll"]
        wrong = {
            "status": page["status"] if page["status"] != 200 else None,
            "sent elsewhere": page["url"] if page["url"] != path else None,
            "wider than the screen": scroll
            if scroll > WIDTH and scroll != KNOWN_OVERFLOW.get(path)
            else None,
            "console errors": page["console_errors"],
        }
        if any(wrong.values()):
            problems[path] = wrong | {"overflowing": page["overflowing"]}
    assert problems == {}


def test_the_menu_opens_and_closes_by_keyboard_on_every_page(found):
    for page in found["phones"]["pages"]:
        keys = page["keyboard"]
        where = (page["path"], keys)
        assert keys["tabs"] is not None and keys["tabs"] <= 3, where  # skip link, brand, menu
        assert keys["expanded_after_enter"] == "true", where
        assert keys["links_visible"] >= 2, where
        assert keys["open_widths"]["scroll"] <= WIDTH + KNOWN_OVERFLOW.get(page["path"], 0)
        assert keys["after_tab"]["in_nav"], where  # Tab goes on into the open navigation
        assert keys["expanded_after_escape"] == "false", where
        assert keys["after_escape"]["menu"], where  # the focus back on the button
        assert keys["expanded_after_space"] == "true", where


def test_developers_links_are_in_the_footer_and_not_in_the_navigation(found):
    for page in found["phones"]["pages"]:
        assert [h for h in page["nav_links"] if h.startswith(DEVELOPER_PATHS)] == [], page["path"]
        assert set(page["footer_links"]) >= DEVELOPER_LINKS, page["path"]
    by_path = {p["path"]: p for p in found["phones"]["pages"]}
    assert "/masuk" in by_path["/"]["nav_links"]
    assert "/saya" in by_path["/saya"]["nav_links"]
    assert "/staf" in by_path["/staf"]["nav_links"]


def test_without_javascript_the_navigation_is_open_and_fits(found):
    plain = found["without_scripts"]
    assert plain["nav_visible"] and not plain["menu_visible"], plain
    assert plain["nav_links_visible"] >= 3, plain
    assert plain["widths"]["scroll"] <= WIDTH, plain
    assert set(plain["footer_links"]) >= DEVELOPER_LINKS, plain


def test_a_refused_sign_up_names_its_fields_in_words_on_a_phone(found):
    sign_up = found["sign_up"]
    assert sign_up["fields"] == ["Nama lengkap", "NIK"], sign_up
    assert "Nama lengkap: Nama harus 2 sampai 120 karakter." in sign_up["summary"], sign_up
    assert "NIK: NIK harus terdiri dari 16 angka." in sign_up["summary"], sign_up
    for key in ("name:", "nik:", "attribute["):
        assert key not in sign_up["summary"], sign_up
    assert sign_up["widths"]["scroll"] <= WIDTH, sign_up
    # the browser logs the refused page's own status (422), nothing else
    others = [e for e in sign_up["console_errors"] if "status of 422" not in e]
    assert others == [], sign_up


def test_the_report_desk_forms_and_the_account_notice_fit_a_phone_and_work(found):
    """Issue 16's forms at 360 px (plain forms, no script of their own): the officer's desk with
    the forwarding, category and moderation forms, hiding a photo with a reason; the reporter's
    page saying so instead of showing it; an unverified account's notice and button, pressed.
    Each page as wide as the screen, with no serious accessibility violation."""
    forms = found["report_forms"]
    pages = {k: forms[k] for k in ("desk", "hidden", "reporter", "account", "asked")}
    for name, page in pages.items():
        serious = [v for v in page["axe"] if v["impact"] in ("serious", "critical")]
        assert page["widths"]["scroll"] <= WIDTH, (name, page["overflowing"])
        assert serious == [], (name, serious)
        assert page["console_errors"] == [], (name, page["console_errors"])
    assert forms["desk"]["path"] == f"/staf/pengaduan/{forms['public_id']}"
    assert forms["desk"]["forms"] == ["teruskan", "kategori", "moderasi", "moderasi"]
    assert forms["hidden"]["said"] == "Tersimpan: Foto disembunyikan dari publik."
    assert "Foto disembunyikan dari publik" in forms["hidden"]["timeline"]
    assert "hanya terlihat oleh staf" in forms["hidden"]["timeline"]
    reporter = forms["reporter"]
    assert "Disembunyikan oleh moderator" in reporter["notice"]
    assert "uji telepon" in reporter["notice"] and reporter["images"] == 0
    assert forms["account"]["notice"] == "Email belum diverifikasi"
    assert "Kami kirim tautan verifikasi" in forms["asked"]["said"]
