"""Area alerts' part of the personal-data scan (tests/security/test_personal_data.py): an
address planted into an alert, which is confirmed and then hears of a new report in its
kecamatan, so the confirmation, the alert event and its email all pass through the scan's
logs; every GET route is then called as a stranger and must show the address nowhere."""

from __future__ import annotations

from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import road_report
from tests.support.serang import desa_points


def plant(platform, admin_token: str, w) -> None:
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
