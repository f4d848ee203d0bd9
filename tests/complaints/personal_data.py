"""Area alerts' part of the personal-data scan (tests/security/test_personal_data.py): an
address planted into an alert, which is confirmed and then hears of a new report in its
kecamatan, so the confirmation, the alert event and its email all pass through the scan's
logs; every GET route is then called as a stranger and must show the address nowhere.

The private audit log (issue 17) of every report planted so far (signed in, anonymous, on the
web form, through Open311, each with planted contact details) is read as an admin, who may read
every one: none may show a planted value (the log keeps only a fingerprint of them).

The moderators' list of what is hidden (`GET /api/v1/complaints/hidden` and its page
/staf/pengaduan/disembunyikan) is read with a report in it filed with a planted name, phone and
email, hidden with a photo of it: as an admin and as the officer of the agency handling it, who
may read it, it must show none of them (the scan's strangers are refused it). The report stays
out of `w.reports`: hidden, it is on no public map the scan waits for."""

from __future__ import annotations

from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import make_staff, road_report
from tests.complaints.http.test_photo_uploads import jpeg, post_photos
from tests.complaints.http.test_web_pages import staff_account
from tests.support.factories import auth, create_admin
from tests.support.serang import desa_points
from tests.support.web import web_login


def plant(platform, admin_token: str, w) -> None:
    audit_logs_show_nothing_planted(platform, admin_token, w)
    client = platform.client
    place = desa_points()[23]
    address = w.plant.email("area alert (POST /api/v1/alerts)")
    body = {"email": address, "categories": ["jalan-rusak"], "kecamatan": place["kecamatan_code"]}
    assert client.post("/api/v1/alerts", json=body).status_code == 202
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            code = conn.execute(
                text("SELECT confirm_code FROM alerts WHERE email = :e"), {"e": address}
            ).scalar_one()
    finally:
        engine.dispose()
    page = client.get("/pengaduan/peringatan/konfirmasi", query_string={"kode": code})
    assert page.status_code == 200
    filed = client.post("/api/v1/complaints", json=road_report(point=place))
    assert filed.status_code == 201, filed.get_json()
    hidden_lists_show_nothing_planted(platform, admin_token, w)


def audit_logs_show_nothing_planted(platform, admin_token: str, w) -> None:
    """Every planted report's audit log and verdict, read as an admin: nothing planted in them."""
    for public_id in w.reports:
        log = f"/api/v1/complaints/{public_id}/audit"
        for path in (log, f"{log}/verify"):
            response = platform.client.get(path, headers=auth(admin_token))
            assert response.status_code == 200, (path, response.get_json())
            shown = [s.label for s in w.plant.secrets if s.pattern.search(response.text)]
            assert not shown, f"GET {path} as an admin shows {shown}"
            if path == log:  # the filing is there: the scan read what it was meant to
                assert response.get_json()["entries"][0]["action"] == "submit", public_id


def hidden_lists_show_nothing_planted(platform, admin_token: str, w) -> None:
    """A report with planted contact details, hidden with its photo, read in the moderators'
    list and on its page as an admin and as the handling agency's officer: listed, with nothing
    planted shown."""
    client, where = platform.client, "hidden report (API, then hidden with its photo)"
    citizen = w.people["citizen"]["token"]
    body = road_report(point=desa_points()[29]) | w.plant.contact(where)
    filed = client.post("/api/v1/complaints", json=body, headers=auth(citizen))
    assert filed.status_code == 201, filed.get_json()
    public_id = filed.get_json()["public_id"]
    added = post_photos(client, public_id, citizen, jpeg())
    assert added.status_code == 201, added.get_json()
    moderation = f"/api/v1/complaints/{public_id}/moderation"
    for change in ({"photo_id": added.get_json()["photos"][0]["id"]}, {}):
        hide = {"action": "hide", "reason": "Memuat data pribadi warga."} | change
        assert client.post(moderation, json=hide, headers=auth(admin_token)).status_code == 200
    officer = make_staff(client, admin_token, "officer", "DPUPR")
    for who, token in (("an admin", admin_token), ("DPUPR's officer", officer)):
        answer = client.get("/api/v1/complaints/hidden?per_page=100", headers=auth(token))
        assert answer.status_code == 200, (who, answer.get_json())
        assert public_id in [item["public_id"] for item in answer.get_json()["items"]], who
        shown = [s.label for s in w.plant.secrets if s.pattern.search(answer.text)]
        assert not shown, f"GET /api/v1/complaints/hidden as {who} shows {shown}"
    readers = {
        "an admin": create_admin(platform.config["ACCOUNTS_DATABASE_URL"]),
        "DPUPR's officer": staff_account(client, admin_token, "DPUPR"),
    }
    for who, email in readers.items():
        browser = platform.client
        web_login(browser, email)
        page = browser.get("/staf/pengaduan/disembunyikan")
        assert page.status_code == 200 and public_id in page.text, who
        shown = [s.label for s in w.plant.secrets if s.pattern.search(page.text)]
        assert not shown, f"GET /staf/pengaduan/disembunyikan as {who} shows {shown}"
