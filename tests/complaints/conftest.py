import itertools

import pytest
from sqlalchemy import text

from gateway.uploads import LocalBlobStore
from servicekit.database import make_engine
from tests.support.factories import (
    PASSWORD,
    auth,
    login,
    register_citizen,
    unique_email,
)
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

_points = itertools.count()


@pytest.fixture(scope="module")
def platform(platform, tmp_path_factory):
    """The shared platform, whose uploads go to a folder of this module (not var/blobs), to be
    counted."""
    platform.app.extensions["gawe_blobs"] = LocalBlobStore(tmp_path_factory.mktemp("blobs"))
    return platform


@pytest.fixture
def blob_root(platform):
    return platform.app.extensions["gawe_blobs"].root


def stored_files(root) -> list:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def make_staff(client, admin_token, role, agency):
    email = unique_email(f"{role}.{agency.lower()}")
    body = {
        "name": f"Staf {agency}",
        "email": email,
        "password": PASSWORD,
        "roles": [role],
        "agency": agency,
    }
    assert (
        client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token)).status_code == 201
    )
    return login(client, email)


@pytest.fixture(scope="module")
def dpupr(platform, admin):
    return make_staff(platform.client, admin, "officer", "DPUPR")


@pytest.fixture(scope="module")
def dishub(platform, admin):
    return make_staff(platform.client, admin, "officer", "DISHUB")


@pytest.fixture
def citizen(client):
    user = register_citizen(client)
    return user | {"token": login(client, user["email"])}


def fresh_point():
    """A desa centroid not used by another test of this run (so no accidental duplicates)."""
    desa = desa_points()
    return desa[(next(_points) * 37) % len(desa)]


def road_report(point=None, **overrides):
    point = point or fresh_point()
    return {
        "category": "jalan-rusak",
        "lat": point["lat"],
        "lon": point["lon"],
        "description": "Jalan desa rusak parah sepanjang sekitar 2 km, banyak lubang.",
        "attributes": {
            "panjang_kerusakan_m": 2000,
            "tingkat_kerusakan": "berat",
            "jenis_jalan": "desa",
        },
        "ignore_duplicates": True,
    } | overrides


def file_report(client, token=None, **overrides):
    headers = auth(token) if token else {}
    response = client.post("/api/v1/complaints", json=road_report(**overrides), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def wait_for_feedback_asks(platform, public_id: str, resolutions: int) -> None:
    """Wait until every resolution of the report (`resolutions` of them) has made the token of
    its "Sudah diperbaiki?" email (the notifications service asks complaints for it after the
    event, one token each, made only while the report is still resolved): a test that then
    checks that nothing is written must not see a late row. Counted, not timed: an earlier
    resolution's token may land after a later one's."""
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])

    def asked() -> int:
        with engine.begin() as conn:
            made = conn.execute(
                text(
                    "SELECT count(*) FROM feedback_tokens t JOIN reports r "
                    "ON r.id = t.report_id WHERE r.public_id = :id"
                ),
                {"id": public_id},
            ).scalar_one()
            return made >= resolutions

    try:
        wait_until(asked, timeout=30)
    finally:
        engine.dispose()
