"""Moderation (issue 16): admins and the handling agency hide a report or one of its photos with
a reason, and show it again. Hidden items vanish from every public list, page, map layer and
Open311 output; the reporter still sees theirs with the reason; the moderation is in the
timeline for staff only."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.complaints.conftest import file_report
from tests.complaints.http.test_photo_uploads import jpeg, post_photos
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until

REASON = "Foto memperlihatkan wajah warga dan pelat nomor kendaraan."


def moderate(client, token, public_id, **body):
    headers = auth(token) if token else {}
    return client.post(f"/api/v1/complaints/{public_id}/moderation", json=body, headers=headers)


def on_the_map(client, public_id) -> bool:
    return client.get(f"/gis/collections/complaints/items/{public_id}").status_code == 200


def public_ids(client, path: str, key: str = "public_id") -> list[str]:
    body = client.get(path).get_json()
    items = body["items"] if isinstance(body, dict) else body
    return [item[key] for item in items]


def test_a_hidden_report_leaves_every_public_output_but_its_reporter_and_agency_see_it(
    client, citizen, dpupr
):
    filed = file_report(client, citizen["token"])
    public_id = filed["public_id"]
    wait_until(lambda: on_the_map(client, public_id), timeout=15)
    feed = f"/pengaduan/feed.atom?kecamatan={filed['kecamatan_code']}"
    assert public_id in client.get(feed).get_data(as_text=True)
    hidden = moderate(client, dpupr, public_id, action="hide", reason=REASON)
    assert hidden.status_code == 200, hidden.get_json()
    assert hidden.get_json() | {"photos": []} == {
        "public_id": public_id,
        "hidden": True,
        "hidden_reason": REASON,
        "photos": [],
    }

    assert client.get(f"/api/v1/complaints/{public_id}").status_code == 404
    assert public_id not in public_ids(client, "/api/v1/complaints?per_page=100")
    assert client.get(f"/pengaduan/{public_id}").status_code == 404
    assert public_id not in client.get("/pengaduan").get_data(as_text=True)
    assert public_id not in client.get(feed).get_data(as_text=True)  # the area's Atom feed
    assert client.get(f"/open311/v2/requests/{public_id}.json").status_code == 404
    listed = f"/open311/v2/requests.json?service_request_id={public_id}"
    assert public_ids(client, listed, "service_request_id") == []
    start = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updates = f"/open311/v2/servicerequestupdates.json?start_date={start}"
    assert public_id not in public_ids(client, updates, "service_request_id")
    wait_until(lambda: not on_the_map(client, public_id), timeout=15)
    stranger = login(client, register_citizen(client)["email"])
    supported = client.post(f"/api/v1/complaints/{public_id}/support", headers=auth(stranger))
    assert supported.status_code == 404

    # the reporter sees theirs with the reason, without the staff's moderation entry
    own = client.get(f"/api/v1/complaints/{public_id}", headers=auth(citizen["token"])).get_json()
    assert own["hidden_reason"] == REASON
    assert all(e["action"] != "hide" for e in own["timeline"])
    mine = client.get("/api/v1/complaints/mine?per_page=100", headers=auth(citizen["token"]))
    assert public_id in [r["public_id"] for r in mine.get_json()["items"]]
    # the agency sees it, its queue keeps it, and the timeline tells staff who hid it and why
    staff = client.get(f"/api/v1/complaints/{public_id}", headers=auth(dpupr)).get_json()
    (entry,) = [e for e in staff["timeline"] if e["action"] == "hide"]
    assert entry["actor"] == "DPUPR" and REASON in entry["note"]
    queue = client.get("/api/v1/complaints/queue?per_page=100", headers=auth(dpupr)).get_json()
    assert public_id in [r["public_id"] for r in queue["items"]]

    shown = moderate(client, dpupr, public_id, action="show")
    assert shown.status_code == 200 and shown.get_json()["hidden"] is False
    assert client.get(f"/api/v1/complaints/{public_id}").status_code == 200
    assert public_id in public_ids(client, "/api/v1/complaints?per_page=100")
    wait_until(lambda: on_the_map(client, public_id), timeout=15)
    public = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert all(e["action"] not in ("hide", "show") for e in public["timeline"])
    assert REASON not in str(public)


def test_a_hidden_photo_leaves_the_public_report_but_not_the_reporters(client, citizen, admin):
    report = file_report(client, citizen["token"])
    public_id = report["public_id"]
    uploaded = post_photos(client, public_id, citizen["token"], jpeg(), jpeg((10, 200, 10)))
    assert uploaded.status_code == 201
    first, second = (p["id"] for p in uploaded.get_json()["photos"])

    hidden = moderate(client, admin, public_id, action="hide", photo_id=first, reason=REASON)
    assert hidden.status_code == 200, hidden.get_json()
    assert [p["hidden"] for p in hidden.get_json()["photos"]] == [True, False]

    public = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert [p["id"] for p in public["photos"]] == [second]
    assert REASON not in str(public)
    assert client.get(f"/api/v1/complaints/{public_id}/photos/{first}").status_code == 404
    assert client.get(f"/api/v1/complaints/{public_id}/photos/{second}").status_code == 200
    (request,) = client.get(f"/open311/v2/requests/{public_id}.json").get_json()
    assert request["media_url"].endswith(f"/photos/{second}")

    own = client.get(f"/api/v1/complaints/{public_id}", headers=auth(citizen["token"])).get_json()
    assert [(p["id"], p.get("hidden_reason")) for p in own["photos"]] == [
        (first, REASON),
        (second, None),
    ]
    photo = client.get(
        f"/api/v1/complaints/{public_id}/photos/{first}", headers=auth(citizen["token"])
    )
    assert photo.status_code == 200
    # the admin's moderation is in the timeline for staff, as "Admin"
    staff = client.get(f"/api/v1/complaints/{public_id}", headers=auth(admin)).get_json()
    assert [e["actor"] for e in staff["timeline"] if e["action"] == "hide_photo"] == ["Admin"]


@pytest.mark.parametrize("who", ["reporter", "other_citizen", "dishub", "anonymous"])
def test_only_admins_and_the_handling_agency_moderate(client, citizen, dishub, platform, who):
    public_id = file_report(client, citizen["token"])["public_id"]
    token = {
        "reporter": citizen["token"],
        "other_citizen": login(client, register_citizen(client)["email"]),
        "dishub": dishub,
        "anonymous": None,
    }[who]
    with nothing_written(platform, "complaints"):
        response = moderate(client, token, public_id, action="hide", reason=REASON)
    assert response.status_code in (401, 403, 404)
    assert client.get(f"/api/v1/complaints/{public_id}").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"action": "hide"}, 422, "reason"),
        ({"action": "hide", "reason": "   "}, 422, "reason"),
        ({"action": "hapus", "reason": REASON}, 422, "action"),
        ({"action": "hide", "reason": REASON, "photo_id": "satu"}, 422, "photo_id"),
        ({"action": "hide", "reason": REASON, "photo_id": 999999}, 404, "photo_id"),
        ({"action": "show"}, 409, "action"),
    ],
)
def test_wrong_moderations_are_named_and_change_nothing(
    client, citizen, dpupr, platform, body, status, field
):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        response = moderate(client, dpupr, public_id, **body)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]
