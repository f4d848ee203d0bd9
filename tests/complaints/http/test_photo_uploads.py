"""Report photos through the gateway: checked, permitted, then stored; refused ones leave no
file behind; stored files are private; the sweeper removes files no report refers to."""

import io
import os
import re
import stat

import pytest
from PIL import Image

from gateway.blobs import main as blobs_command
from tests.complaints.conftest import file_report, stored_files
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.web import web_login


def jpeg(colour=(120, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, format="JPEG")
    return out.getvalue()


def post_photos(client, public_id, token, *files: bytes):
    return client.post(
        f"/api/v1/complaints/{public_id}/photos",
        data={"photos": [(io.BytesIO(data), f"foto{i}.jpg") for i, data in enumerate(files)]},
        headers=auth(token),
        content_type="multipart/form-data",
    )


def photos_of(client, public_id) -> list:
    return client.get(f"/api/v1/complaints/{public_id}").get_json()["photos"]


def test_a_photo_of_48_megapixels_is_refused_by_name_before_it_is_decoded(
    client, citizen, blob_root, platform
):
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 1-bit: a few KB on the wire
    report = file_report(client, citizen["token"])
    before = stored_files(blob_root)

    with nothing_written(platform, "complaints"):
        response = post_photos(
            client, report["public_id"], citizen["token"], jpeg(), out.getvalue()
        )

    problem = response.get_json()
    assert response.status_code == 422, problem
    assert "juta piksel" in problem["errors"]["photos[1]"][0]
    assert photos_of(client, report["public_id"]) == []
    assert stored_files(blob_root) == before


def test_a_photo_for_someone_elses_report_leaves_no_file(client, citizen, blob_root, platform):
    report = file_report(client, citizen["token"])
    stranger = login(client, register_citizen(client)["email"])
    before = stored_files(blob_root)

    with nothing_written(platform, "complaints"):
        response = post_photos(client, report["public_id"], stranger, jpeg((1, 2, 3)))

    assert response.status_code == 403
    assert photos_of(client, report["public_id"]) == []
    assert stored_files(blob_root) == before


def test_a_photo_for_a_report_that_does_not_exist_leaves_no_file(
    client, citizen, blob_root, platform
):
    before = stored_files(blob_root)

    with nothing_written(platform, "complaints"):
        response = post_photos(client, "SRG-2026-999999", citizen["token"], jpeg((4, 5, 6)))

    assert response.status_code == 404
    assert stored_files(blob_root) == before


def test_one_photo_too_many_leaves_no_file(client, citizen, blob_root, platform):
    report = file_report(client, citizen["token"])
    colours = [(10 * i, 20, 30) for i in range(5)]
    first = post_photos(client, report["public_id"], citizen["token"], *map(jpeg, colours[:3]))
    assert first.status_code == 201
    before = stored_files(blob_root)

    with nothing_written(platform, "complaints"):
        response = post_photos(client, report["public_id"], citizen["token"], *map(jpeg, colours))

    assert response.status_code == 422 and "photos" in response.get_json()["errors"]
    assert len(photos_of(client, report["public_id"])) == 3
    assert stored_files(blob_root) == before


def test_staff_of_another_agency_leave_no_file_from_their_desk(
    platform, client, citizen, dishub, blob_root
):
    report = file_report(client, citizen["token"])  # a road: Public Works' report
    browser = platform.client
    web_login(browser, client.get("/api/v1/me", headers=auth(dishub)).get_json()["email"])
    desk = browser.get(f"/staf/pengaduan/{report['public_id']}").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([0-9a-f]{64})"', desk).group(1)
    before = stored_files(blob_root)

    with nothing_written(platform, "complaints"):
        response = browser.post(
            f"/staf/pengaduan/{report['public_id']}/foto",
            data={"csrf": token, "photos": [(io.BytesIO(jpeg((7, 8, 9))), "tambal.jpg")]},
            content_type="multipart/form-data",
        )

    assert response.status_code == 403
    assert photos_of(client, report["public_id"]) == []
    assert stored_files(blob_root) == before


def test_stored_photos_are_readable_by_the_gateway_user_only(client, citizen, blob_root):
    report = file_report(client, citizen["token"])
    before = set(stored_files(blob_root))

    response = post_photos(client, report["public_id"], citizen["token"], jpeg((9, 9, 9)))
    assert response.status_code == 201
    new = set(stored_files(blob_root)) - before

    assert len(new) == 1
    path = blob_root / new.pop()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, blob_root):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_sweeper_deletes_old_files_no_report_refers_to(
    platform, client, citizen, blob_root, monkeypatch, capsys
):
    report = file_report(client, citizen["token"])
    response = post_photos(client, report["public_id"], citizen["token"], jpeg((50, 60, 70)))
    assert response.status_code == 201
    referenced = set(stored_files(blob_root))
    orphan = blob_root / "complaints" / "ab" / ("ab" * 32 + ".jpg")
    young = blob_root / "complaints" / "cd" / ("cd" * 32 + ".jpg")
    unknown = blob_root / "accounts" / "ef" / ("ef" * 32 + ".pdf")
    for path in (orphan, young, unknown):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"sisa unggahan")
    for path in [orphan, unknown, *(blob_root / key for key in referenced)]:
        os.utime(path, (1_000_000, 1_000_000))  # long past the grace period
    monkeypatch.setenv("AMQP_URI", platform.config["AMQP_URI"])
    monkeypatch.setenv("GAWE_BLOB_DIR", str(blob_root))

    # accounts stores no files and has no blob_keys RPC: as a service without it, it is skipped
    assert (
        blobs_command(["sweep", "--older-than", "3600", "--services", "complaints,accounts"]) == 0
    )

    assert not orphan.exists()
    assert young.exists()  # may be about to be recorded
    assert unknown.exists()  # a service that cannot tell which files are its own keeps all
    assert all((blob_root / key).exists() for key in referenced)
    assert len(photos_of(client, report["public_id"])) == 1
    summary = capsys.readouterr().out
    assert '"deleted": 1' in summary and "accounts has no blob_keys RPC" in summary


@pytest.mark.parametrize("older_than", ["-1", "soon"])
def test_the_sweeper_refuses_a_bad_grace_period(older_than):
    with pytest.raises(SystemExit):
        blobs_command(["sweep", "--older-than", older_than])
