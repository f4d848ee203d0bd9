"""Area alerts' part of the personal-data scan (tests/security/test_personal_data.py): an
address planted into an alert, which is confirmed and then hears of a new report in its
kecamatan, so the confirmation, the alert event and its email all pass through the scan's
logs; every GET route is then called as a stranger and must show the address nowhere.

The private audit log (issue 17) of every report planted so far (signed in, anonymous, on the
web form, through Open311, each with planted contact details) is read as an admin, who may read
every one: none may show a planted value (the log keeps only a fingerprint of them)."""

from __future__ import annotations

from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import road_report
from tests.support.factories import auth
from tests.support.serang import desa_points


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
