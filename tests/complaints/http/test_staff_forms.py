"""The staff desk's forms for issue 16 (/staf/pengaduan/<id>): the agency holding a report
forwards it to another OPD or out of the regency and changes its category while it is open; its
agency's staff and admins hide it, or one of its photos, from the public with a reason and show
it again, each moderation in the timeline for staff only. The reporter's page says what a
moderator hid and why. Plain HTML forms with the page's CSRF token, through the gateway against
the real services; every refusal changes nothing."""

from __future__ import annotations

import re

import pytest

from services.complaints.contract import EXTERNAL_BODIES
from tests.complaints.conftest import file_report
from tests.complaints.http.test_lifecycle import act
from tests.complaints.http.test_photo_uploads import jpeg, post_photos
from tests.complaints.http.test_web_pages import csrf_of, staff_account
from tests.support.factories import auth, create_admin, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.web import web_login

REASON = "Foto memperlihatkan wajah warga dan pelat nomor kendaraan."
FORMS = ("/teruskan", "/kategori", "/moderasi")


def signed_in(platform, email: str):
    browser = platform.client
    web_login(browser, email)
    return browser


@pytest.fixture(scope="module")
def dpupr_desk(platform, admin):
    return staff_account(platform.client, admin, "DPUPR")


@pytest.fixture(scope="module")
def admin_email(platform):
    return create_admin(platform.config["ACCOUNTS_DATABASE_URL"])


def page_of(browser, public_id: str) -> str:
    page = browser.get(f"/staf/pengaduan/{public_id}")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return page.get_data(as_text=True)


def forms_on(page: str, public_id: str) -> set[str]:
    """Which of the issue 16 forms the page offers (by where they post)."""
    return {f for f in FORMS if f'action="/staf/pengaduan/{public_id}{f}"' in page}


def post(browser, public_id: str, form: str, page: str, **data):
    return browser.post(f"/staf/pengaduan/{public_id}{form}", data={"csrf": csrf_of(page)} | data)


def report_of(client, public_id: str, token: str | None = None) -> dict:
    headers = auth(token) if token else {}
    answer = client.get(f"/api/v1/complaints/{public_id}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_the_holding_agency_forwards_a_report_to_another_opd_from_its_page(
    platform, client, citizen, dpupr_desk, admin
):
    public_id = file_report(client, citizen["token"])["public_id"]
    officer = signed_in(platform, dpupr_desk)
    page = page_of(officer, public_id)
    assert forms_on(page, public_id) == set(FORMS)
    # the choices: the regency's other OPDs by name, and the governments outside it
    assert '<option value="DLH">Dinas Lingkungan Hidup (DLH)</option>' in page
    assert '<option value="DPUPR">' not in page  # not to itself
    for code, name in EXTERNAL_BODIES.items():
        assert f'<option value="{code}">{name}</option>' in page

    with nothing_written(platform, "complaints"):
        forged = officer.post(f"/staf/pengaduan/{public_id}/teruskan", data={"to_agency": "DLH"})
        assert forged.status_code == 403
        unchosen = post(officer, public_id, "/teruskan", page, to_agency="", note="Cek.")
        assert unchosen.status_code == 422
        assert "<strong>Diteruskan ke</strong>: Pilih OPD atau instansi tujuan." in (
            unchosen.get_data(as_text=True)
        )
        itself = post(officer, public_id, "/teruskan", page, to_agency="DPUPR")
        assert itself.status_code == 422 and "sudah ditangani OPD ini" in itself.get_data(
            as_text=True
        )
        unknown = post(officer, public_id, "/teruskan", page, to_agency="OPD_HILANG", note="x")
        assert unknown.status_code == 422
        kept = unknown.get_data(as_text=True)  # the form again, with what was typed
        assert "OPD tujuan tidak dikenal" in kept and ">x</textarea>" in kept
    assert report_of(client, public_id)["agency"] == "DPUPR"

    moved = post(
        officer, public_id, "/teruskan", page, to_agency="DLH", note="Tumpukan sampah, bukan jalan."
    )
    assert moved.status_code == 303
    assert moved.headers["Location"] == f"/staf/pengaduan/{public_id}?ok=transfer"
    after = officer.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Tersimpan: Laporan dialihkan ke OPD lain." in after
    assert forms_on(after, public_id) == set()  # no longer DPUPR's to move or moderate
    report = report_of(client, public_id)
    assert (report["agency"], report["status"]) == ("DLH", "submitted")
    assert "Dialihkan dari DPUPR ke DLH" in report["timeline"][-1]["note"]
    assert "bukan jalan" in report["timeline"][-1]["note"]

    dlh = signed_in(platform, staff_account(client, admin, "DLH"))
    assert forms_on(page_of(dlh, public_id), public_id) == set(FORMS)  # now DLH's


def test_forwarding_out_of_the_regency_closes_the_report_naming_that_government(
    platform, client, citizen, dpupr_desk
):
    public_id = file_report(client, citizen["token"])["public_id"]
    officer = signed_in(platform, dpupr_desk)
    page = page_of(officer, public_id)
    sent = post(officer, public_id, "/teruskan", page, to_agency="BPJN_BANTEN", note="")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("?ok=forward_external")
    after = officer.get(sent.headers["Location"]).get_data(as_text=True)
    assert "di luar Pemerintah Kabupaten Serang dan ditutup di sini" in after
    # closed here: nothing left to forward or recategorise, moderation still possible
    assert forms_on(after, public_id) == {"/moderasi"}
    report = report_of(client, public_id)
    assert report["status"] == "forwarded_external"
    assert report["forwarded_to"] == EXTERNAL_BODIES["BPJN_BANTEN"]
    public = client.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    assert "Diteruskan ke instansi lain" in public and EXTERNAL_BODIES["BPJN_BANTEN"] in public
    with nothing_written(platform, "complaints"):
        late = post(officer, public_id, "/teruskan", after, to_agency="DLH")
        assert late.status_code == 409


def test_the_holding_agency_changes_the_category_and_the_timeline_says_so(
    platform, client, citizen, dpupr_desk
):
    public_id = file_report(client, citizen["token"])["public_id"]
    officer = signed_in(platform, dpupr_desk)
    page = page_of(officer, public_id)
    assert '<option value="jembatan-rusak">Jembatan rusak (ditangani DPUPR)</option>' in page
    assert '<option value="jalan-rusak">' not in page  # not its own category

    with nothing_written(platform, "complaints"):
        none = post(officer, public_id, "/kategori", page, category="")
        assert none.status_code == 422
        assert "<strong>Kategori baru</strong>:" in none.get_data(as_text=True)
        same = post(officer, public_id, "/kategori", page, category="jalan-rusak")
        assert same.status_code == 422 and "sudah Jalan rusak" in same.get_data(as_text=True)
        unknown = post(officer, public_id, "/kategori", page, category="kategori-hilang")
        assert unknown.status_code == 422
    changed = post(
        officer, public_id, "/kategori", page, category="jembatan-rusak", note="Ini jembatan."
    )
    assert changed.status_code == 303 and changed.headers["Location"].endswith("?ok=recategorise")
    assert "Tersimpan: Kategori diubah." in officer.get(changed.headers["Location"]).get_data(
        as_text=True
    )
    report = report_of(client, public_id)
    assert (report["category"], report["agency"], report["status"]) == (
        "jembatan-rusak",
        "DPUPR",
        "submitted",
    )
    public = client.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    assert "<strong>Kategori diubah</strong>" in public
    assert "Kategori diubah dari Jalan rusak ke Jembatan rusak. Catatan: Ini jembatan." in public


def test_the_forms_are_offered_only_to_those_allowed_and_refused_to_the_others(
    platform, client, citizen, dpupr_desk, admin, admin_email
):
    report = file_report(client, citizen["token"], contact_phone="+62 812 4444 0202")
    public_id = report["public_id"]
    other = signed_in(platform, staff_account(client, admin, "DISHUB"))
    foreign = page_of(other, public_id)
    assert forms_on(foreign, public_id) == set() and "4444 0202" not in foreign
    with nothing_written(platform, "complaints"):
        for form, data in (
            ("/teruskan", {"to_agency": "DLH"}),
            ("/kategori", {"category": "jembatan-rusak"}),
            ("/moderasi", {"action": "hide", "reason": REASON}),
        ):
            assert post(other, public_id, form, foreign, **data).status_code == 403, form

    # admins moderate, and only that: no forwarding, no category, no reporter's contact
    administrator = signed_in(platform, admin_email)
    desk = page_of(administrator, public_id)
    assert forms_on(desk, public_id) == {"/moderasi"} and "4444 0202" not in desk
    assert '<p><a href="/admin">← Admin</a></p>' in desk  # back to their own page, not /staf
    with nothing_written(platform, "complaints"):
        for form, data in (
            ("/teruskan", {"to_agency": "DLH"}),
            ("/kategori", {"category": "jembatan-rusak"}),
        ):
            assert post(administrator, public_id, form, desk, **data).status_code == 403, form
    public = administrator.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    assert f'href="/staf/pengaduan/{public_id}"' in public  # the way there from the report

    reporter = platform.client
    web_login(reporter, citizen["email"])
    assert reporter.get(f"/staf/pengaduan/{public_id}").status_code == 403
    anonymous = platform.client.get(f"/staf/pengaduan/{public_id}")
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/masuk")

    # closed by its agency: nothing to move any more, the moderation stays
    officer = signed_in(platform, dpupr_desk)
    assert (
        act(
            client, login(client, dpupr_desk), public_id, "reject", note="Bukan jalan kabupaten."
        ).status_code
        == 200
    )
    assert forms_on(page_of(officer, public_id), public_id) == {"/moderasi"}


def test_staff_hide_and_show_a_report_on_its_page_and_the_reporter_reads_why(
    platform, client, citizen, dpupr_desk
):
    public_id = file_report(client, citizen["token"])["public_id"]
    officer = signed_in(platform, dpupr_desk)
    page = page_of(officer, public_id)
    with nothing_written(platform, "complaints"):
        forged = officer.post(
            f"/staf/pengaduan/{public_id}/moderasi", data={"action": "hide", "reason": REASON}
        )
        assert forged.status_code == 403
        no_reason = post(officer, public_id, "/moderasi", page, action="hide", reason=" ")
        assert no_reason.status_code == 422
        assert "<strong>Alasan menyembunyikan</strong>:" in no_reason.get_data(as_text=True)
        shown = post(officer, public_id, "/moderasi", page, action="show")
        assert shown.status_code == 409  # it is not hidden

    hidden = post(officer, public_id, "/moderasi", page, action="hide", reason=REASON)
    assert hidden.status_code == 303 and hidden.headers["Location"].endswith("?ok=hide")
    desk = officer.get(hidden.headers["Location"]).get_data(as_text=True)
    assert "Tersimpan: Laporan disembunyikan dari publik." in desk
    assert "Tampilkan laporan lagi" in desk and f"Alasan: {REASON}" in desk
    # the staff's timeline has the moderation, marked as theirs alone
    entry = re.search(
        r"<li><strong>Laporan disembunyikan dari publik</strong> "
        r'<span class="badge">hanya terlihat oleh staf</span>.*?</li>',
        desk,
        re.S,
    )
    assert entry and "DPUPR" in entry.group(0) and REASON in entry.group(0)

    # gone for the public ...
    assert client.get(f"/api/v1/complaints/{public_id}").status_code == 404
    assert platform.client.get(f"/pengaduan/{public_id}").status_code == 404
    stranger = platform.client
    web_login(stranger, register_citizen(client)["email"])
    assert stranger.get(f"/pengaduan/{public_id}").status_code == 404
    # ... but its reporter still opens it, and reads why
    reporter = platform.client
    web_login(reporter, citizen["email"])
    own = reporter.get(f"/pengaduan/{public_id}")
    assert own.status_code == 200 and own.headers["Cache-Control"] == "no-store"
    text = own.get_data(as_text=True)
    assert "Disembunyikan oleh moderator" in text and REASON in text
    assert "hanya terlihat oleh staf" not in text  # the moderation entry is the staff's
    assert f'action="/pengaduan/{public_id}/dukung"' not in text  # nobody else sees it to support

    again = post(officer, public_id, "/moderasi", desk, action="show")
    assert again.status_code == 303 and again.headers["Location"].endswith("?ok=show")
    assert report_of(client, public_id)["status"] == "submitted"  # public again
    desk = officer.get(again.headers["Location"]).get_data(as_text=True)
    assert "<strong>Laporan ditampilkan lagi</strong>" in desk
    text = reporter.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    assert "Disembunyikan oleh moderator" not in text and REASON not in text


def test_an_admin_hides_a_photo_its_reporter_sees_why_and_the_public_never_sees_it(
    platform, client, citizen, admin_email
):
    public_id = file_report(client, citizen["token"])["public_id"]
    uploaded = post_photos(client, public_id, citizen["token"], jpeg(), jpeg((10, 200, 10)))
    assert uploaded.status_code == 201
    first, second = (p["id"] for p in uploaded.get_json()["photos"])
    administrator = signed_in(platform, admin_email)
    page = page_of(administrator, public_id)
    assert 'id="alasan-foto-%d"' % first in page and 'id="alasan-foto-%d"' % second in page

    with nothing_written(platform, "complaints"):
        wrong = post(
            administrator,
            public_id,
            "/moderasi",
            page,
            action="hide",
            reason=REASON,
            photo_id="9999999",
        )
        assert wrong.status_code == 404
    hidden = post(
        administrator,
        public_id,
        "/moderasi",
        page,
        action="hide",
        reason=REASON,
        photo_id=str(first),
    )
    assert hidden.status_code == 303 and hidden.headers["Location"].endswith("?ok=hide_photo")
    desk = administrator.get(hidden.headers["Location"]).get_data(as_text=True)
    assert "Tersimpan: Foto disembunyikan dari publik." in desk
    assert "Tampilkan foto 1 lagi" in desk and "Sembunyikan foto 2" in desk
    assert re.search(r"<strong>Foto disembunyikan dari publik</strong>.*?Admin", desk, re.S)

    public = client.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    assert f'/photos/{first}"' not in public and f'/photos/{second}"' in public
    assert REASON not in public and "Disembunyikan oleh moderator" not in public
    reporter = platform.client
    web_login(reporter, citizen["email"])
    own = reporter.get(f"/pengaduan/{public_id}").get_data(as_text=True)
    notice = re.search(r'<p class="foto-tersembunyi" id="foto-%d">(.*?)</p>' % first, own, re.S)
    assert notice and "Disembunyikan oleh moderator" in notice.group(1)
    assert REASON in notice.group(1)
    assert f'src="/api/v1/complaints/{public_id}/photos/{first}"' not in own  # no broken image
    assert f'src="/api/v1/complaints/{public_id}/photos/{second}"' in own

    shown = post(administrator, public_id, "/moderasi", desk, action="show", photo_id=str(first))
    assert shown.status_code == 303 and shown.headers["Location"].endswith("?ok=show_photo")
    assert [p["id"] for p in report_of(client, public_id)["photos"]] == [first, second]
    staff = report_of(client, public_id, login(client, admin_email))
    assert [e["action"] for e in staff["timeline"] if e["actor"] == "Admin"] == [
        "hide_photo",
        "show_photo",
    ]
