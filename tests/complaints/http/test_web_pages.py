"""The public pages a citizen opens in a browser: list, detail with timeline, the report form."""

import io
import os
import re

from PIL import Image
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.complaints.contract import OPEN_STATUSES
from services.complaints.demo import REPORTS, load_demo_reports
from services.notifications.contract import CATEGORIES
from tests.complaints.conftest import file_report, wait_for_feedback_asks
from tests.support.factories import (
    PASSWORD,
    auth,
    create_admin,
    login,
    register_citizen,
    unique_email,
)
from tests.support.snapshots import files_unchanged, nothing_written, unchanged
from tests.support.waiting import wait_until
from tests.support.web import post_login, post_sign_up, web_login, web_sign_up


def test_report_list_and_detail_pages_show_progress_without_personal_data(client, citizen, dpupr):
    from tests.complaints.http.test_lifecycle import act

    report = file_report(
        client,
        citizen["token"],
        description="Jalan amblas <script>alert('x')</script> dekat sekolah",
        contact_phone="+62 811 0000 9999",
    )
    assert (
        act(
            client, dpupr, report["public_id"], "verify", note="Sudah dicek di lapangan"
        ).status_code
        == 200
    )

    listing = client.get("/pengaduan?category=jalan-rusak")
    assert listing.status_code == 200
    assert report["public_id"] in listing.get_data(as_text=True)

    page = client.get(f"/pengaduan/{report['public_id']}").get_data(as_text=True)
    assert "Terverifikasi" in page and "Sudah dicek di lapangan" in page and "DPUPR" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page  # escaped
    assert citizen["email"] not in page and "0000 9999" not in page
    assert "WIB" in page


def test_report_form_lists_categories_with_their_questions(client):
    page = client.get("/pengaduan/baru").get_data(as_text=True)
    assert "Laporkan kerusakan" in page and "Jalan rusak" in page
    assert "panjang_kerusakan_m" in page  # the category's attributes feed the form


def test_unknown_report_page_is_404_and_bad_filters_400(client):
    assert client.get("/pengaduan/SRG-2026-999999").status_code == 404
    assert client.get("/pengaduan?status=hilang").status_code == 400


# --- pages for people who signed in: /masuk, /daftar, /saya, /staf --------------------------


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def staff_account(client, admin_token: str, agency: str) -> str:
    email = unique_email(f"web.{agency.lower()}")
    body = {
        "name": f"Petugas {agency}",
        "email": email,
        "password": PASSWORD,
        "roles": ["officer"],
        "agency": agency,
    }
    response = client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token))
    assert response.status_code == 201, response.get_json()
    return email


def report_status(client, public_id: str) -> str:
    return client.get(f"/api/v1/complaints/{public_id}").get_json()["status"]


def test_a_citizen_signs_up_on_the_web_and_sees_only_their_own_reports(platform, client):
    browser = platform.client
    assert browser.get("/saya").headers["Location"] == "/masuk?next=%2Fsaya"

    with nothing_written(platform, "accounts"):
        bad = post_sign_up(browser, name="Siti Web", email="bukan-email", password="x")
        assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "email" in page and "password" in page and 'value="Siti Web"' in page

    email = unique_email("web.warga")
    signed_up = post_sign_up(browser, name="Siti Web", email=email, password=PASSWORD, nik="")
    # the same answer whether or not the account is new: to the login page, not signed in
    assert signed_up.status_code == 303 and signed_up.headers["Location"] == "/masuk?terdaftar=1"
    assert not any(c.startswith("gawe_sesi=") for c in signed_up.headers.getlist("Set-Cookie"))
    signed_in = post_login(browser, email)
    cookie = next(c for c in signed_in.headers.getlist("Set-Cookie") if c.startswith("gawe_sesi="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    mine = file_report(client, login(client, email), contact_phone="+62 812 7777 1234")
    theirs = file_report(client, register_and_login(client))
    page = browser.get("/saya?baru=1").get_data(as_text=True)
    assert "Akun Anda sudah dibuat" in page and "Siti Web" in page
    assert mine["public_id"] in page and "Diterima" in page
    assert theirs["public_id"] not in page
    assert "Kotak masuk" in page and "Usulan hibah dan bansos saya" in page

    assert browser.post("/keluar", data={}).status_code == 403  # no token: not from our page
    assert browser.get("/saya").status_code == 200  # still signed in
    signed_out = browser.post("/keluar", data={"csrf": csrf_of(page)})
    assert signed_out.status_code == 303
    assert browser.get("/saya").status_code == 303


def register_and_login(client) -> str:
    return login(client, register_citizen(client)["email"])


def test_agency_staff_work_their_queue_on_the_web(platform, client, admin):
    reporter = register_and_login(client)
    report = file_report(client, reporter, contact_phone="+62 812 5555 0101")
    pid = report["public_id"]

    officer = platform.client
    officer_email = staff_account(client, admin, "DPUPR")
    assert web_login(officer, officer_email, following="/staf") == "/staf"
    queue = officer.get("/staf").get_data(as_text=True)
    assert "Meja staf DPUPR" in queue and f'href="/staf/pengaduan/{pid}"' in queue
    assert officer.get("/staf?overdue=mungkin").status_code == 400

    page = officer.get(f"/staf/pengaduan/{pid}").get_data(as_text=True)
    assert "+62 812 5555 0101" in page  # the agency handling it sees the reporter's contact
    assert 'value="verify"' in page and 'value="close"' not in page

    with nothing_written(platform, "complaints"):
        forged = officer.post(f"/staf/pengaduan/{pid}", data={"action": "verify"})
        assert forged.status_code == 403 and report_status(client, pid) == "submitted"

    token = csrf_of(page)
    done = officer.post(
        f"/staf/pengaduan/{pid}",
        data={"csrf": token, "action": "verify", "note": "Dicek oleh UPT Jalan."},
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("?ok=verify")
    assert "Tersimpan: Laporan diverifikasi" in officer.get(done.headers["Location"]).get_data(
        as_text=True
    )
    public = client.get(f"/api/v1/complaints/{pid}").get_json()
    assert (
        public["status"] == "verified" and public["timeline"][-1]["note"] == "Dicek oleh UPT Jalan."
    )

    with nothing_written(platform, "complaints"):
        too_early = officer.post(f"/staf/pengaduan/{pid}", data={"csrf": token, "action": "close"})
        assert too_early.status_code == 409 and report_status(client, pid) == "verified"
        unknown = officer.post(f"/staf/pengaduan/{pid}", data={"csrf": token, "action": "hapus"})
        assert unknown.status_code == 422 and "action" in unknown.get_data(as_text=True)

    other = platform.client
    web_login(other, staff_account(client, admin, "DISHUB"))
    foreign = other.get(f"/staf/pengaduan/{pid}").get_data(as_text=True)
    assert "+62 812 5555 0101" not in foreign and 'name="action"' not in foreign
    with nothing_written(platform, "complaints"):
        refused = other.post(
            f"/staf/pengaduan/{pid}", data={"csrf": csrf_of(foreign), "action": "forward"}
        )
        assert refused.status_code == 403 and report_status(client, pid) == "verified"

    citizen_browser = platform.client
    citizen_email = unique_email("web.bukan.staf")
    web_sign_up(citizen_browser, "Bukan Staf", citizen_email)
    assert citizen_browser.get("/staf").status_code == 403


def test_a_failed_login_keeps_the_email_and_never_follows_another_site(platform, client):
    browser = platform.client
    email = unique_email("web.login")
    client.post(
        "/api/v1/auth/register", json={"name": "Warga Login", "email": email, "password": PASSWORD}
    )
    wrong = post_login(browser, email, "salah-sekali-123")
    assert wrong.status_code == 401
    page = wrong.get_data(as_text=True)
    assert f'value="{email}"' in page and "salah-sekali-123" not in page
    assert web_login(browser, email, following="//jahat.example/curi") == "/saya"
    assert browser.get("/masuk").headers["Location"] == "/saya"  # already signed in


def test_citizens_support_and_reopen_and_staff_show_the_fix_on_the_web(
    platform, client, admin, blob_root
):
    from tests.complaints.http.test_lifecycle import act

    reporter = register_citizen(client)
    reporter_token = login(client, reporter["email"])
    pid = file_report(client, reporter_token)["public_id"]

    neighbour = platform.client
    web_sign_up(neighbour, "Tetangga", unique_email("web.tetangga"))
    page = neighbour.get(f"/pengaduan/{pid}").get_data(as_text=True)
    assert "dukung laporan" in page
    token = csrf_of(page)
    supported = neighbour.post(f"/pengaduan/{pid}/dukung", data={"csrf": token})
    assert supported.status_code == 303
    assert "Dukungan Anda tercatat" in neighbour.get(supported.headers["Location"]).get_data(
        as_text=True
    )
    assert client.get(f"/api/v1/complaints/{pid}").get_json()["supporters"] == 1
    again = neighbour.post(f"/pengaduan/{pid}/dukung", data={"csrf": token})
    assert again.status_code == 303 and "sudah mendukung" in neighbour.get(
        again.headers["Location"]
    ).get_data(as_text=True)
    assert client.get(f"/api/v1/complaints/{pid}").get_json()["supporters"] == 1  # once
    assert "Masuk</a> untuk mendukung" in platform.client.get(f"/pengaduan/{pid}").get_data(
        as_text=True
    )

    officer_email = staff_account(client, admin, "DPUPR")
    officer_token = login(client, officer_email)
    for action in ("verify", "forward", "start"):
        assert act(client, officer_token, pid, action).status_code == 200
    officer = platform.client
    web_login(officer, officer_email)
    desk = officer.get(f"/staf/pengaduan/{pid}").get_data(as_text=True)
    staff_token = csrf_of(desk)
    with nothing_written(platform, "complaints"), files_unchanged(blob_root):
        not_image = officer.post(
            f"/staf/pengaduan/{pid}/foto",
            data={"csrf": staff_token, "photos": [(io.BytesIO(b"%PDF-1.4 bukan foto"), "x.jpg")]},
            content_type="multipart/form-data",
        )
        assert not_image.status_code == 415
        huge = officer.post(
            f"/staf/pengaduan/{pid}/foto",
            data={"csrf": staff_token, "photos": [(io.BytesIO(b"\xff" * (6 << 20)), "besar.jpg")]},
            content_type="multipart/form-data",
        )
        assert huge.status_code == 413 and "Foto ke-1" in huge.get_data(as_text=True)  # in words
        too_many = officer.post(
            f"/staf/pengaduan/{pid}/foto",
            data={
                "csrf": staff_token,
                "photos": [(io.BytesIO(b"\xff" * (4 << 20)), f"{i}.jpg") for i in range(7)],
            },
            content_type="multipart/form-data",
        )
        assert too_many.status_code == 413 and "terlalu besar" in too_many.get_data(as_text=True)
    assert client.get(f"/api/v1/complaints/{pid}").get_json()["photos"] == []
    fixed = officer.post(
        f"/staf/pengaduan/{pid}/foto",
        data={"csrf": staff_token, "photos": [(io.BytesIO(phone_photo()), "tambal.jpg")]},
        content_type="multipart/form-data",
    )
    assert fixed.status_code == 303
    resolved = officer.post(
        f"/staf/pengaduan/{pid}",
        data={"csrf": staff_token, "action": "resolve", "note": "Ditambal."},
    )
    assert resolved.status_code == 303
    public = client.get(f"/api/v1/complaints/{pid}").get_json()
    assert public["status"] == "resolved" and [p["kind"] for p in public["photos"]] == [
        "resolution"
    ]
    wait_for_feedback_asks(platform, pid, resolutions=1)  # its token is written after the event

    page = neighbour.get(f"/pengaduan/{pid}").get_data(as_text=True)
    with nothing_written(platform, "complaints"):
        not_theirs = neighbour.post(
            f"/pengaduan/{pid}/buka-kembali", data={"csrf": csrf_of(page), "note": "Masih rusak."}
        )
        assert not_theirs.status_code == 403 and report_status(client, pid) == "resolved"

    own = platform.client
    web_login(own, reporter["email"])
    own_token = csrf_of(own.get(f"/pengaduan/{pid}").get_data(as_text=True))
    with nothing_written(platform, "complaints"):
        no_reason = own.post(f"/pengaduan/{pid}/buka-kembali", data={"csrf": own_token})
        assert no_reason.status_code == 422 and report_status(client, pid) == "resolved"
    reopened = own.post(
        f"/pengaduan/{pid}/buka-kembali", data={"csrf": own_token, "note": "Lubang muncul lagi."}
    )
    assert reopened.status_code == 303 and report_status(client, pid) == "forwarded"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (120, 90, 40)).save(out, format="JPEG")
    return out.getvalue()


def phone_photo() -> bytes:
    """About 1.8 MB, as a phone's photo is: larger than the 1 MiB limit of JSON bodies."""
    out = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(
        out, format="JPEG", quality=90
    )
    assert 1024 * 1024 < out.tell() < 5 * 1024 * 1024
    return out.getvalue()


def test_the_report_form_files_as_the_signed_in_citizen_with_photos(platform, client, blob_root):
    from tests.complaints.conftest import road_report

    email = unique_email("web.pelapor")
    browser = platform.client
    web_sign_up(browser, "Pelapor Web", email)
    form = browser.get("/pengaduan/baru").get_data(as_text=True)
    assert 'name="photos"' in form and "Anda melapor dengan akun Anda" in form
    token = re.search(r'var csrf = "([0-9a-f]{64})"', form).group(1)

    with nothing_written(platform, "complaints"):
        forged = browser.post("/pengaduan/baru", json=road_report())
        assert forged.status_code == 403 and forged.mimetype == "application/problem+json"
        missing = browser.post(
            "/pengaduan/baru", json=road_report(lat=None), headers={"X-CSRF-Token": token}
        )
        assert missing.status_code == 422 and "lat" in missing.get_json()["errors"]
    filed = browser.post("/pengaduan/baru", json=road_report(), headers={"X-CSRF-Token": token})
    assert filed.status_code == 201, filed.get_json()
    pid = filed.get_json()["public_id"]
    photo = browser.post(
        f"/pengaduan/{pid}/foto",
        data={"photos": [(io.BytesIO(phone_photo()), "lubang.jpg")]},
        content_type="multipart/form-data",
        headers={"X-CSRF-Token": token},
    )
    assert photo.status_code == 201 and len(photo.get_json()["photos"]) == 1
    mine = client.get("/api/v1/complaints/mine", headers=auth(login(client, email))).get_json()
    assert [r["public_id"] for r in mine["items"]] == [pid]  # the report is the citizen's

    anonymous = platform.client
    assert "Masuk</a> agar laporan tercatat" in anonymous.get("/pengaduan/baru").get_data(
        as_text=True
    )
    filed = anonymous.post("/pengaduan/baru", json=road_report(contact_email="anon@example.id"))
    assert filed.status_code == 201
    with nothing_written(platform, "complaints"), files_unchanged(blob_root):
        refused = anonymous.post(
            f"/pengaduan/{filed.get_json()['public_id']}/foto",
            data={"photos": [(io.BytesIO(jpeg()), "x.jpg")]},
            content_type="multipart/form-data",
        )
        assert refused.status_code == 401


def test_a_citizen_chooses_which_messages_also_come_by_email(platform, client):
    email = unique_email("web.pengaturan")
    browser = platform.client
    web_sign_up(browser, "Warga Hemat", email)
    page = browser.get("/saya/pengaturan").get_data(as_text=True)
    offered = CATEGORIES  # the platform's and every installed app's (their notifications)
    assert {"uji", "pengaduan", "usulan"} <= set(offered)
    assert page.count('type="checkbox"') == len(offered) == page.count("checked")  # all on
    saved = browser.post("/saya/pengaturan", data={"csrf": csrf_of(page), "email": ["usulan"]})
    assert saved.status_code == 303 and saved.headers["Location"] == "/saya/pengaturan?ok=1"
    api = client.get("/api/v1/notifications/preferences", headers=auth(login(client, email)))
    assert {p["category"]: p["email"] for p in api.get_json()} == {
        category: category == "usulan" for category in offered
    }
    preferences = "/api/v1/notifications/preferences"
    with unchanged(client, preferences, auth(login(client, email))):
        assert browser.post("/saya/pengaturan", data={"email": ["uji"]}).status_code == 403


def test_an_admin_creates_staff_accounts_on_the_web(platform, client):
    admin_email = create_admin(platform.config["ACCOUNTS_DATABASE_URL"])
    browser = platform.client
    assert web_login(browser, admin_email) == "/admin"
    page = browser.get("/admin").get_data(as_text=True)
    assert "Akun staf" in page and "Pesan yang gagal terkirim" in page
    token = csrf_of(page)
    staff_email = unique_email("web.baru")
    body = {
        "csrf": token,
        "name": "Verifikator Dinsos Baru",
        "email": staff_email,
        "password": PASSWORD,
        "role": "verifier",
        "agency": "OPD-HILANG",
    }
    with nothing_written(platform, "accounts"):
        unknown = browser.post("/admin/staf", data=body)
        assert unknown.status_code == 422 and "agency" in unknown.get_data(as_text=True)
    assert 'value="Verifikator Dinsos Baru"' in unknown.get_data(as_text=True)
    created = browser.post("/admin/staf", data=body | {"agency": "DINSOS"})
    assert created.status_code == 303 and "dibuat=" in created.headers["Location"]
    listed = browser.get("/admin?agency=DINSOS&role=verifier").get_data(as_text=True)
    assert staff_email in listed and "Verifikator" in listed
    assert web_login(platform.client, staff_email) == "/staf"  # the new account works

    citizen_browser = platform.client
    web_sign_up(citizen_browser, "Bukan Admin", unique_email("web.x"))
    assert citizen_browser.get("/admin").status_code == 403
    own_token = csrf_of(citizen_browser.get("/saya").get_data(as_text=True))
    with nothing_written(platform, "accounts"):
        refused = citizen_browser.post("/admin/staf", data=body | {"csrf": own_token})
        assert refused.status_code == 403 and "untuk admin" in refused.get_data(as_text=True)


# --- make run's demo reports (last in this module: they join every queue from here on) -------


def test_demo_reports_fill_the_pages_queues_and_map_and_load_once(platform, client, admin):
    owner = register_citizen(client)
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            assert load_demo_reports(session, owner["id"]) == len(REPORTS)
            assert load_demo_reports(session, owner["id"]) == 0  # idempotent
    finally:
        engine.dispose()

    listing = client.get("/api/v1/complaints", query_string={"per_page": 100}).get_json()
    demo = {r["description"]: r for r in listing["items"] if r["description"] in DESCRIPTIONS}
    assert len(demo) == len(REPORTS)
    assert {r["status"] for r in demo.values()} >= {
        "submitted", "verified", "forwarded", "in_progress", "resolved", "closed", "rejected"
    }  # fmt: skip
    for report in demo.values():
        detail = client.get(f"/api/v1/complaints/{report['public_id']}").get_json()
        assert detail["timeline"][-1]["to_status"] == report["status"]
        assert "contact_email" not in detail  # anonymous reporters' emails stay private

    mine = client.get("/api/v1/complaints/mine", headers=auth(login(client, owner["email"])))
    assert {r["description"] for r in mine.get_json()["items"]} == {
        d.description for d in REPORTS if d.own
    }

    officer = staff_account(client, admin, "DPUPR")
    overdue = client.get(
        "/api/v1/complaints/queue",
        query_string={"overdue": "true", "per_page": 100},
        headers=auth(login(client, officer)),
    ).get_json()["items"]
    late = {r["description"] for r in overdue} & DESCRIPTIONS
    assert any("TPI Tirtayasa" in d for d in late) and any("Puser" in d for d in late)

    page = client.get("/pengaduan", query_string={"per_page": 100}).get_data(as_text=True)
    assert demo[REPORTS[0].description]["public_id"] in page

    def on_the_map():
        items = client.get("/gis/collections/complaints/items", query_string={"limit": 1000})
        ids = {f["id"] for f in items.get_json()["features"]}
        shown = {r["public_id"] for r in demo.values() if r["status"] in OPEN_STATUSES}
        return len(shown) == 7 and shown <= ids  # the map shows open reports only

    wait_until(on_the_map, timeout=20)


DESCRIPTIONS = {d.description for d in REPORTS}
