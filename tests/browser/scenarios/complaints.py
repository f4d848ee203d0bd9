"""The complaint maps in a real browser (issue 13), driven by tests/browser/test_complaints_maps.py.

Each function is a scenario (browser, base, out) -> dict run by tests.browser.drive in a process
of its own; it records every request and console error of its contexts (drive.Recorder).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser import drive
from tests.browser.drive import CITIZEN, new_context, sign_in
from tests.support.waiting import wait_until

OFFICER = "petugas.dpupr@gawe.example"
WAIT_S = 20.0


def on_public_layer(page, public_id: str) -> dict | None:
    """The report's point on the gis layer, which the complaints events feed (eventually). Asked
    through the context's API client: a 404 meanwhile is no console error of a page."""
    answer = page.request.get(f"/gis/collections/complaints/items/{public_id}")
    return answer.json() if answer.ok else None


def marker_shown(page, container: str, public_id: str) -> None:
    """The report's marker on a map of the page, out of its cluster (zoomed in as a visitor would
    by clicking the clusters), ready to be clicked."""
    page.wait_for_function(
        "([sel, id]) => { const el = document.querySelector(sel); return el && el.penanda && el.penanda[id]; }",
        arg=[container, public_id],
    )
    page.evaluate(
        """([sel, id]) => new Promise(done => {
            const el = document.querySelector(sel), marker = el.penanda[id];
            if (el.kelompok && el.kelompok.zoomToShowLayer) { el.kelompok.zoomToShowLayer(marker, done); }
            else { el.peta.setView(marker.getLatLng(), 17); done(); }
        })""",
        [container, public_id],
    )
    page.wait_for_selector(f'{container} .pin-laporan[title^="{public_id}"]', state="visible")


def open_marker(page, container: str, public_id: str) -> dict:
    """Click the report's marker: its popup's words and link."""
    marker_shown(page, container, public_id)
    page.click(f'{container} .pin-laporan[title^="{public_id}"]')
    popup = page.wait_for_selector(f"{container} .leaflet-popup-content", state="visible")
    drive.popup_shown(page, container)
    link = popup.query_selector("a")
    return {
        "title": page.get_attribute(f'{container} .pin-laporan[title^="{public_id}"]', "title"),
        "class": page.get_attribute(f'{container} .pin-laporan[title^="{public_id}"]', "class"),
        "popup": popup.inner_text(),
        "href": link.get_attribute("href") if link else None,
    }


def public_map_first_markers(page) -> dict:
    """/pengaduan: how long until the map shows its first markers, and what it asked for."""
    asked = []
    page.on(
        "request",
        lambda r: asked.append(r.url) if "/gis/collections/complaints/items" in r.url else None,
    )
    started = time.monotonic()
    page.goto("/pengaduan")
    page.wait_for_selector("#peta-pengaduan[data-dimuat]", state="attached")
    page.wait_for_selector("#peta-pengaduan .leaflet-marker-icon", state="visible")
    seconds = time.monotonic() - started
    return {
        "seconds": round(seconds, 3),
        "loaded": int(page.get_attribute("#peta-pengaduan", "data-dimuat")),
        "requests": [urlsplit(u).path + "?" + urlsplit(u).query for u in asked],
        "status": page.inner_text("#peta-pengaduan-status"),
        "legend": page.inner_text(".peta-legenda"),
    }


def citizen_to_officer(browser, base: str, out: Path) -> dict:
    """A citizen files a report with the pin and a photo (drive.report: the desa named, then
    /saya), finds it on the public map, whose marker leads to its page (its own small map); the
    DPUPR officer moves it on from the map of the queue; the citizen's page shows the new status
    and the inbox an unread message about it."""
    filed = drive.report(browser, base, out)
    public_id = filed["public_id"]
    result: dict = {"filed": filed, "public_id": public_id}

    context, recorder = new_context(browser, base)
    page = context.new_page()
    result["layer"] = wait_until(lambda: on_public_layer(page, public_id), WAIT_S, 0.2)
    result["first_view"] = public_map_first_markers(page)
    result["public_marker"] = open_marker(page, "#peta-pengaduan", public_id)
    page.screenshot(path=str(out / "pengaduan-peta-1280.png"))
    with page.expect_navigation():
        page.click(f'#peta-pengaduan .leaflet-popup-content a[href="/pengaduan/{public_id}"]')
    page.wait_for_selector("#peta-laporan .pin-laporan", state="visible")
    result["report_page"] = {
        "path": urlsplit(page.url).path,
        "marker_title": page.get_attribute("#peta-laporan .pin-laporan", "title"),
    }
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => window.innerWidth === 360")
    result["report_page"]["map_width_at_360"] = page.evaluate(
        "() => document.getElementById('peta-laporan').getBoundingClientRect().width"
    )
    result["report_page"]["page_width_at_360"] = page.evaluate(
        "() => document.documentElement.scrollWidth"
    )
    page.screenshot(path=str(out / "pengaduan-laporan-peta-360.png"), full_page=True)
    result["public_errors"] = recorder.take_errors()
    result["foreign_requests"] = recorder.foreign()
    context.close()

    # the citizen's /saya: the report on its map
    citizen, citizen_recorder = new_context(browser, base)
    mine = citizen.new_page()
    sign_in(mine, CITIZEN)
    mine.goto("/saya")
    mine.wait_for_selector(f'#peta-saya .pin-laporan[title^="{public_id}"]', state="attached")
    result["on_saya_map"] = True
    unread_before = unread(mine)

    # the officer: the queue's map, the marker, its staff page, the action
    officer, officer_recorder = new_context(browser, base)
    desk = officer.new_page()
    sign_in(desk, OFFICER)
    desk.goto("/staf?status=submitted")
    queue_marker = open_marker(desk, "#peta-antrean-pengaduan", public_id)
    result["queue_marker"] = queue_marker
    desk.screenshot(path=str(out / "staf-peta-antrean-1280.png"))
    with desk.expect_navigation():
        desk.click(
            f'#peta-antrean-pengaduan .leaflet-popup-content a[href="/staf/pengaduan/{public_id}"]'
        )
    result["staff_page"] = urlsplit(desk.url).path
    desk.wait_for_selector("#peta-laporan .pin-laporan", state="attached")
    desk.select_option("#action", "verify")
    desk.fill("#note", "Dicek dari peta antrean.")
    with desk.expect_navigation():
        desk.click("form:has(#action) button[type=submit]")
    result["staff_done"] = (
        desk.inner_text("[role=status]") if desk.locator("[role=status]").count() else ""
    )
    result["officer_errors"] = officer_recorder.take_errors()
    result["foreign_requests"] += officer_recorder.foreign()
    officer.close()

    # the citizen sees the new status, and an unread message about it
    mine.goto(f"/pengaduan/{public_id}")
    result["status_heading"] = mine.inner_text("h1")

    def inbox_grew():
        mine.goto("/saya")
        count = unread(mine)
        return count if count > unread_before else None

    result["unread_before"] = unread_before
    result["unread_after"] = wait_until(inbox_grew, WAIT_S, 0.2)
    result["inbox_text"] = mine.inner_text("main")
    result["citizen_errors"] = citizen_recorder.take_errors()
    result["foreign_requests"] += citizen_recorder.foreign()
    citizen.close()
    return result


def unread(page) -> int:
    """The inbox's unread count on /saya (its badge "N belum dibaca"; none: 0)."""
    badge = page.locator("h2:has-text('Kotak masuk') .badge")
    if not badge.count():
        return 0
    return int(badge.first.inner_text().split()[0])


def nearby_support(browser, base: str, out: Path) -> dict:
    """An open report filed by someone else near where the citizen puts the pin appears on the
    form's map and in its list with "Dukung laporan ini"; the citizen supports it from there. A
    refused field is then named by its label, not its key."""
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, CITIZEN)
    page.goto("/pengaduan/baru")
    page.wait_for_selector("#peta-lokasi[data-siap]", state="attached")
    page.wait_for_load_state("networkidle")
    located = drive.pick_inside(page)
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    # someone else (anonymous) reported a dead street light about 30 m from there
    other = page.request.post(
        "/api/v1/complaints",
        data={
            "category": "lampu-jalan",
            "lat": lat + 0.0002,
            "lon": lon + 0.0002,
            "description": "Lampu jalan mati dua tiang, gelap di malam hari.",
            "attributes": {"jumlah_lampu_mati": 2},
            "ignore_duplicates": True,
        },
    )
    assert other.status == 201, other.text()
    other_id = other.json()["public_id"]
    wait_until(lambda: on_public_layer(page, other_id), WAIT_S, 0.2)

    # the category chosen after the pin: the form looks again
    with page.expect_response(lambda r: "/gis/collections/complaints/items" in r.url):
        page.select_option("#category", "lampu-jalan")
    page.wait_for_selector(
        f'#laporan-terdekat li:has(a[href="/pengaduan/{other_id}"]) button.dukung-laporan',
        state="visible",
    )
    result = {
        "located": located,
        "other_id": other_id,
        "list": page.inner_text("#laporan-terdekat"),
        "on_picker_map": page.locator(f'#peta-lokasi .pin-laporan[title^="{other_id}"]').count(),
    }
    page.screenshot(path=str(out / "pengaduan-baru-terdekat-1280.png"), full_page=True)
    # the marker's popup offers the same
    page.click(f'#peta-lokasi .pin-laporan[title^="{other_id}"]')
    popup = page.wait_for_selector("#peta-lokasi .leaflet-popup-content", state="visible")
    result["popup"] = popup.inner_text()
    page.click(f'#laporan-terdekat li:has(a[href="/pengaduan/{other_id}"]) button.dukung-laporan')
    said = page.wait_for_selector("#laporan-terdekat li .ok, #laporan-terdekat li .error")
    result["supported"] = said.inner_text()
    result["supporters"] = page.request.get(f"/api/v1/complaints/{other_id}").json()["supporters"]
    result["console_errors"] = recorder.take_errors()

    # a refused field named by its label: the number of lamps as words
    page.fill("#attr-jumlah_lampu_mati", "banyak sekali")
    page.fill("#description", "Lampu jalan mati di tikungan, gelap sekali.")
    with page.expect_response(lambda r: r.url.endswith("/pengaduan/baru")) as answer:
        page.click("#report button[type=submit]")
    result["refused_status"] = answer.value.status
    page.wait_for_selector("#result .error li")
    result["refused"] = page.inner_text("#result .error")
    result["label"] = page.inner_text("label[for=attr-jumlah_lampu_mati]")
    # the refusal itself is logged by Chromium ("Failed to load resource: ... 422"): expected
    result["refusal_errors"] = recorder.take_errors()
    result["foreign_requests"] = recorder.foreign()
    context.close()
    return result
