"""The leaders' dashboard in a real browser (issue 13): the regent opens /dasbor, a report is
filed through the API meanwhile, and the open-report count on the page rises without a reload
(within five seconds); /dasbor and /angka are accessible and fit a phone of 360 px."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from tests.browser.drive import axe_violations, new_context, sign_in

LEADER = "bupati@gawe.example"
POINT = {"lat": -6.0642, "lon": 106.13578}  # Margasana, Kramatwatu (services/gis/data)
OPEN = "#angka-terbuka"
RISES_WITHIN_MS = 5_000


def _count(page) -> int:
    return int("".join(ch for ch in page.inner_text(OPEN) if ch.isdigit()) or 0)


def _fits(page, out: Path, name: str) -> dict:
    """The page at 360 px: whether anything is wider than the screen, and its photograph."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => window.innerWidth === 360")
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    page.screenshot(path=str(out / f"{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    return {"scroll_width_360": wide}


def count_rises(browser, base: str, out: Path) -> dict:
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, LEADER)
    landed = page.url
    page.goto("/dasbor", wait_until="load")
    page.wait_for_selector("#dasbor[data-version]", state="attached")  # the stream is live
    page.wait_for_selector("#peta-dasbor .leaflet-map-pane", state="attached")
    page.evaluate("() => { window.__samaHalaman = true; }")  # gone if the page reloads
    before = _count(page)
    filed = context.request.post(
        f"{base}/api/v1/complaints",
        data={
            "category": "jalan-rusak",
            **POINT,
            "description": f"Jalan rusak uji dasbor {uuid.uuid4().hex[:8]}, banyak lubang.",
            "attributes": {
                "panjang_kerusakan_m": 100,
                "tingkat_kerusakan": "berat",
                "jenis_jalan": "desa",
            },
            "ignore_duplicates": True,
        },
    )
    started = time.monotonic()
    page.wait_for_function(
        "([selector, before]) => parseInt(document.querySelector(selector).textContent"
        ".replace(/\\D/g, ''), 10) > before",
        arg=[OPEN, before],
        timeout=RISES_WITHIN_MS,
    )
    rose_ms = round((time.monotonic() - started) * 1000)
    result = {
        "landed": landed,
        "filed": filed.status,
        "before": before,
        "after": _count(page),
        "rose_ms": rose_ms,
        "same_page": page.evaluate("() => window.__samaHalaman === true"),
        "live_status": page.inner_text("#dasbor-langsung"),
        "charts": page.locator("svg[role=img] title").count(),
        "violations": axe_violations(page),
        "fits": _fits(page, out, "dasbor"),
    }
    page.goto("/angka", wait_until="networkidle")
    result["angka"] = {
        "status": "Semua terbuka dan transparan" in page.inner_text("main"),
        "violations": axe_violations(page),
        "fits": _fits(page, out, "angka"),
    }
    result["console_errors"] = recorder.take_errors()
    result["foreign_requests"] = recorder.foreign()
    context.close()
    return result
