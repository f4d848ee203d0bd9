"""Serang Open's maps in a real browser (issue #13), run by tests/browser/test_proposals_maps.py.

`registry_map`: the demo citizen files a bansos as a private person through the API (planted
private values: name, NIK, phone, email, bank account, address), submits it (submitted proposals
are public), then opens /usulan in the browser: the proposal's marker is on the map, its popup
links the public page, and neither the popup nor any page shows a planted value; the kecamatan
are shaded with a legend and a table; at 360 px the page does not scroll sideways. Then the
proposal form's picker: a click on the map writes lat and lon and names the desa, and the form
saves that point. Then the applicant form refuses an account in another name, and its error
summary names the field by its label. Every request stays on 127.0.0.1, and no console error.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from services.proposals.contract.catalogue import checklist
from tests.browser.drive import (
    CITIZEN,
    axe_violations,
    new_context,
    pick_inside,
    popup_shown,
    sign_in,
)
from tests.support.waiting import wait_until

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
THIS_YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
# A desa centre well inside the regency (Kramatwatu).
POINT = {"lat": -6.0653, "lon": 106.1190}


def api_token(request, email: str) -> str:
    answer = request.post(
        "/api/v1/auth/login", data={"email": email, "password": os.environ["DEMO_PASSWORD"]}
    )
    assert answer.ok, answer.text()
    return answer.json()["access_token"]


def open_round(request, kind: str) -> None:
    """This year's round of `kind`, opened by the demo's Kesra verifier through the API (the
    demo opens next year's only, from 15 January): submitting needs an open round (issue 16)."""
    kesra = {"Authorization": f"Bearer {api_token(request, 'kesra@gawe.example')}"}
    body = {"budget_year": THIS_YEAR, "kind": kind}
    body |= {"opens_on": f"{THIS_YEAR}-01-01", "closes_on": f"{THIS_YEAR}-12-31"}
    opened = request.post("/api/v1/proposals/rounds", headers=kesra, data=body)
    assert opened.status in (201, 409), opened.text()


def planted() -> dict:
    """An individual applicant whose every private value is unique to this run."""
    tag = uuid.uuid4().int
    return {
        "name": f"Sukarsih Rahasia {uuid.uuid4().hex[:5].upper()}",
        "nik": f"3604{tag % 10**12:012d}",
        "address": f"Kp. Rahasia No. {tag % 1000} RT 02 RW 05",
        "lat": POINT["lat"],
        "lon": POINT["lon"],
        "phone": f"0813{tag % 10**8:08d}",
        "email": f"rahasia.{uuid.uuid4().hex[:8]}@contoh.example",
        "bank_name": "Bank BRI",
        "bank_account_number": f"07{tag % 10**10:010d}",
    }


def file_bansos(request, token: str) -> tuple[dict, list[str]]:
    """The demo citizen's bansos as a private person, submitted: the proposal, planted values."""
    headers = {"Authorization": f"Bearer {token}"}
    person = planted()
    person["bank_account_name"] = person["name"]
    made = request.post("/api/v1/proposals/individuals", data=person, headers=headers)
    assert made.status == 201, made.text()
    applicant = made.json()
    amount = 4_500_000
    draft = request.post(
        "/api/v1/proposals",
        headers=headers,
        data={
            "applicant_id": applicant["id"],
            "kind": "bansos",
            "budget_year": THIS_YEAR,
            "title": f"Bantuan alat usaha warung {uuid.uuid4().hex[:4]}",
            "purpose": "Bantuan modal alat usaha warung bagi keluarga prasejahtera.",
            "activities": "Pembelian etalase dan kompor.",
            "category": "sosial",
            "requested_amount": amount,
            "cost_lines": [{"item": "Etalase dan kompor", "amount": amount}],
            "lat": POINT["lat"],
            "lon": POINT["lon"],
        },
    )
    assert draft.status == 201, draft.text()
    proposal = draft.json()
    public_id = proposal["public_id"]
    for doc_type in checklist("bansos", "individual", proposal["bansos_type"]):
        sent = request.post(
            f"/api/v1/proposals/{public_id}/documents",
            headers=headers,
            multipart={
                "doc_type": doc_type,
                "files": {
                    "name": f"{doc_type}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": PDF + f"% {uuid.uuid4().hex}\n".encode(),
                },
            },
        )
        assert sent.status == 201, sent.text()
    open_round(request, "bansos")
    submitted = request.post(f"/api/v1/proposals/{public_id}/submit", headers=headers, data={})
    assert submitted.status == 200, submitted.text()
    secrets = [v for k, v in person.items() if k not in ("lat", "lon", "bank_name")]
    return submitted.json(), [str(v) for v in secrets]


def on_layer(request, public_id: str) -> dict | None:
    answer = request.get(f"/gis/collections/proposals/items?limit=1000&budget_year={THIS_YEAR}")
    features = answer.json()["features"] if answer.ok else []
    return next((f for f in features if f["properties"]["public_id"] == public_id), None)


def registry_map(browser, base: str, out: Path) -> dict:
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, CITIZEN)
    token = api_token(context.request, CITIZEN)
    proposal, secrets = file_bansos(context.request, token)
    public_id = proposal["public_id"]
    wait_until(lambda: on_layer(context.request, public_id), timeout=30)  # the event reached gis

    # --- /usulan: the marker, its popup, the shading -----------------------------------------
    context.clear_cookies()  # the public, signed out
    page.goto(f"/usulan?year={THIS_YEAR}&kind=bansos", wait_until="networkidle")
    page.wait_for_selector("#peta-usulan[data-siap] .leaflet-marker-pane", state="attached")
    page.wait_for_function(
        "id => { const m = document.getElementById('peta-usulan').petaUsulan; "
        "return m && m.markers[id]; }",
        arg=public_id,
    )
    page.wait_for_selector("#peta-usulan-legenda li")
    page.wait_for_selector("#peta-usulan .leaflet-overlay-pane path", state="attached")
    page.evaluate(
        """id => new Promise(done => {
             const u = document.getElementById('peta-usulan').petaUsulan;
             u.group.zoomToShowLayer(u.markers[id], done);
           })""",
        public_id,
    )
    marker = page.locator(f"#peta-usulan .leaflet-marker-icon[title^='{public_id}:']")
    marker.click()
    popup = page.locator("#peta-usulan .leaflet-popup-content")
    popup.wait_for()
    popup_shown(page, "#peta-usulan")
    registry = {
        "markers": int(page.get_attribute("#peta-usulan", "data-usulan") or 0),
        "marker_title": marker.get_attribute("title"),
        "popup": popup.inner_text(),
        "popup_link": popup.locator("a").get_attribute("href"),
        "legend": page.inner_text("#peta-usulan-legenda"),
        "year": page.get_attribute("#peta-usulan", "data-tahun"),
        "shaded": page.locator("#peta-usulan .leaflet-overlay-pane path").count(),
        "table_rows": page.locator("#peta-usulan-tabel tr").count(),
        "table": page.text_content("#peta-usulan-tabel"),
        "leaked": [s for s in secrets if s in page.content()],
        "axe": axe_violations(page),
    }
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => window.innerWidth === 360")
    registry["width_360"] = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " box: document.querySelector('.tabel-lebar').clientWidth,"
        " table: document.querySelector('.tabel-lebar table').scrollWidth})"
    )
    page.screenshot(path=str(out / "usulan-peta-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(out / "usulan-peta-1280.png"), full_page=True)

    # --- the popup's link: the public page with its point ------------------------------------
    with page.expect_navigation():
        popup.locator("a").click()
    page.wait_for_selector(".peta-titik[data-siap] .leaflet-marker-icon")
    detail = {
        "path": page.url.replace(base, ""),
        "point": [
            page.get_attribute(".peta-titik", "data-lat"),
            page.get_attribute(".peta-titik", "data-lon"),
        ],
        "leaked": [s for s in secrets if s in page.content()],
    }
    page.wait_for_load_state("networkidle")

    # --- the proposal form's picker ------------------------------------------------------------
    sign_in(page, CITIZEN)
    page.goto("/saya/usulan/baru")
    page.wait_for_selector("#peta-lokasi[data-siap] .leaflet-map-pane", state="attached")
    page.wait_for_load_state("networkidle")
    page.locator("#peta-lokasi").scroll_into_view_if_needed()
    located = pick_inside(page)
    page.wait_for_function(
        "() => /Desa /.test(document.getElementById('lokasi-terpilih').textContent)"
    )
    picker = {
        "axe": axe_violations(page),
        "located": located,
        "said": page.inner_text("#lokasi-terpilih"),
        "lat": page.input_value("input[name=lat]"),
        "lon": page.input_value("input[name=lon]"),
    }
    page.select_option("#applicant_id", str(proposal["applicant"]["id"]))
    page.select_option("#kind", "bansos")
    page.select_option("#category", "sosial")
    page.fill("#title", "Bantuan alat usaha dari peta")
    page.fill("#purpose", "Bantuan alat usaha bagi keluarga prasejahtera di desa ini.")
    page.fill("input[name=cost1_item]", "Alat usaha")
    page.fill("input[name=cost1_amount]", "3.000.000")
    page.fill("#requested_amount", "3.000.000")
    with page.expect_navigation():
        page.click("form[action='/saya/usulan/baru'] button[type=submit]")
    page.wait_for_selector(".peta-titik[data-siap] .leaflet-marker-icon")
    picker["saved_at"] = page.url.replace(base, "")
    picker["saved_point"] = [
        page.get_attribute(".peta-titik", "data-lat"),
        page.get_attribute(".peta-titik", "data-lon"),
    ]
    picker["saved_text"] = page.inner_text("main")[:1500]

    # --- the applicant form's error summary names the field in words ---------------------------
    console_errors = recorder.take_errors()
    page.goto("/saya/pemohon/baru?jenis=individual")
    page.wait_for_selector("#peta-lokasi[data-siap]")
    person = planted()
    for name in ("name", "nik", "address", "phone", "email", "bank_name", "bank_account_number"):
        page.fill(f"#{name}", person[name])
    page.fill("#lat", str(POINT["lat"]))
    page.fill("#lon", str(POINT["lon"]))
    page.fill("#bank_account_name", "Nama Pemilik " * 20)  # over the 200 characters allowed
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    errors = {
        "page": page.url.replace(base, ""),
        "summary": page.locator(".error[role=alert]").all_inner_texts(),
        "items": page.locator(".error[role=alert] li").all_inner_texts(),
        "links": page.locator(".error[role=alert] li a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))"
        ),
    }
    result = {
        "public_id": public_id,
        "registry": registry,
        "detail": detail,
        "picker": picker,
        "errors": errors,
        "console_errors": console_errors,
        # the refused form comes back 422, which Chromium logs; nothing else may be there
        "refusal_console_errors": recorder.take_errors(),
        "foreign_requests": recorder.foreign(),
    }
    context.close()
    return result
