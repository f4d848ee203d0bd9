"""The header navigation, the home page's cards and the sections of /saya, /staf and /admin come
from the installed apps' manifests (`AppSpec.pages`): a new app shows by its manifest alone."""

from __future__ import annotations

import pytest

from gateway import create_app
from gateway.settings import GatewaySettings
from servicekit import apps
from servicekit.apps import AppSpec, Section, installed_apps, page_sections

EXTRA = AppSpec(
    name="perizinan",
    service="services.perizinan.service:PerizinanService",
    title="Perizinan",
    database=False,
    pages={
        "nav": (Section("Perizinan", href="/perizinan"),),
        "home": (
            Section(
                "Perizinan daring",
                text="Ajukan izin usaha dan pantau prosesnya.",
                links=(("Ajukan izin", "/perizinan/baru"), ("Daftar izin", "/perizinan")),
            ),
        ),
        "saya": (Section(template="_izin_saya.html"),),
    },
)


@pytest.fixture
def home_page(monkeypatch) -> str:
    real = apps.installed_apps()
    monkeypatch.setattr(apps, "installed_apps", lambda: (*real, EXTRA))
    app = create_app(GatewaySettings(amqp_uri="memory://", secret_key="k" * 64))
    response = app.test_client().get("/")  # the home page calls no service
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_extra_apps_nav_link_and_home_card_appear_on_the_home_page(home_page):
    header = home_page.split("</header>")[0]
    assert '<a href="/perizinan">Perizinan</a>' in header
    main = home_page.split("<main")[1]
    assert "<h2>Perizinan daring</h2><p>Ajukan izin usaha dan pantau prosesnya.</p>" in main
    assert (
        '<a href="/perizinan/baru">Ajukan izin</a> · <a href="/perizinan">Daftar izin</a>' in main
    )


def test_the_installed_apps_links_and_cards_stay_as_they_were(home_page):
    header = home_page.split("</header>")[0]
    for href, title in [
        ("/pengaduan", "Pengaduan"),
        ("/pengaduan/baru", "Laporkan kerusakan"),
        ("/usulan", "Serang Open"),
    ]:
        assert f'<a href="{href}">{title}</a>' in header
    assert "/api/docs" not in header  # the developers' links are in the footer
    assert '<a href="/api/docs">Dokumentasi API</a>' in home_page.split("<footer")[1]
    for title in ("Pengaduan", "Serang Open", "Peta wilayah", "Untuk pengembang"):
        assert f"<h2>{title}</h2>" in home_page
    assert '<a href="/usulan">Lihat semua usulan dan jejak dananya</a>' in home_page
    assert '<a href="/peta">Lihat peta</a>' in home_page


def test_sections_come_in_manifest_order_lower_order_first():
    first = AppSpec("a", "m:A", "A", database=False, pages={"saya": (Section(template="a"),)})
    inbox = Section(template="inbox", order=-1)
    second = AppSpec("b", "m:B", "B", database=False, pages={"saya": (inbox,)})
    third = AppSpec("c", "m:C", "C", database=False, pages={"saya": (Section(template="c"),)})
    got = page_sections("saya", (first, second, third))
    assert [s.template for s in got] == ["inbox", "a", "c"]
    assert page_sections("staf", (first, second, third)) == []


def test_installed_pages_name_their_partials_in_the_order_of_today():
    """The first apps' partials keep their order (the inbox heads /saya and /staf); an app added
    later brings its own sections, each shown once."""

    def templates(page):
        return [s.template for s in page_sections(page)]

    def in_order(got, expected):
        return [t for t in got if t in expected] == expected

    assert in_order(templates("saya"), ["_inbox.html", "_my_reports.html", "_my_proposals.html"])
    assert templates("saya")[0] == templates("staf")[0] == "_inbox.html"
    assert in_order(
        templates("staf"), ["_inbox.html", "_staff_complaints.html", "_staff_proposals.html"]
    )
    assert in_order(templates("admin"), ["_admin_staff.html", "_admin_failed_notifications.html"])
    for page in ("saya", "staf", "admin"):
        declared = [
            s.template for spec in installed_apps() for s in spec.pages.get(page, ()) if s.template
        ]
        assert sorted(templates(page)) == sorted(declared), page


def test_a_manifest_naming_an_unknown_page_is_refused():
    with pytest.raises(ValueError, match="unknown pages"):
        AppSpec("x", "m:X", "X", database=False, pages={"beranda": ()})
