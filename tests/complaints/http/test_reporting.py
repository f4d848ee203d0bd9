"""A citizen reports a damaged road through the gateway; the real services place, route and store it."""

import io
import re

import pytest
from PIL import Image

from tests.complaints.conftest import file_report, fresh_point, road_report
from tests.support.factories import auth
from tests.support.serang import JAVA_SEA, KOTA_SERANG, desa_in
from tests.support.snapshots import files_unchanged, nothing_written, table_rows


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (90, 90, 90))
    exif = Image.Exif()
    exif[0x010F] = "HP Warga"
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 11.0), 3: "E", 4: (106.0, 9.0, 1.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_categories_name_their_agency_and_attributes(client):
    categories = {c["code"]: c for c in client.get("/api/v1/complaints/categories").get_json()}
    assert {"jalan-rusak", "jembatan-rusak", "drainase-banjir", "lampu-jalan", "lainnya"} <= set(
        categories
    )
    road = categories["jalan-rusak"]
    assert road["agency_code"] == "DPUPR" and road["name"] == "Jalan rusak"
    assert {a["code"] for a in road["attributes"]} == {
        "panjang_kerusakan_m",
        "tingkat_kerusakan",
        "jenis_jalan",
    }


def test_citizen_reports_a_broken_road_and_public_works_gets_it(client, citizen):
    point = desa_in("36.04.15")  # a desa of Kecamatan Cikande
    report = file_report(client, citizen["token"], point=point)
    assert re.fullmatch(r"SRG-\d{4}-\d{6}", report["public_id"])
    assert report["agency"] == "DPUPR"
    assert report["unit"] == "UPT Jalan dan Jembatan Wilayah III (Timur)"
    assert report["kecamatan_code"] == "36.04.15"
    assert report["status"] == "submitted" and report["due_at"]
    assert report["attributes"]["panjang_kerusakan_m"] == 2000
    assert report["timeline"][0]["actor"] == "Pelapor"

    mine = client.get("/api/v1/complaints/mine", headers=auth(citizen["token"])).get_json()
    assert report["public_id"] in [r["public_id"] for r in mine["items"]]


def test_another_citizen_sees_only_public_fields(client, citizen):
    from tests.support.factories import login, register_citizen

    report = file_report(client, citizen["token"], contact_phone="+62 812 1111 2222")
    other = login(client, register_citizen(client)["email"])
    for headers in ({}, auth(other)):
        seen = client.get(f"/api/v1/complaints/{report['public_id']}", headers=headers).get_json()
        assert seen["description"] == report["description"]
        for private in (
            "contact_email",
            "contact_phone",
            "contact_name",
            "token",
            "reporter_user_id",
        ):
            assert private not in seen


def test_anonymous_report_keeps_its_contact_email_private(client):
    report = file_report(client, contact_email="anonim@example.id")
    assert report["contact_email"] == "anonim@example.id"  # echoed to the reporter once
    public = client.get(f"/api/v1/complaints/{report['public_id']}").get_json()
    assert "contact_email" not in public
    listing = client.get("/api/v1/complaints?per_page=100").get_data(as_text=True)
    assert "anonim@example.id" not in listing


@pytest.mark.parametrize("where", [KOTA_SERANG, JAVA_SEA], ids=["kota-serang", "java-sea"])
def test_location_outside_the_regency_is_refused(client, where, platform):
    with nothing_written(platform, "complaints"):
        response = client.post(
            "/api/v1/complaints", json=road_report(point={"lat": where[0], "lon": where[1]})
        )
    problem = response.get_json()
    assert response.status_code == 422
    assert "Kabupaten Serang" in problem["detail"]
    assert "lat" in problem["errors"]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"lat": 123.0}, 422, "lat"),
        ({"lat": "NaN"}, 422, "lat"),
        ({"lat": None}, 422, "lat"),
        ({"category": "tidak-ada"}, 404, "category"),
        (
            {"attributes": {"tingkat_kerusakan": "berat", "jenis_jalan": "desa"}},
            422,
            "attribute[panjang_kerusakan_m]",
        ),
        ({"description": "x" * 4001}, 422, "description"),
        ({"address": "y" * 301}, 422, "address"),
        ({"reporter_user_id": 1}, 422, "reporter_user_id"),
    ],
)
def test_bad_reports_get_a_clear_error_naming_the_field(client, change, status, field, platform):
    with nothing_written(platform, "complaints"):
        response = client.post("/api/v1/complaints", json=road_report() | change)
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["errors"]


def test_photo_is_stored_without_exif_and_served_publicly(client, citizen):
    report = file_report(client, citizen["token"])
    upload = client.post(
        f"/api/v1/complaints/{report['public_id']}/photos",
        data={"photos": (io.BytesIO(jpeg_with_gps()), "jalan.jpg")},
        headers=auth(citizen["token"]),
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_json()
    photo_url = upload.get_json()["photos"][0]["url"]
    served = client.get(photo_url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert not Image.open(io.BytesIO(served.data)).getexif()


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ((b"%PDF-1.4 not an image", "foto.jpg"), 415),
        ((b"MZ\x90\x00" * 10, "jalan.png"), 415),
        ((b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 10), "besar.jpg"), 413),
    ],
    ids=["pdf-named-jpg", "executable-named-png", "over-5-mib"],
)
def test_files_that_are_not_images_or_too_large_are_refused(
    client, citizen, payload, status, platform, blob_root
):
    report = file_report(client, citizen["token"])
    with nothing_written(platform, "complaints"), files_unchanged(blob_root):
        response = client.post(
            f"/api/v1/complaints/{report['public_id']}/photos",
            data={"photos": (io.BytesIO(payload[0]), payload[1])},
            headers=auth(citizen["token"]),
            content_type="multipart/form-data",
        )
    assert response.status_code == status
    assert client.get(f"/api/v1/complaints/{report['public_id']}").get_json()["photos"] == []


def test_someone_else_cannot_add_photos_to_my_report(client, citizen, platform, blob_root):
    from tests.support.factories import login, register_citizen

    report = file_report(client, citizen["token"])
    stranger = login(client, register_citizen(client)["email"])
    with nothing_written(platform, "complaints"), files_unchanged(blob_root):
        response = client.post(
            f"/api/v1/complaints/{report['public_id']}/photos",
            data={"photos": (io.BytesIO(jpeg_with_gps()), "x.jpg")},
            headers=auth(stranger),
            content_type="multipart/form-data",
        )
        assert response.status_code == 403


def test_forged_or_unknown_report_ids_are_404(client):
    assert client.get("/api/v1/complaints/SRG-2026-999999").status_code == 404
    assert client.get("/api/v1/complaints/../../etc/passwd").status_code == 404
    assert client.get("/api/v1/complaints/1%20OR%201=1").status_code == 404


def test_public_listing_filters_by_bbox_category_and_kecamatan(client, citizen):
    point = desa_in("36.04.30")  # Anyar
    report = file_report(client, citizen["token"], point=point)
    bbox = f"{point['lon'] - 0.001},{point['lat'] - 0.001},{point['lon'] + 0.001},{point['lat'] + 0.001}"
    found = client.get(
        f"/api/v1/complaints?bbox={bbox}&category=jalan-rusak&kecamatan=36.04.30"
    ).get_json()
    assert report["public_id"] in [r["public_id"] for r in found["items"]]
    assert all(r["kecamatan_code"] == "36.04.30" for r in found["items"])
    bad = client.get("/api/v1/complaints?bbox=10,10,5,5&status=melayang")
    assert bad.status_code == 400 and {"bbox", "status"} <= set(bad.get_json()["errors"])


def test_a_burst_of_reports_from_one_client_is_rate_limited_without_losing_earlier_ones(
    client, citizen, platform
):
    filed, statuses = [], []
    for _ in range(12):
        response = client.post(
            "/api/v1/complaints", json=road_report(), headers=auth(citizen["token"])
        )
        statuses.append(response.status_code)
        if response.status_code == 201:
            filed.append(response.get_json()["public_id"])
    assert statuses == [201] * 10 + [429] * 2  # COMPLAINTS_RATE_LIMIT: 10 per window
    assert all(client.get(f"/api/v1/complaints/{pid}").status_code == 200 for pid in filed)
    [reports] = table_rows(platform.config["COMPLAINTS_DATABASE_URL"], "reports").values()
    stored = [r["public_id"] for r in reports if r["reporter_user_id"] == citizen["id"]]
    assert sorted(stored) == sorted(filed) and len(set(filed)) == 10  # the refused stored nothing


def test_point_fixture_is_inside(client):
    point = fresh_point()
    located = client.get(f"/api/v1/gis/locate?lat={point['lat']}&lon={point['lon']}").get_json()
    assert located["inside"] is True
