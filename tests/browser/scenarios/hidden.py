"""The moderators' list of what is hidden in a real browser, for tests/browser/test_hidden_list.py:
a new citizen files two reports handled by DPUPR (one with a photo); DPUPR's demo officer hides
the first and the second's photo through the API; on /staf/pengaduan/disembunyikan, reached
from the queue's link, both rows are there (axe at 1280 px, width and axe at 360 px); the first
row leads to the report's desk, where the officer shows it again, and the list no longer has
it. Screenshots: disembunyikan-uji-1280.png and telepon-disembunyikan-uji-360.png in the out
dir."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.drive import PNG, axe_violations, new_context, open_page, sign_in
from tests.browser.scenarios.phones import PHONE, api_headers, measured

OFFICER = "petugas.dpupr@gawe.example"
LIST = "/staf/pengaduan/disembunyikan"
REPORT_REASON = "Uraian menyebut nama dan alamat warga (uji peramban)."
PHOTO_REASON = "Foto memperlihatkan wajah warga (uji peramban)."
ROWS = "items => items.map(i => i.dataset.id)"


def file_report(request, headers: dict) -> str:
    body = {
        "category": "jalan-rusak",
        "lat": -6.0712,  # in the demo's boundaries, as the phones' report
        "lon": 106.1234,
        "description": f"Jalan berlubang uji daftar moderasi {uuid.uuid4().hex[:8]}.",
        "attributes": {
            "panjang_kerusakan_m": 25,
            "tingkat_kerusakan": "berat",
            "jenis_jalan": "desa",
        },
        "ignore_duplicates": True,
    }
    filed = request.post("/api/v1/complaints", data=body, headers=headers)
    assert filed.ok, filed.text()
    return filed.json()["public_id"]


def hide(request, headers: dict, public_id: str, reason: str, photo_id: int | None = None):
    body = {"action": "hide", "reason": reason} | ({"photo_id": photo_id} if photo_id else {})
    answer = request.post(f"/api/v1/complaints/{public_id}/moderation", data=body, headers=headers)
    assert answer.ok, answer.text()


def moderated(request) -> tuple[str, str]:
    """A hidden report and a report with a hidden photo, of a citizen of this scenario's own."""
    email = f"uji.moderasi.{uuid.uuid4().hex[:10]}@example.id"
    account = {
        "name": "Warga Uji Moderasi",
        "email": email,
        "password": os.environ["DEMO_PASSWORD"],
    }
    assert request.post("/api/v1/auth/register", data=account).ok
    citizen, officer = api_headers(request, email), api_headers(request, OFFICER)
    hidden, pictured = file_report(request, citizen), file_report(request, citizen)
    photo = {"name": "lubang.png", "mimeType": "image/png", "buffer": PNG}
    uploaded = request.post(
        f"/api/v1/complaints/{pictured}/photos", multipart={"photos": photo}, headers=citizen
    )
    assert uploaded.ok, uploaded.text()
    hide(request, officer, hidden, REPORT_REASON)
    hide(request, officer, pictured, PHOTO_REASON, uploaded.json()["photos"][0]["id"])
    return hidden, pictured


def rows(page) -> list[str]:
    return page.locator("#disembunyikan > li").evaluate_all(ROWS)


def hidden_list(browser, base: str, out: Path) -> dict:
    context, recorder = new_context(browser, base)
    hidden, pictured = moderated(context.request)
    page = context.new_page()
    sign_in(page, OFFICER)
    recorder.take_errors()
    open_page(page, "/staf")
    with page.expect_navigation(wait_until="networkidle") as reached:
        page.click(f"main a[href='{LIST}']")
    result: dict = {"hidden": hidden, "pictured": pictured}
    page.screenshot(path=str(out / "disembunyikan-uji-1280.png"), full_page=True)
    result["desktop"] = {
        "status": reached.value.status,
        "url": urlsplit(page.url).path,
        "violations": axe_violations(page),
        "console_errors": recorder.take_errors(),
    }
    result["rows"] = rows(page)
    result["texts"] = {
        public_id: page.inner_text(f"#disembunyikan > li[data-id='{public_id}']")
        for public_id in (hidden, pictured)
    }
    page.set_viewport_size(PHONE)
    result["phone"] = measured(page, recorder, "disembunyikan-uji", out)
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.click(f"#disembunyikan > li[data-id='{hidden}'] h2 a")
    result["desk"] = urlsplit(page.url).path
    with page.expect_navigation():
        page.click("#judul-moderasi ~ form button:text('Tampilkan laporan lagi')")
    result["said"] = page.inner_text("p.ok")
    with page.expect_navigation():
        page.click(f"#judul-moderasi ~ p a[href='{LIST}']")
    result["rows_after"] = rows(page)
    result["console_errors"] = recorder.take_errors()
    result["foreign_requests"] = recorder.foreign()
    context.close()
    return result
