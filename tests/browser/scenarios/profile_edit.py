"""An applicant's profile changed on its form in a real browser, run by
tests/browser/test_profile_edit.py: a plain HTML form with the pin picker of every form with a
place.

The demo citizen makes an organisation and an individual profile through the API. The
organisation's form (/saya/pemohon/<id>/ubah) opens filled with what is kept, its pin on the
kept point: axe-core judges it, and it does not scroll sideways at 360 px. A bank account
number with letters comes back refused, named beside its field and in the summary, with what
was typed kept (axe-core and 360 px again); corrected, it is saved and the profile says so. The
individual's form is judged the same way. Every request stays on 127.0.0.1, and no console
error but the refused form's 422.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.drive import CITIZEN, new_context, sign_in
from tests.browser.scenarios.proposals import api_token, planted
from tests.browser.scenarios.standing import looked_at, organisation


def individual(request, headers: dict) -> dict:
    person = planted()
    person["bank_account_name"] = person["name"]
    made = request.post("/api/v1/proposals/individuals", data=person, headers=headers)
    assert made.status == 201, made.text()
    return made.json()


def opened(page, path: str) -> None:
    """The form, its picker ready with the kept point's pin."""
    page.goto(path, wait_until="networkidle")
    page.wait_for_selector("#peta-lokasi[data-siap] .leaflet-marker-icon")


def submit(page) -> None:
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")


def profile_forms(browser, base: str, out: Path) -> dict:
    context, recorder = new_context(browser, base)
    page = context.new_page()
    sign_in(page, CITIZEN)
    headers = {"Authorization": f"Bearer {api_token(context.request, CITIZEN)}"}
    kept = organisation(context.request, headers)
    path = f"/saya/pemohon/{kept['id']}/ubah"

    opened(page, path)
    form = looked_at(page)
    form["values"] = {
        name: page.input_value(f"#{name}")
        for name in ("name", "bank_account_number", "person1_name", "lat")
    }
    page.screenshot(path=str(out / "pemohon-ubah-1280.png"), full_page=True)
    console_errors = recorder.take_errors()

    page.fill("#bank_account_number", "12-AB-34")
    submit(page)
    refused = looked_at(page)
    refused |= {
        "summary": page.locator(".error[role=alert] li").all_inner_texts(),
        "beside": page.inner_text("#bank_account_number-error"),
        "invalid": page.get_attribute("#bank_account_number", "aria-invalid"),
        "described_by": page.get_attribute("#bank_account_number", "aria-describedby"),
        "kept": page.input_value("#bank_account_number"),
    }
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => window.innerWidth === 360")
    page.screenshot(path=str(out / "pemohon-ubah-ditolak-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    refusal_errors = recorder.take_errors()

    page.fill("#bank_account_number", "0012349999")
    page.fill("#phone", "081355550000")
    submit(page)
    saved = {"at": page.url.replace(base, ""), "status": page.inner_text("[role=status]")}
    saved["text"] = page.inner_text("main")

    person = individual(context.request, headers)
    opened(page, f"/saya/pemohon/{person['id']}/ubah")
    single = looked_at(page)
    single["nik"] = page.input_value("#nik") == person["nik"]
    page.screenshot(path=str(out / "pemohon-perorangan-ubah-1280.png"), full_page=True)

    result = {
        "applicant_id": kept["id"],
        "form": form,
        "kept": {k: str(kept[k]) for k in ("name", "bank_account_number", "lat")}
        | {"person1_name": kept["responsible_people"][0]["name"]},
        "refused": refused,
        "saved": saved,
        "individual": single,
        "console_errors": console_errors + recorder.take_errors(),
        "refusal_console_errors": refusal_errors,
        "foreign_requests": recorder.foreign(),
    }
    context.close()
    return result
