"""The moderators' list of what is hidden: `GET /api/v1/complaints/hidden` and its page
`/staf/pengaduan/disembunyikan` ("Laporan & foto yang disembunyikan"). Every hidden report and
every report with a hidden photo, newest moderation first, a page at a time: admins see every
agency's, an agency's officers and verifiers those their agency handles, citizens are refused
(403) and anonymous callers must sign in (401); what is shown again leaves it; the reporter's
name, email and phone appear in no answer and on no page. Through the gateway against the
real services, on both databases."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import file_report, make_staff
from tests.complaints.http.test_moderation import moderate
from tests.complaints.http.test_photo_uploads import jpeg, post_photos
from tests.complaints.http.test_web_pages import csrf_of, staff_account
from tests.support.factories import (
    PASSWORD,
    auth,
    create_admin,
    login,
    register_citizen,
    unique_email,
)
from tests.support.snapshots import nothing_written
from tests.support.web import web_login

LIST = "/api/v1/complaints/hidden"
PAGE = "/staf/pengaduan/disembunyikan"
REASON = "Foto memperlihatkan wajah warga dan pelat nomor kendaraan."
ITEM_KEYS = {
    "public_id",
    "category",
    "category_name",
    "agency",
    "kecamatan",
    "desa",
    "status",
    "status_label",
    "hidden",
    "hidden_at",
    "hidden_reason",
    "hidden_photos",
    "moderated_at",
}
LAMP = {"category": "lampu-jalan", "attributes": {"jumlah_lampu_mati": 3}}  # DISHUB's
OTHER = {"category": "lainnya", "attributes": {}}  # DISKOMINFOSATIK's: the paging test's alone


def contact(n: int) -> dict:
    """A reporter's contact that no answer or page of the list may show."""
    return {
        "contact_name": f"Euis Rahasia{n}wati",
        "contact_email": f"pelapor.rahasia{n}@surel-pribadi.example.id",
        "contact_phone": f"0857193800{n:02d}",
    }


def secrets_of(*contacts: dict) -> list[str]:
    return [value for c in contacts for value in c.values()]


def listing(client, token, **query):
    return client.get(LIST, query_string=query, headers=auth(token) if token else {})


def ids(client, token, **query) -> list[str]:
    answer = listing(client, token, per_page=100, **query)
    assert answer.status_code == 200, answer.get_json()
    return [item["public_id"] for item in answer.get_json()["items"]]


def hide(client, token, public_id: str, photo_id: int | None = None, reason: str = REASON):
    body = {"action": "hide", "reason": reason} | ({"photo_id": photo_id} if photo_id else {})
    answer = moderate(client, token, public_id, **body)
    assert answer.status_code == 200, answer.get_json()


def show(client, token, public_id: str, photo_id: int | None = None):
    answer = moderate(client, token, public_id, action="show", photo_id=photo_id)
    assert answer.status_code == 200, answer.get_json()


@pytest.fixture(scope="module")
def citizen_token(platform):
    """The reporter of the module's moderated reports."""
    return login(platform.client, register_citizen(platform.client)["email"])


@pytest.fixture
def reporter(client):
    """A citizen of a test's own (a citizen may file ten reports in ten minutes)."""
    return login(client, register_citizen(client)["email"])


@pytest.fixture(scope="module")
def staff(platform, admin):
    client = platform.client
    return {
        "dpupr": make_staff(client, admin, "officer", "DPUPR"),
        "dpupr_verifier": make_staff(client, admin, "verifier", "DPUPR"),
        "dishub": make_staff(client, admin, "officer", "DISHUB"),
        "kesra": make_staff(client, admin, "verifier", "KESRA"),
        "tapd": make_staff(client, admin, "budget_team", "BPKAD"),
    }


@pytest.fixture(scope="module")
def moderated(platform, admin, staff, citizen_token):
    """Four reports of the citizen, each with a contact: a DPUPR report hidden by its officer;
    a DISHUB report whose second photo an admin hid; a DPUPR report whose photo and then the
    report itself were hidden; and one nobody moderated."""
    client, dpupr = platform.client, staff["dpupr"]
    contacts = [contact(n) for n in range(1, 5)]
    road = file_report(client, citizen_token, **contacts[0])
    hide(client, dpupr, road["public_id"], reason="Laporan berisi tuduhan kepada warga.")
    lamp = file_report(client, citizen_token, **LAMP, **contacts[1])
    photos = post_photos(client, lamp["public_id"], citizen_token, jpeg(), jpeg((10, 200, 10)))
    assert photos.status_code == 201, photos.get_json()
    lamp_photo = photos.get_json()["photos"][1]["id"]
    hide(client, admin, lamp["public_id"], lamp_photo)
    both = file_report(client, citizen_token, **contacts[2])
    photos = post_photos(client, both["public_id"], citizen_token, jpeg())
    both_photo = photos.get_json()["photos"][0]["id"]
    hide(client, dpupr, both["public_id"], both_photo)
    hide(client, admin, both["public_id"], reason="Laporan ganda berisi data pribadi.")
    untouched = file_report(client, citizen_token, **contacts[3])
    return {
        "road": road,
        "lamp": lamp,
        "lamp_photo": lamp_photo,
        "both": both,
        "both_photo": both_photo,
        "untouched": untouched,
        "secrets": secrets_of(*contacts),
    }


def mine(found: list[str], moderated: dict) -> list[str]:
    """Of the ids found, this module's reports, in the order found."""
    ours = {moderated[k]["public_id"] for k in ("road", "lamp", "both", "untouched")}
    return [public_id for public_id in found if public_id in ours]


def pid(moderated: dict, key: str) -> str:
    return moderated[key]["public_id"]


# --- the API ------------------------------------------------------------------------------------


def test_an_admin_sees_every_hidden_report_and_photo_newest_moderation_first(
    client, admin, moderated
):
    answer = listing(client, admin, per_page=100)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["page"], body["per_page"]) == (1, 100)
    assert body["total"] == len(body["items"]) >= 3
    items = {item["public_id"]: item for item in body["items"]}
    found = mine([item["public_id"] for item in body["items"]], moderated)
    assert found == [pid(moderated, "both"), pid(moderated, "lamp"), pid(moderated, "road")]
    times = [item["moderated_at"] for item in body["items"]]
    assert times == sorted(times, reverse=True)

    road, lamp, both = (items[pid(moderated, k)] for k in ("road", "lamp", "both"))
    assert all(set(item) == ITEM_KEYS for item in (road, lamp, both))
    filed = moderated["road"]
    assert {k: road[k] for k in ("category", "agency", "status", "hidden", "hidden_reason")} == {
        "category": "jalan-rusak",
        "agency": "DPUPR",
        "status": "submitted",
        "hidden": True,
        "hidden_reason": "Laporan berisi tuduhan kepada warga.",
    }
    assert (road["kecamatan"], road["desa"]) == (filed["kecamatan"], filed["desa"])
    assert road["category_name"] == "Jalan rusak" and road["status_label"] == filed["status_label"]
    assert road["hidden_photos"] == [] and road["hidden_at"] == road["moderated_at"]

    assert (lamp["agency"], lamp["category"], lamp["hidden"]) == ("DISHUB", "lampu-jalan", False)
    assert lamp["hidden_at"] is None and lamp["hidden_reason"] is None
    (photo,) = lamp["hidden_photos"]
    assert photo | {"hidden_at": None} == {
        "id": moderated["lamp_photo"],
        "number": 2,
        "kind": "report",
        "hidden_at": None,
        "hidden_reason": REASON,
    }
    assert photo["hidden_at"] == lamp["moderated_at"]

    assert both["hidden"] and [p["id"] for p in both["hidden_photos"]] == [moderated["both_photo"]]
    assert both["moderated_at"] == both["hidden_at"] > both["hidden_photos"][0]["hidden_at"]
    assert not [s for s in moderated["secrets"] if s in answer.get_data(as_text=True)]


def test_what_and_agency_narrow_the_list_for_admins(client, admin, moderated):
    reports = mine(ids(client, admin, what="report"), moderated)
    assert reports == [pid(moderated, "both"), pid(moderated, "road")]
    photos = mine(ids(client, admin, what="photo"), moderated)
    assert photos == [pid(moderated, "both"), pid(moderated, "lamp")]
    answer = listing(client, admin, agency="DISHUB", per_page=100).get_json()
    assert {item["agency"] for item in answer["items"]} == {"DISHUB"}
    assert mine([i["public_id"] for i in answer["items"]], moderated) == [pid(moderated, "lamp")]
    assert listing(client, admin, agency="DINSOS").get_json()["items"] == []


@pytest.mark.parametrize("who", ["dpupr", "dpupr_verifier"])
def test_an_agencys_staff_see_only_the_reports_their_agency_handles(client, staff, moderated, who):
    token = staff[who]
    answer = listing(client, token, per_page=100).get_json()
    assert {item["agency"] for item in answer["items"]} == {"DPUPR"}
    assert answer["total"] == len(answer["items"])
    assert mine([i["public_id"] for i in answer["items"]], moderated) == [
        pid(moderated, "both"),
        pid(moderated, "road"),
    ]
    assert mine(ids(client, token, agency="DPUPR"), moderated) == [
        pid(moderated, "both"),
        pid(moderated, "road"),
    ]
    assert mine(ids(client, staff["dishub"]), moderated) == [pid(moderated, "lamp")]
    assert ids(client, staff["kesra"]) == []  # KESRA handles no report


def test_staff_asking_for_another_agency_get_a_422_naming_it(client, staff, moderated):
    answer = listing(client, staff["dpupr"], agency="DISHUB")
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert "OPD-nya sendiri (DPUPR)" in answer.get_json()["errors"]["agency"][0]


@pytest.mark.parametrize("who", ["citizen", "tapd", "anonymous"])
def test_citizens_and_other_roles_are_refused_and_anonymous_callers_must_sign_in(
    client, staff, citizen_token, moderated, who
):
    token = {"citizen": citizen_token, "tapd": staff["tapd"], "anonymous": None}[who]
    answer = listing(client, token)
    assert answer.status_code == (401 if who == "anonymous" else 403)
    assert answer.mimetype == "application/problem+json"
    assert pid(moderated, "road") not in answer.get_data(as_text=True)


def test_pages_of_the_list(client, admin, reporter):
    filed = [file_report(client, reporter, **OTHER) for _ in range(3)]
    for report in filed:
        hide(client, admin, report["public_id"])
    newest_first = [r["public_id"] for r in reversed(filed)]

    def page(**query):
        answer = listing(client, admin, agency="DISKOMINFOSATIK", **query)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        return (
            [i["public_id"] for i in body["items"]],
            body["page"],
            body["per_page"],
            body["total"],
        )

    assert page() == (newest_first, 1, 20, 3)  # the defaults
    assert page(per_page=2) == (newest_first[:2], 1, 2, 3)
    assert page(per_page=2, page=2) == (newest_first[2:], 2, 2, 3)
    assert page(per_page=2, page=3) == ([], 3, 2, 3)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"per_page": 0}, "per_page", "Jumlah per halaman"),
        ({"per_page": 101}, "per_page", "antara 1 dan 100"),
        ({"per_page": "dua"}, "per_page", "bilangan bulat"),
        ({"page": 0}, "page", "Nomor halaman"),
        ({"page": "1.5"}, "page", "bilangan bulat"),
        ({"what": "semua"}, "what", "laporan"),
        ({"agency": "X"}, "agency", "Kode OPD"),
        ({"urutan": "lama"}, "urutan", "Kolom tidak dikenal"),
    ],
)
def test_bad_paging_and_filters_are_422_naming_the_field(client, admin, query, field, words):
    answer = listing(client, admin, **query)
    assert answer.status_code == 422, answer.get_json()
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert list(problem["errors"]) == [field]
    assert words in problem["errors"][field][0]


def test_what_is_shown_again_leaves_the_list(client, admin, staff, reporter):
    dpupr = staff["dpupr"]
    report = file_report(client, reporter)["public_id"]
    hide(client, dpupr, report)
    pictured = file_report(client, reporter)["public_id"]
    photo = post_photos(client, pictured, reporter, jpeg()).get_json()["photos"][0]["id"]
    hide(client, dpupr, pictured, photo)
    assert {report, pictured} <= set(ids(client, dpupr))

    show(client, admin, report)
    assert report not in ids(client, dpupr) and pictured in ids(client, dpupr)
    show(client, dpupr, pictured, photo)
    assert not {report, pictured} & set(ids(client, admin))
    hide(client, admin, report, reason="Disembunyikan lagi.")  # and back, at the top
    assert ids(client, dpupr)[0] == report


def test_the_literal_path_is_no_report_id(client, admin):
    """`hidden` is not a report's id: the report routes' converter never matches it."""
    for path in (f"{LIST}/photos/1", f"{LIST}/transitions", f"{LIST}/moderation"):
        assert client.get(path, headers=auth(admin)).status_code in (404, 405), path
    assert client.get(LIST, headers=auth(admin)).status_code == 200


# --- the page -----------------------------------------------------------------------------------


def browser_of(platform, email: str):
    browser = platform.client
    web_login(browser, email)
    return browser


def staff_browser(platform, admin, role: str, agency: str):
    email = unique_email(f"{role}.{agency.lower()}")
    body = {"name": f"Staf {agency}", "email": email, "password": PASSWORD}
    body |= {"roles": [role], "agency": agency}
    made = platform.client.post("/api/v1/admin/staff", json=body, headers=auth(admin))
    assert made.status_code == 201, made.get_json()
    return browser_of(platform, email)


def text_of(browser, path: str, status: int = 200) -> str:
    page = browser.get(path)
    assert page.status_code == status, (path, page.status_code, page.get_data(as_text=True)[:300])
    return page.get_data(as_text=True)


def test_the_page_lists_the_agencys_with_links_to_each_desk(platform, admin, moderated):
    browser = browser_of(platform, staff_account(platform.client, admin, "DPUPR"))
    page = text_of(browser, PAGE)
    assert "<h1>Laporan &amp; foto yang disembunyikan</h1>" in page
    for key in ("road", "both"):
        assert f'href="/staf/pengaduan/{pid(moderated, key)}#judul-moderasi"' in page
    assert f'href="/staf/pengaduan/{pid(moderated, "both")}#judul-foto-' in page
    assert pid(moderated, "lamp") not in page and pid(moderated, "untouched") not in page
    assert "Laporan berisi tuduhan kepada warga." in page
    assert 'id="agency"' not in page  # staff see their own agency's only
    assert not [s for s in moderated["secrets"] if s in page]
    assert 'href="/staf/pengaduan/disembunyikan"' in text_of(browser, "/staf")  # from the queue
    photos_only = text_of(browser, f"{PAGE}?what=photo")
    assert pid(moderated, "both") in photos_only and pid(moderated, "road") not in photos_only


def test_admins_see_every_agencys_pick_one_and_find_the_page_on_admin(platform, moderated):
    browser = browser_of(platform, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
    page = text_of(browser, PAGE)
    assert all(pid(moderated, k) in page for k in ("road", "lamp", "both"))
    assert 'id="agency"' in page and not [s for s in moderated["secrets"] if s in page]
    dishub = text_of(browser, f"{PAGE}?agency=DISHUB")
    assert pid(moderated, "lamp") in dishub and pid(moderated, "road") not in dishub
    assert 'href="/staf/pengaduan/disembunyikan"' in text_of(browser, "/admin")
    assert "Halaman 1 dari 1" in page
    assert "Halaman 2 kosong" in text_of(browser, f"{PAGE}?page=2")


def test_a_moderator_shows_a_report_again_from_its_desk_and_it_leaves_the_page(
    platform, admin, reporter
):
    client = platform.client
    report = file_report(client, reporter)["public_id"]
    hide(client, admin, report, reason="Uraian menyebut nama warga.")
    browser = browser_of(platform, staff_account(client, admin, "DPUPR"))
    assert report in text_of(browser, PAGE)
    desk = text_of(browser, f"/staf/pengaduan/{report}")
    assert 'href="/staf/pengaduan/disembunyikan"' in desk
    shown = browser.post(
        f"/staf/pengaduan/{report}/moderasi", data={"csrf": csrf_of(desk), "action": "show"}
    )
    assert shown.status_code == 303, shown.get_data(as_text=True)[:300]
    assert report not in text_of(browser, PAGE)


def test_the_page_refuses_bad_paging_citizens_other_roles_and_sends_visitors_to_sign_in(
    platform, admin
):
    staff = staff_browser(platform, admin, "officer", "DPUPR")
    refused = text_of(staff, f"{PAGE}?page=0", 422)
    assert "Halaman" in refused and "Nomor halaman (page)" in refused
    assert "Yang ditampilkan" in text_of(staff, f"{PAGE}?what=semua", 422)
    citizen = browser_of(platform, register_citizen(platform.client)["email"])
    text_of(citizen, PAGE, 403)
    tapd = staff_browser(platform, admin, "budget_team", "BPKAD")  # at a desk, not a moderator
    assert "Hanya admin dan staf OPD" in text_of(tapd, PAGE, 403)
    visitor = platform.client.get(PAGE)
    assert visitor.status_code in (302, 303) and "/masuk" in visitor.headers["Location"]


def test_posting_to_the_page_changes_nothing(platform, admin):
    """The desk's POST route takes any id: `disembunyikan` is refused there, nothing written."""
    staff = staff_browser(platform, admin, "officer", "DPUPR")
    page = text_of(staff, PAGE)
    with nothing_written(platform, "complaints"):
        answer = staff.post(PAGE, data={"csrf": csrf_of(page), "action": "verify"})
    assert answer.status_code in (404, 405)
