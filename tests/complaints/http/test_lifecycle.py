"""Staff move a report through its lifecycle; the reporter and the public follow it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import file_report, road_report, wait_for_feedback_asks
from tests.support.factories import auth
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until


def act(client, token, public_id, action, **extra):
    return client.post(
        f"/api/v1/complaints/{public_id}/transitions",
        json={"action": action, **extra},
        headers=auth(token),
    )


def test_public_works_takes_a_report_from_submitted_to_closed(client, citizen, dpupr):
    public_id = file_report(client, citizen["token"])["public_id"]
    for action in ("verify", "forward", "start", "resolve", "close"):
        response = act(client, dpupr, public_id, action, note=f"catatan {action}")
        assert response.status_code == 200, (action, response.get_json())
    report = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert report["status"] == "closed"
    assert [e["to_status"] for e in report["timeline"]] == [
        "submitted",
        "verified",
        "forwarded",
        "in_progress",
        "resolved",
        "closed",
    ]
    assert {e["actor"] for e in report["timeline"][1:]} == {"DPUPR"}  # staff shown as their agency
    assert "Staf DPUPR" not in str(report)


def test_officer_of_another_agency_cannot_touch_the_report(client, citizen, dishub, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        response = act(client, dishub, public_id, "verify")
        assert response.status_code == 403
    assert client.get(f"/api/v1/complaints/{public_id}").get_json()["status"] == "submitted"


def test_citizen_cannot_take_staff_actions_even_on_their_own_report(client, citizen, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        assert act(client, citizen["token"], public_id, "verify").status_code == 403


@pytest.mark.parametrize("action", ["start", "resolve", "close", "reopen"])
def test_steps_out_of_order_are_409_and_change_nothing(client, citizen, dpupr, action, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    token = citizen["token"] if action == "reopen" else dpupr
    with nothing_written(platform, "complaints"):
        response = act(client, token, public_id, action, note="alasan")
        assert response.status_code == 409
    assert client.get(f"/api/v1/complaints/{public_id}").get_json()["status"] == "submitted"


def test_reject_needs_a_reason(client, citizen, dpupr, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        assert act(client, dpupr, public_id, "reject").status_code == 422
    rejected = act(
        client, dpupr, public_id, "reject", note="Bukan kewenangan kabupaten (jalan nasional)."
    )
    assert rejected.status_code == 200
    assert rejected.get_json()["status_note"].startswith("Bukan kewenangan")


def test_reporter_reopens_a_resolved_report_within_14_days(client, citizen, dpupr, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    for action in ("verify", "forward", "start", "resolve"):
        assert act(client, dpupr, public_id, action).status_code == 200
    # its question's token is made only while the report is resolved: let it come before the
    # reopen, so that each resolution below has made exactly one
    wait_for_feedback_asks(platform, public_id, resolutions=1)
    reopened = act(
        client, citizen["token"], public_id, "reopen", note="Masih berlubang di ujung jalan."
    )
    assert reopened.status_code == 200
    assert reopened.get_json()["status"] == "forwarded"

    assert act(client, dpupr, public_id, "start").status_code == 200
    assert act(client, dpupr, public_id, "resolve").status_code == 200
    wait_for_feedback_asks(platform, public_id, resolutions=2)
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE reports SET resolved_at = :at WHERE public_id = :id"),
            {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=15), "id": public_id},
        )
    engine.dispose()
    with nothing_written(platform, "complaints"):
        late = act(client, citizen["token"], public_id, "reopen", note="Rusak lagi.")
        assert late.status_code == 409


def test_agency_queue_shows_only_its_reports_with_the_overdue_on_top(
    client, citizen, dpupr, platform
):
    late_id = file_report(client, citizen["token"])["public_id"]
    fresh_id = file_report(client, citizen["token"])["public_id"]
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE reports SET due_at = :due WHERE public_id = :id"),
            {"due": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=2), "id": late_id},
        )
    engine.dispose()
    queue = client.get("/api/v1/complaints/queue?per_page=100", headers=auth(dpupr)).get_json()
    ids = [r["public_id"] for r in queue["items"]]
    assert ids.index(late_id) < ids.index(fresh_id)
    assert queue["items"][0]["overdue"] is True
    assert all(r["agency"] == "DPUPR" for r in queue["items"])
    overdue_only = client.get(
        "/api/v1/complaints/queue?overdue=true", headers=auth(dpupr)
    ).get_json()
    assert late_id in [r["public_id"] for r in overdue_only["items"]]
    assert fresh_id not in [r["public_id"] for r in overdue_only["items"]]


def test_citizens_have_no_queue(client, citizen):
    assert client.get("/api/v1/complaints/queue", headers=auth(citizen["token"])).status_code == 403


def test_nearby_open_report_is_offered_before_filing_and_can_be_supported(
    client, citizen, platform
):
    from tests.support.factories import login, register_citizen

    first = file_report(client, citizen["token"])
    near = {"lat": first["lat"] + 0.0002, "lon": first["lon"]}  # ~22 m north
    neighbour = login(client, register_citizen(client)["email"])

    def offered():
        response = client.post(
            "/api/v1/complaints",
            json=road_report(point=near, ignore_duplicates=False),
            headers=auth(neighbour),
        )
        return response if response.status_code == 409 else None

    wait_until(offered, timeout=10)
    with nothing_written(platform, "complaints"):  # offered, not filed
        response = offered()
    candidates = response.get_json()["duplicates"]
    assert candidates[0]["public_id"] == first["public_id"]
    assert 0 < candidates[0]["distance_m"] < 50

    supported = client.post(
        f"/api/v1/complaints/{first['public_id']}/support", headers=auth(neighbour)
    )
    assert supported.get_json() == {
        "public_id": first["public_id"],
        "supporters": 1,
        "added": True,
        "notify": False,  # no status emails unless asked for (?notify=true)
    }
    again = client.post(f"/api/v1/complaints/{first['public_id']}/support", headers=auth(neighbour))
    assert again.get_json()["supporters"] == 1 and again.get_json()["added"] is False
    assert client.get(f"/api/v1/complaints/{first['public_id']}").get_json()["supporters"] == 1


def test_staff_merge_a_duplicate_into_the_original(client, citizen, dpupr, platform):
    original = file_report(client, citizen["token"])
    copy = file_report(
        client, citizen["token"], point={"lat": original["lat"], "lon": original["lon"]}
    )
    merged = act(
        client, dpupr, copy["public_id"], "mark_duplicate", duplicate_of=original["public_id"]
    )
    assert merged.status_code == 200
    assert merged.get_json()["status"] == "duplicate"
    assert merged.get_json()["duplicate_of"] == original["public_id"]
    assert client.get(f"/api/v1/complaints/{original['public_id']}").get_json()["supporters"] == 1
    with nothing_written(platform, "complaints"):
        self_merge = act(
            client,
            dpupr,
            original["public_id"],
            "mark_duplicate",
            duplicate_of=original["public_id"],
        )
        assert self_merge.status_code == 422


def lamp_report(point):
    return {
        "category": "lampu-jalan",  # Dinas Perhubungan's
        "attributes": {"jumlah_lampu_mati": 3},
        "point": point,
    }


def bridge_report(point):
    return {
        "category": "jembatan-rusak",  # Public Works' too, another category
        "attributes": {"tingkat_kerusakan": "berat"},
        "point": point,
    }


@pytest.mark.parametrize(
    "other", [lamp_report, bridge_report], ids=["other-agency", "other-category"]
)
def test_a_report_is_a_duplicate_only_of_one_of_its_agency_and_category(
    client, citizen, dpupr, other, platform
):
    road = file_report(client, citizen["token"])
    target = file_report(
        client, citizen["token"], **other({"lat": road["lat"], "lon": road["lon"]})
    )

    with nothing_written(platform, "complaints"):
        response = act(
            client, dpupr, road["public_id"], "mark_duplicate", duplicate_of=target["public_id"]
        )
        assert response.status_code == 422
    assert target["public_id"] in response.get_json()["errors"]["duplicate_of"][0]
    after = client.get(f"/api/v1/complaints/{road['public_id']}").get_json()
    assert after["status"] == "submitted" and after.get("duplicate_of") is None
    assert len(after["timeline"]) == 1
    untouched = client.get(f"/api/v1/complaints/{target['public_id']}").get_json()
    assert untouched["supporters"] == 0 and untouched["status"] == "submitted"
