"""Staff move a report elsewhere (issue 16): to another OPD's queue, out of the regency to the
government it belongs to (closed here, in public and in Open311), or into another category."""

from datetime import datetime

import pytest

from tests.complaints.conftest import file_report, make_staff
from tests.complaints.http.test_lifecycle import act
from tests.support.factories import auth
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def dlh(platform, admin):
    return make_staff(platform.client, admin, "officer", "DLH")


def queue_ids(client, token) -> list[str]:
    queue = client.get("/api/v1/complaints/queue?per_page=100", headers=auth(token)).get_json()
    return [r["public_id"] for r in queue["items"]]


def test_forwarding_to_another_opd_moves_the_report_to_its_queue_with_a_fresh_deadline(
    client, citizen, dpupr, dlh
):
    public_id = file_report(client, citizen["token"])["public_id"]
    for action in ("verify", "forward", "start"):
        assert act(client, dpupr, public_id, action).status_code == 200
    before = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert before["due_at"] is not None

    moved = act(
        client, dpupr, public_id, "forward", to_agency="DLH", note="Tumpukan sampah, bukan jalan."
    )
    assert moved.status_code == 200, moved.get_json()
    report = moved.get_json()
    assert (report["agency"], report["status"]) == ("DLH", "submitted")
    # the clock restarts: the new agency's verification deadline, counted from now
    assert datetime.fromisoformat(report["due_at"]) < datetime.fromisoformat(before["due_at"])
    assert report["overdue"] is False
    assert public_id not in queue_ids(client, dpupr)
    assert public_id in queue_ids(client, dlh)

    public = client.get(f"/api/v1/complaints/{public_id}").get_json()
    last = public["timeline"][-1]
    assert (last["action"], last["from_status"], last["to_status"]) == (
        "forward",
        "in_progress",
        "submitted",
    )
    assert last["actor"] == "DPUPR"
    assert "Dialihkan dari DPUPR ke DLH" in last["note"]
    assert "bukan jalan" in last["note"]
    assert "Dialihkan dari DPUPR ke DLH" in public["status_note"]

    # the old agency has let go; the new one handles it from the start
    assert act(client, dpupr, public_id, "verify").status_code == 403
    assert act(client, dlh, public_id, "verify").status_code == 200


def test_a_report_of_another_government_is_closed_naming_the_body_also_in_open311(
    client, citizen, dpupr
):
    public_id = file_report(client, citizen["token"])["public_id"]
    assert act(client, dpupr, public_id, "verify").status_code == 200
    sent = act(
        client, dpupr, public_id, "forward", to_agency="BPJN_BANTEN", note="Ruas jalan nasional."
    )
    assert sent.status_code == 200, sent.get_json()

    public = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert public["status"] == "forwarded_external"
    assert public["status_label"] == "Diteruskan ke instansi lain"
    assert public["forwarded_to"].startswith("Balai Pelaksanaan Jalan Nasional")
    assert public["due_at"] is None
    assert "Balai Pelaksanaan Jalan Nasional" in public["timeline"][-1]["note"]
    assert public_id not in queue_ids(client, dpupr)

    (request,) = client.get(f"/open311/v2/requests/{public_id}.json").get_json()
    assert request["status"] == "closed"
    assert "Balai Pelaksanaan Jalan Nasional" in request["status_notes"]
    closed = client.get(
        f"/open311/v2/requests.json?service_request_id={public_id}&status=closed"
    ).get_json()
    assert [r["status"] for r in closed] == ["closed"]

    # it is finished here: no step moves it again, the public map lets go of it
    with_note = {"note": "alasan"}
    assert act(client, dpupr, public_id, "forward", to_agency="DLH", **with_note).status_code == 409
    assert act(client, citizen["token"], public_id, "reopen", **with_note).status_code == 409
    wait_until(
        lambda: client.get(f"/gis/collections/complaints/items/{public_id}").status_code == 404,
        timeout=15,
    )


@pytest.mark.parametrize("who", ["dishub", "citizen", "dlh"])
def test_only_staff_of_the_agency_holding_the_report_move_it(
    client, citizen, dishub, dlh, platform, who
):
    public_id = file_report(client, citizen["token"])["public_id"]
    token = {"dishub": dishub, "dlh": dlh, "citizen": citizen["token"]}[who]
    with nothing_written(platform, "complaints"):
        assert act(client, token, public_id, "forward", to_agency="DLH").status_code == 403
        assert act(client, token, public_id, "forward", to_agency="KOTA_SERANG").status_code == 403
        assert (
            act(client, token, public_id, "recategorise", category="jembatan-rusak").status_code
            == 403
        )
    assert client.post(
        f"/api/v1/complaints/{public_id}/transitions",
        json={"action": "forward", "to_agency": "DLH"},
    ).status_code in (401, 403)
    assert client.get(f"/api/v1/complaints/{public_id}").get_json()["agency"] == "DPUPR"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "forward", "to_agency": "DINAS_ENTAH"}, "to_agency"),
        ({"action": "forward", "to_agency": "DPUPR"}, "to_agency"),
        ({"action": "forward", "to_agency": "X" * 40}, "to_agency"),
        ({"action": "recategorise"}, "category"),
        ({"action": "recategorise", "category": "tidak-ada"}, "category"),
        ({"action": "recategorise", "category": "jalan-rusak"}, "category"),
    ],
)
def test_a_wrong_destination_is_named(client, citizen, dpupr, platform, body, field):
    public_id = file_report(client, citizen["token"])["public_id"]
    with nothing_written(platform, "complaints"):
        response = client.post(
            f"/api/v1/complaints/{public_id}/transitions", json=body, headers=auth(dpupr)
        )
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]


def test_staff_change_the_category_and_the_timeline_says_so(client, citizen, dpupr):
    public_id = file_report(client, citizen["token"])["public_id"]
    changed = act(
        client, dpupr, public_id, "recategorise", category="jembatan-rusak", note="Ini jembatan."
    )
    assert changed.status_code == 200, changed.get_json()
    report = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert (report["category"], report["category_name"]) == ("jembatan-rusak", "Jembatan rusak")
    assert (report["status"], report["agency"]) == ("submitted", "DPUPR")
    last = report["timeline"][-1]
    assert last["action"] == "recategorise"
    assert "dari Jalan rusak ke Jembatan rusak" in last["note"]

    def on_the_map():
        found = client.get(f"/gis/collections/complaints/items/{public_id}")
        return found.status_code == 200 and found.get_json()["properties"]["category"] == (
            "jembatan-rusak"
        )

    wait_until(on_the_map, timeout=15)


def test_a_finished_report_is_not_moved(client, citizen, dpupr, platform):
    public_id = file_report(client, citizen["token"])["public_id"]
    assert act(client, dpupr, public_id, "reject", note="Bukan kerusakan.").status_code == 200
    with nothing_written(platform, "complaints"):
        assert act(client, dpupr, public_id, "forward", to_agency="DLH").status_code == 409
        assert (
            act(client, dpupr, public_id, "recategorise", category="jembatan-rusak").status_code
            == 409
        )
