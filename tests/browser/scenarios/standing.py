"""An organisation's standing documents in a real browser (issue 16), run by
tests/browser/test_standing_documents.py: plain HTML forms, no script of their own.

The demo citizen makes an organisation and a hibah draft through the API, then opens the
organisation's profile page: axe-core judges it, a standing document is kept through its form
(dates typed in the date inputs, the file chosen), and a date ending before it starts comes
back refused with its field named in words. Then the draft's page, whose checklist says which
documents come from the profile: axe-core again, and neither page scrolls sideways at 360 px.
Every request stays on 127.0.0.1, and no console error but the refused form's 422.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.browser.drive import CITIZEN, axe_violations, new_context, sign_in
from tests.browser.scenarios.proposals import PDF, POINT, THIS_YEAR, api_token

SERIOUS = {"serious", "critical"}


def organisation(request, headers: dict) -> dict:
    name = f"Yayasan Peramban {uuid.uuid4().hex[:5].upper()}"
    body = {
        "name": name,
        "legal_form": "yayasan",
        "legal_entity_number": "AHU-0012345.AH.01.04",
        "address": "Jl. Peramban No. 3",
        "lat": POINT["lat"],
        "lon": POINT["lon"],
        "bank_name": "Bank BJB",
        "bank_account_number": "0012345678",
        "bank_account_name": name,
        "responsible_people": [{"name": "Ahmad Peramban", "position": "Ketua"}],
    }
    made = request.post("/api/v1/proposals/organisations", data=body, headers=headers)
    assert made.status == 201, made.text()
    return made.json()


def draft(request, headers: dict, applicant_id: int) -> dict:
    body = {
        "applicant_id": applicant_id,
        "kind": "hibah",
        "budget_year": THIS_YEAR,
        "title": "Pelatihan pemuda desa",
        "purpose": "Pelatihan keterampilan bagi pemuda desa selama tiga bulan.",
        "category": "kepemudaan",
        "requested_amount": 20_000_000,
        "cost_lines": [{"item": "Pelatih dan bahan", "amount": 20_000_000}],
        "lat": POINT["lat"],
        "lon": POINT["lon"],
    }
    made = request.post("/api/v1/proposals", data=body, headers=headers)
    assert made.status == 201, made.text()
    return made.json()


def looked_at(page) -> dict:
    """axe's serious findings, and how wide the page is at 360 px."""
    found = {"axe": [v for v in axe_violations(page) if v["impact"] in SERIOUS]}
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => window.innerWidth === 360")
    found["width_360"] = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, view: window.innerWidth})"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


def profile_pages(browser, base: str, out: Path) -> dict:
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, CITIZEN)
    headers = {"Authorization": f"Bearer {api_token(context.request, CITIZEN)}"}
    applicant = organisation(context.request, headers)
    proposal = draft(context.request, headers, applicant["id"])
    path = f"/saya/pemohon/{applicant['id']}"

    page.goto(path, wait_until="networkidle")
    profile = looked_at(page)
    page.screenshot(path=str(out / "pemohon-dokumen-tetap.png"), full_page=True)
    page.fill("#valid_from-sk_kepengurusan", f"{THIS_YEAR}-01-01")
    page.fill("#valid_until-sk_kepengurusan", f"{THIS_YEAR + 2}-12-31")
    page.set_input_files(
        "#file-sk_kepengurusan",
        files=[{"name": "sk-pengurus.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    with page.expect_navigation():
        page.click("#dokumen-form-sk_kepengurusan button[type=submit]")
    profile["saved_at"] = page.url.replace(base, "")
    profile["saved"] = page.inner_text("#dokumen-sk_kepengurusan")
    profile["status"] = page.inner_text("[role=status]")
    console_errors = recorder.take_errors()

    page.fill("#valid_from-surat_domisili", f"{THIS_YEAR}-06-01")
    page.fill("#valid_until-surat_domisili", f"{THIS_YEAR}-01-31")
    page.set_input_files(
        "#file-surat_domisili",
        files=[{"name": "domisili.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    with page.expect_navigation():
        page.click("#dokumen-form-surat_domisili button[type=submit]")
    refused = {
        "summary": page.locator(".error[role=alert] li").all_inner_texts(),
        "axe": [v for v in axe_violations(page) if v["impact"] in SERIOUS],
    }
    refusal_errors = recorder.take_errors()

    page.goto(f"/saya/usulan/{proposal['public_id']}", wait_until="networkidle")
    checklist = looked_at(page)
    checklist["text"] = page.inner_text("main")
    page.screenshot(path=str(out / "usulan-daftar-berkas.png"), full_page=True)
    result = {
        "applicant_id": applicant["id"],
        "profile": profile,
        "refused": refused,
        "checklist": checklist,
        "console_errors": console_errors + recorder.take_errors(),
        "refusal_console_errors": refusal_errors,
        "foreign_requests": recorder.foreign(),
    }
    context.close()
    return result
