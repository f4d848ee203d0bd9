"""Phones at 360 px (issue 13), for tests/browser/test_phones.py: every main page fits the
screen's width, its navigation is collapsed behind "Menu" and opens and closes by keyboard, the
developers' links are in the footer and not in the navigation; a refused sign-up names its
fields in words. Screenshots go to the out dir as telepon-<page>-360.png."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.drive import (
    CITIZEN,
    PNG,
    PUBLIC_PAGES,
    SIGNED_IN_PAGES,
    axe_violations,
    new_context,
    open_page,
    sign_in,
    slug,
)

PHONE = {"width": 360, "height": 740}
DEVELOPER_PATHS = ("/api/", "/open311", "/readyz", "/healthz")

# What is wider than the screen, to name in the answer (the page's own elements, widest first).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let inside = false;  // clipped by a scrolling ancestor: not the page's overflow
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) { inside = true; break; }
    }
    if (inside) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : "");
    found.push({element: name, right: Math.round(box.right)});
  }
  found.sort((a, b) => b.right - a.right);
  return found.slice(0, 8);
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  return {
    tag: el ? el.tagName.toLowerCase() : null,
    menu: !!(el && el.classList.contains("menu-tombol")),
    in_nav: !!(el && el.closest("#navigasi")),
    text: el ? (el.textContent || "").trim().slice(0, 40) : null,
  };
}"""


def widths(page) -> dict:
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth, inner: window.innerWidth})"
    )


def links(page, selector: str) -> list[str]:
    return page.locator(f"{selector} a[href]").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )


def expanded(page) -> str | None:
    """The menu button's aria-expanded; None on a page without the site's header."""
    button = page.locator(".menu-tombol")
    return button.first.get_attribute("aria-expanded") if button.count() else None


def menu_by_keyboard(page) -> dict:
    """Tab to the "Menu" button, open it with Enter, Tab into the navigation, close with
    Escape: what each step showed."""
    found: dict = {"tabs": None}
    if not page.locator(".menu-tombol").count():
        return found
    # the page was just loaded: the focus is at its start
    for tabs in range(1, 8):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["menu"]:
            found["tabs"] = tabs
            break
    if found["tabs"] is None:
        return found
    page.keyboard.press("Enter")
    page.wait_for_selector("#navigasi", state="visible")
    found["expanded_after_enter"] = expanded(page)
    found["links_visible"] = page.locator("#navigasi a[href]:visible").count()
    found["open_widths"] = widths(page)
    page.keyboard.press("Tab")
    found["after_tab"] = page.evaluate(ACTIVE)
    page.keyboard.press("Escape")
    page.wait_for_selector("#navigasi", state="hidden")
    found["expanded_after_escape"] = expanded(page)
    found["after_escape"] = page.evaluate(ACTIVE)
    page.keyboard.press("Space")  # focus is back on the button: Space opens it as well
    page.wait_for_selector("#navigasi", state="visible")
    found["expanded_after_space"] = expanded(page)
    page.keyboard.press("Space")
    page.wait_for_selector("#navigasi", state="hidden")
    return found


def at_360(page, recorder, path: str, out: Path) -> dict:
    """One page on a phone: its width, its navigation, its footer, a screenshot."""
    response = open_page(page, path)
    page.wait_for_function("w => window.innerWidth === w", arg=PHONE["width"])
    result = {
        "path": path,
        "status": response.status if response else None,
        "widths": widths(page),
        "overflowing": page.evaluate(OVERFLOWING),
        "nav_visible": page.is_visible("#navigasi"),
        "menu_visible": page.is_visible(".menu-tombol"),
        "expanded": expanded(page),
        "nav_links": links(page, "#navigasi"),
        "footer_links": links(page, "footer"),
    }
    shot = out / f"telepon-{slug(path)}-360.png"
    page.screenshot(path=str(shot), full_page=True)
    result["screenshot"] = str(shot)
    result["keyboard"] = menu_by_keyboard(page)
    result["console_errors"] = recorder.take_errors()
    return result


def phones(browser, base: str, out: Path) -> dict:
    """Every main page at 360 px, anonymous and then signed in as the demo account that has it."""
    results, foreign = [], []
    context, recorder = new_context(browser, base)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    for path in PUBLIC_PAGES:
        results.append(at_360(page, recorder, path, out))
    # the home page with its menu open, photographed
    page.goto("/", wait_until="networkidle")
    page.click(".menu-tombol")
    page.wait_for_selector("#navigasi", state="visible")
    page.screenshot(path=str(out / "telepon-beranda-menu-360.png"), full_page=True)
    foreign += recorder.foreign()
    context.close()
    for path, email in SIGNED_IN_PAGES.items():
        context, recorder = new_context(browser, base)
        page = context.new_page()
        page.set_viewport_size(PHONE)
        sign_in(page, email)
        recorder.take_errors()  # the sign-in page is visited above
        results.append(at_360(page, recorder, path, out))
        foreign += recorder.foreign()
        context.close()
    return {"pages": results, "foreign_requests": foreign}


# More pages of the chrome, signed in as who has them (None: anonymous): their width only.
MORE_PAGES = {
    "/api/docs": None,
    "/saya/pengaturan": "warga@gawe.example",
    "/saya/usulan/baru": "warga@gawe.example",
    "/kartu-kuning/ajukan": "warga@gawe.example",
    "/admin": "admin@gawe.example",
    "/staf/surat": "tu.dpupr@gawe.example",
}


def more_pages(browser, base: str, out: Path) -> dict:
    """Forms and desks beyond the main pages at 360 px: their width, what overflows, a shot."""
    results = []
    for who in dict.fromkeys(MORE_PAGES.values()):
        context, recorder = new_context(browser, base)
        page = context.new_page()
        page.set_viewport_size(PHONE)
        if who:
            sign_in(page, who)
        for path in [p for p, w in MORE_PAGES.items() if w == who]:
            response = open_page(page, path)
            page.screenshot(path=str(out / f"telepon-{slug(path)}-360.png"), full_page=True)
            results.append(
                {
                    "path": path,
                    "status": response.status if response else None,
                    "url": urlsplit(page.url).path,
                    "widths": widths(page),
                    "overflowing": page.evaluate(OVERFLOWING),
                    "console_errors": recorder.take_errors(),
                }
            )
        context.close()
    return {"pages": results}


def without_scripts(browser, base: str, out: Path) -> dict:
    """The home page at 360 px with JavaScript off: the navigation is open, its links and the
    footer's there, nothing wider than the screen."""
    context = browser.new_context(
        base_url=base, viewport=PHONE, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/", wait_until="networkidle")
    result = {
        "widths": widths(page),
        "nav_visible": page.is_visible("#navigasi"),
        "menu_visible": page.is_visible(".menu-tombol"),
        "nav_links_visible": page.locator("#navigasi a[href]:visible").count(),
        "footer_links": links(page, "footer"),
    }
    page.screenshot(path=str(out / "telepon-beranda-tanpa-js-360.png"), full_page=True)
    context.close()
    return result


def sign_up_refused(browser, base: str, out: Path) -> dict:
    """A sign-up at 360 px with a one-letter name and a short NIK: the summary's words."""
    context, recorder = new_context(browser, base)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/daftar")
    page.fill("#name", "A")
    page.fill("#email", f"uji.{uuid.uuid4().hex[:10]}@example.id")
    page.fill("#password", "Sandi-uji-Serang-2026")
    page.fill("#nik", "12345")
    with page.expect_navigation():
        page.click("form[action='/daftar'] button[type=submit]")
    page.wait_for_selector(".ringkasan-galat")
    result = {
        "summary": page.inner_text(".ringkasan-galat"),
        "fields": page.locator(".ringkasan-galat li strong").all_inner_texts(),
        "widths": widths(page),
        "console_errors": recorder.take_errors(),
    }
    page.screenshot(path=str(out / "telepon-daftar-galat-360.png"), full_page=True)
    context.close()
    return result


OFFICER = "petugas.dpupr@gawe.example"
HIDDEN_BECAUSE = "Foto memperlihatkan wajah warga (uji telepon)."


def api_headers(request, email: str) -> dict:
    answer = request.post(
        "/api/v1/auth/login", data={"email": email, "password": os.environ["DEMO_PASSWORD"]}
    )
    assert answer.ok, answer.text()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def phone_page(browser, base: str, email: str | None = None):
    context, recorder = new_context(browser, base)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    if email:
        sign_in(page, email)
        recorder.take_errors()
    return context, recorder, page


def measured(page, recorder, name: str, out: Path) -> dict:
    """The page as it stands at 360 px: its width, what overflows, axe, a screenshot."""
    page.wait_for_function("w => window.innerWidth === w", arg=PHONE["width"])
    page.screenshot(path=str(out / f"telepon-{name}-360.png"), full_page=True)
    return {
        "path": urlsplit(page.url).path,
        "widths": widths(page),
        "overflowing": page.evaluate(OVERFLOWING),
        "axe": axe_violations(page),
        "console_errors": recorder.take_errors(),
    }


def report_forms(browser, base: str, out: Path) -> dict:
    """Issue 16's forms at 360 px: the demo citizen's report (filed here through the API, with a
    photo) on the DPUPR officer's desk with its forwarding, category and moderation forms; the
    officer hides the photo with a reason; the citizen's page of the report says so; a new,
    unverified account's /saya/akun with its button, pressed."""
    result: dict = {}
    context, recorder, page = phone_page(browser, base, CITIZEN)
    citizen = api_headers(context.request, CITIZEN)
    body = {
        "category": "jalan-rusak",
        "lat": -6.0712,
        "lon": 106.1234,
        "description": f"Jalan berlubang uji telepon {uuid.uuid4().hex[:8]}, membahayakan motor.",
        "attributes": {
            "panjang_kerusakan_m": 40,
            "tingkat_kerusakan": "berat",
            "jenis_jalan": "desa",
        },
        "ignore_duplicates": True,
    }
    filed = context.request.post("/api/v1/complaints", data=body, headers=citizen)
    assert filed.ok, filed.text()
    public_id = filed.json()["public_id"]
    photo = {"name": "lubang.png", "mimeType": "image/png", "buffer": PNG}
    uploaded = context.request.post(
        f"/api/v1/complaints/{public_id}/photos", multipart={"photos": photo}, headers=citizen
    )
    assert uploaded.ok, uploaded.text()
    photo_id = uploaded.json()["photos"][0]["id"]
    result["public_id"] = public_id

    desk_context, desk_recorder, desk = phone_page(browser, base, OFFICER)
    open_page(desk, f"/staf/pengaduan/{public_id}")
    result["desk"] = measured(desk, desk_recorder, "staf-pengaduan", out)
    result["desk"]["forms"] = desk.locator("form[action*='/staf/pengaduan/']").evaluate_all(
        "fs => fs.map(f => f.getAttribute('action').split('/').pop())"
    )
    desk.fill(f"#alasan-foto-{photo_id}", HIDDEN_BECAUSE)
    with desk.expect_navigation():
        desk.click(f"form:has(#alasan-foto-{photo_id}) button[type=submit]")
    result["hidden"] = measured(desk, desk_recorder, "staf-pengaduan-moderasi", out)
    result["hidden"]["said"] = desk.inner_text("p.ok")
    result["hidden"]["timeline"] = desk.inner_text("ol.timeline")
    desk_context.close()

    open_page(page, f"/pengaduan/{public_id}")
    result["reporter"] = measured(page, recorder, "pengaduan-pelapor", out)
    result["reporter"]["notice"] = page.inner_text(f"#foto-{photo_id}")
    result["reporter"]["images"] = page.locator(".card img").count()
    context.close()

    email = f"uji.telepon.{uuid.uuid4().hex[:10]}@example.id"
    context, recorder, page = phone_page(browser, base)
    account = {"name": "Warga Uji Telepon", "email": email, "password": os.environ["DEMO_PASSWORD"]}
    assert context.request.post("/api/v1/auth/register", data=account).ok
    sign_in(page, email)
    recorder.take_errors()
    open_page(page, "/saya/akun")
    result["account"] = measured(page, recorder, "saya-akun", out)
    result["account"]["notice"] = page.inner_text("#judul-verifikasi")
    with page.expect_navigation():
        page.click("form[action='/saya/akun/verifikasi-email'] button[type=submit]")
    result["asked"] = measured(page, recorder, "saya-akun-tautan", out)
    result["asked"]["said"] = page.inner_text("p.ok")
    context.close()
    return result


def everything(browser, base: str, out: Path) -> dict:
    """All of the above in one browser (one process start for the test module)."""
    return {
        "phones": phones(browser, base, out),
        "more": more_pages(browser, base, out),
        "without_scripts": without_scripts(browser, base, out),
        "sign_up": sign_up_refused(browser, base, out),
        "report_forms": report_forms(browser, base, out),
    }
