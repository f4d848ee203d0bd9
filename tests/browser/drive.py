"""The browser side of tests/browser: Playwright driving Debian's Chromium, in a process of its own.

The test process is eventlet monkey-patched (tests/conftest.py), and Playwright's sync API, an
asyncio loop talking to a node driver, hangs there; so the tests run this module with
`python -m tests.browser.drive <scenario> <base_url> <out_dir>` and assert on the JSON it prints.
The demo password comes in the environment (DEMO_PASSWORD). Every scenario records every request
the browser makes, every console error and every uncaught error of the page.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google (updates, sync, field trials).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-default-browser-check",
]
WIDTHS = {360: 740, 1280: 900}
PUBLIC_PAGES = [
    "/",
    "/pengaduan",
    "/pengaduan/baru",
    "/usulan",
    "/peta",
    "/masuk",
    "/daftar",
    "/kartu-kuning",
    "/angka",
]
SIGNED_IN_PAGES = {
    "/saya": "warga@gawe.example",
    "/staf": "petugas.dpupr@gawe.example",
    "/staf/pengaduan/disembunyikan": "petugas.dpupr@gawe.example",
    "/dasbor": "bupati@gawe.example",
}
CITIZEN = "warga@gawe.example"
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension"}
# A 1x1 PNG, the photo the citizen attaches.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
TIMEOUT_MS = 20_000


# Pages that keep a stream open (server-sent events): never "network idle", so they are taken as
# loaded once their load event has fired and their script has drawn the figures.
STREAMING = {"/dasbor": "[data-version]"}


def open_page(page, path: str):
    """Go to a page and wait until it has settled: the network idle, or for a page that keeps a
    stream open, its load event and the mark its script leaves once it has drawn."""
    if path not in STREAMING:
        return page.goto(path, wait_until="networkidle")
    response = page.goto(path, wait_until="load")
    page.wait_for_selector(STREAMING[path], state="attached")
    return response


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "beranda"


class Recorder:
    """Every request of a browser context, and the console errors of its pages."""

    def __init__(self, context):
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self.watch)

    def watch(self, page):
        page.on("console", lambda msg: self.console(page, msg))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def console(self, page, msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url") or ""
            self.errors.append(f"{page.url}: {msg.text} ({where})")

    def foreign(self) -> list[str]:
        """Every request to a host other than 127.0.0.1 (data: and blob: never leave)."""
        found = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme not in LOCAL_SCHEMES and parts.hostname != "127.0.0.1":
                found.append(url)
        return found

    def take_errors(self) -> list[str]:
        taken, self.errors[:] = list(self.errors), []
        return taken


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def new_context(browser, base: str):
    context = browser.new_context(
        base_url=base, viewport={"width": 1280, "height": 900}, locale="id-ID"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, Recorder(context)


def sign_in(page, email: str) -> None:
    page.goto("/masuk")
    page.fill("#email", email)
    page.fill("#password", os.environ["DEMO_PASSWORD"])
    with page.expect_navigation():
        page.click("form[action='/masuk'] button[type=submit]")
    if urlsplit(page.url).path == "/masuk":
        raise RuntimeError(f"sign-in of {email} refused: {page.inner_text('main')[:500]}")


def popup_shown(page, container: str) -> None:
    """Wait until the map's popup has faded in: mid-fade its text is translucent, and axe would
    judge its contrast against the map beneath."""
    page.wait_for_function(
        "sel => { const p = document.querySelector(sel);"
        " return p && getComputedStyle(p).opacity === '1'; }",
        arg=f"{container} .leaflet-popup",
    )


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in response["violations"]
    ]


def visit(page, recorder: Recorder, path: str, out: Path) -> dict:
    """A main page: loaded, checked by axe, photographed at each width."""
    response = open_page(page, path)
    result = {
        "path": path,
        "status": response.status if response else None,
        "url": urlsplit(page.url).path,
        "violations": axe_violations(page),
        "screenshots": [],
    }
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("w => window.innerWidth === w", arg=width)
        shot = out / f"{slug(path)}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        result["screenshots"].append(str(shot))
    page.set_viewport_size({"width": 1280, "height": 900})
    result["console_errors"] = recorder.take_errors()
    return result


def pages(browser, base: str, out: Path) -> dict:
    """Every main page, anonymous and then signed in as the demo account that has it."""
    results, foreign = [], []
    context, recorder = new_context(browser, base)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        results.append(visit(page, recorder, path, out))
    foreign += recorder.foreign()
    context.close()
    for path, email in SIGNED_IN_PAGES.items():
        context, recorder = new_context(browser, base)
        page = context.new_page()
        sign_in(page, email)
        recorder.take_errors()  # the sign-in page is visited above
        results.append(visit(page, recorder, path, out))
        foreign += recorder.foreign()
        context.close()
    return {"pages": results, "foreign_requests": foreign}


def peta(browser, base: str, out: Path) -> dict:
    """The public map: Leaflet's panes in #peta and the kecamatan boundaries drawn."""
    context, recorder = new_context(browser, base)
    page = context.new_page()
    page.goto("/peta")
    page.wait_for_selector("#peta .leaflet-map-pane", state="attached")
    page.wait_for_selector("#peta .leaflet-overlay-pane path", state="attached")
    page.wait_for_load_state("networkidle")
    result = {
        "panes": page.locator("#peta .leaflet-pane").count(),
        "paths": page.locator("#peta .leaflet-overlay-pane path").count(),
        "console_errors": recorder.take_errors(),
        "foreign_requests": recorder.foreign(),
    }
    context.close()
    return result


def pick_inside(page) -> dict:
    """Click the picker map, on its centre and then on a grid, until a click lands in the
    regency (the gateway's locate says inside): the answer of that locate."""
    box = page.locator("#peta-lokasi").bounding_box()
    spots = [(0.5, 0.5)] + [(x / 6, y / 6) for y in range(1, 6) for x in range(1, 6)]
    for fx, fy in spots:
        with page.expect_response(lambda r: "/gis/locate" in r.url) as answer:
            page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        located = answer.value.json()
        if located.get("inside"):
            return located
    raise RuntimeError("no click on the picker map landed inside the regency")


def place_by_keyboard(page) -> dict:
    """Tab to the picker map, press Enter (the pin at the map's centre), pan with an arrow key
    and press Enter again: the fields and the named place after each."""
    said = "() => document.getElementById('lokasi-terpilih').textContent"
    steps = []
    page.focus("#peta-lokasi")
    for pans in (0, 2):
        if pans:  # Enter takes the centre: wait until the arrows' pan has ended (a loaded
            # machine may not have moved the map at all yet when Enter comes)
            page.evaluate(
                """() => { const map = document.getElementById('peta-lokasi').peta;
                  window.__panned = new Promise(done => map.on('moveend', () => done())); }"""
            )
            for _ in range(pans):
                page.keyboard.press("ArrowRight")
            page.evaluate("() => window.__panned")
        with page.expect_response(lambda r: "/gis/locate" in r.url):
            page.keyboard.press("Enter")
        page.wait_for_function(f"() => !/Mencari/.test(({said})())")
        steps.append(
            {
                "lat": page.input_value("input[name=lat]"),
                "lon": page.input_value("input[name=lon]"),
                "said": page.evaluate(said),
            }
        )
    return {"steps": steps, "label": page.get_attribute("#peta-lokasi", "aria-label")}


def fill_attributes(page) -> None:
    """Every required attribute of the chosen category: the first value of a list, else 1."""
    for field in page.locator("#attributes [required]").all():
        if field.evaluate("el => el.tagName") == "SELECT":
            values = [
                v for v in field.locator("option").evaluate_all("os => os.map(o => o.value)") if v
            ]
            field.select_option(values[0])
        else:
            field.fill("1")


def report(browser, base: str, out: Path) -> dict:
    """The citizen places the pin by clicking the map, sees the desa named, files the report
    with a photo, and finds it on /saya."""
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, CITIZEN)
    page.goto("/pengaduan/baru")
    page.wait_for_selector("#peta-lokasi .leaflet-map-pane", state="attached")
    page.wait_for_load_state("networkidle")
    keyboard = place_by_keyboard(page)
    located = pick_inside(page)
    desa = located["desa"]["name"] if isinstance(located.get("desa"), dict) else located.get("desa")
    page.wait_for_function(
        "() => /Desa /.test(document.getElementById('lokasi-terpilih').textContent)"
    )
    result = {
        "keyboard": keyboard,
        "located": located,
        "lokasi_terpilih": page.inner_text("#lokasi-terpilih"),
        "lat": page.input_value("input[name=lat]"),
        "lon": page.input_value("input[name=lon]"),
        "desa": desa,
    }
    page.select_option("#category", "jalan-rusak")
    fill_attributes(page)
    page.fill("#description", "Jalan desa berlubang di depan balai desa, sulit dilalui motor.")
    has_photo = page.locator("input[type=file][name=photos]").count() > 0
    if has_photo:
        photo = {"name": "kerusakan.png", "mimeType": "image/png", "buffer": PNG}
        page.set_input_files("input[type=file][name=photos]", files=[photo])
    page.click("#report button[type=submit]")
    page.wait_for_selector("#result .ok a[href^='/pengaduan/'], #anyway")
    asked_about_duplicates = page.locator("#anyway").count() > 0
    if asked_about_duplicates:  # an earlier scenario's report lies near: "is it one of these?"
        result["duplicates"] = page.inner_text("#result")
        page.click("#anyway")
        page.wait_for_selector("#result .ok a[href^='/pengaduan/']")
    public_id = page.inner_text("#result .ok a[href^='/pengaduan/']").strip()
    if has_photo:
        page.wait_for_selector("#result :is(.ok, .error):text-matches('Foto|foto')")
    page.screenshot(path=str(out / "pengaduan-baru-terkirim-1280.png"), full_page=True)
    result |= {"public_id": public_id, "photo": has_photo, "result": page.inner_text("#result")}
    page.goto("/saya", wait_until="networkidle")
    result["on_saya"] = public_id in page.inner_text("main")
    errors = recorder.take_errors()
    if asked_about_duplicates:  # the form's 409 asking "is it one of these?" is its answer
        question = (
            "/pengaduan/baru: Failed to load resource: the server responded with a status of 409"
        )
        errors = [e for e in errors if not e.startswith(base.rstrip("/") + question)]
    result["console_errors"] = errors
    result["foreign_requests"] = recorder.foreign()
    context.close()
    return result


SCENARIOS = {"pages": pages, "peta": peta, "report": report}


def scenario_named(name: str):
    """A scenario above by its name, or any other as "module:function" (e.g.
    "tests.browser.scenarios.dashboard:count_rises"): a function (browser, base, out) -> dict
    that may use this module's helpers (new_context, sign_in, visit, ...)."""
    if ":" not in name:
        return SCENARIOS[name]
    module, function = name.split(":", 1)
    return getattr(importlib.import_module(module), function)


def main(argv: list[str]) -> int:
    scenario, base, out = argv[0], argv[1], Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    run = scenario_named(scenario)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            result = run(browser, base, out)
        finally:
            browser.close()
    (out / f"{scenario.replace(':', '-')}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False)
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
