"""Kartu Kuning through the gateway, every service on the real bus: a citizen applies, a
DISNAKER officer decides, the card is printed, verified by anyone and reported on; refusals
change nothing; no personal data in public answers or events."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from nameko.events import event_handler
from nameko.runners import ServiceRunner

from gateway.blobs import keys_over_rpc
from services.jobcards.contract import APPROVED_EVENT, CLOSED_EVENT, REPORTED_EVENT, SUBMITTED_EVENT
from tests.jobcards.support import (
    BASE,
    PDF,
    application_body,
    complete,
    png,
    staff,
    submitted,
    upload,
)
from tests.support.factories import auth, login, register_citizen
from tests.support.snapshots import nothing_written
from tests.support.waiting import wait_until

HEARD: list = []


class Listener:
    """Another app on the bus (the leaders' dashboard, say), hearing Kartu Kuning's events."""

    name = "jobcards_listener"

    @event_handler("jobcards", SUBMITTED_EVENT.split(".", 1)[1])
    def submitted(self, payload):
        HEARD.append(("submitted", payload))

    @event_handler("jobcards", APPROVED_EVENT.split(".", 1)[1])
    def approved(self, payload):
        HEARD.append(("approved", payload))

    @event_handler("jobcards", REPORTED_EVENT.split(".", 1)[1])
    def reported(self, payload):
        HEARD.append(("reported", payload))

    @event_handler("jobcards", CLOSED_EVENT.split(".", 1)[1])
    def closed(self, payload):
        HEARD.append(("closed", payload))


@pytest.fixture(scope="module")
def platform(platform):
    listener = ServiceRunner(platform.config)
    listener.add_service(Listener)
    listener.start()
    yield platform
    listener.stop()


@pytest.fixture(scope="module")
def officer(platform, admin_token):
    return staff(platform.client, admin_token, "officer", "DISNAKER")


@pytest.fixture(scope="module")
def other_officer(platform, admin_token):
    return staff(platform.client, admin_token, "officer", "DPUPR")


@pytest.fixture
def citizen(client):
    person = register_citizen(client)
    return {"id": person["id"], "token": login(client, person["email"])}


def act(client, token, application_id, action, note=None):
    body = {"action": action, "note": note}
    return client.post(f"{BASE}/{application_id}/transitions", json=body, headers=auth(token))


def inbox_texts(client, token) -> str:
    return str(client.get("/api/v1/inbox", headers=auth(token)).get_json())


def test_apply_return_resubmit_approve_print_verify_and_report(client, citizen, officer):
    token = citizen["token"]
    application = submitted(client, token)
    assert application["status"] == "submitted" and application["missing_documents"] == []
    assert application["desa_name"] and application["kecamatan_name"]

    queue = client.get(f"{BASE}/queue", headers=auth(officer)).get_json()
    assert application["id"] in [a["id"] for a in queue["items"]]
    ids = [a["id"] for a in queue["items"]]
    assert ids == sorted(ids)  # oldest first

    returned = act(client, officer, application["id"], "return", "Pas foto kurang jelas.")
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    assert wait_until(lambda: "kurang jelas" in inbox_texts(client, token), timeout=20)
    fixed = upload(client, token, application["id"], "pas_foto", png((1, 2, 3)), "baru.png")
    assert fixed.status_code == 201
    assert len([d for d in fixed.get_json()["documents"] if d["type"] == "pas_foto"]) == 1
    again = client.post(f"{BASE}/{application['id']}/submit", headers=auth(token))
    assert again.status_code == 200 and again.get_json()["status"] == "submitted"

    approved = act(client, officer, application["id"], "approve")
    assert approved.status_code == 200, approved.get_json()
    card = approved.get_json()
    year = date.today().year
    assert re.fullmatch(rf"AK1-3604-{year}-\d{{6}}", card["card_number"])
    issued, until = date.fromisoformat(card["issued_on"]), date.fromisoformat(card["valid_until"])
    assert (until.year - issued.year, until.month) == (2, issued.month)
    assert wait_until(lambda: card["card_number"] in inbox_texts(client, token), timeout=20)

    pdf = client.get(f"{BASE}/{application['id']}/card.pdf", headers=auth(token))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    size = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.data)
    width, height = (float(v) * 25.4 / 72 for v in size.groups())
    assert round(width, 1) == 85.6 and round(height, 1) == 54.0  # ID-1

    public = client.get(f"{BASE}/verify/{card['card_number']}").get_json()
    assert public == {
        "card_number": card["card_number"],
        "state": "valid",
        "state_label": "Berlaku",
        "initials": "B. S.",
        "issued_on": card["issued_on"],
        "valid_until": card["valid_until"],
    }
    page = client.get(f"/kartu-kuning/cek/{card['card_number']}")
    assert page.status_code == 200 and "B. S." in page.get_data(as_text=True)
    body = application_body()
    for secret in (card["nik"], card["phone"], "Budi Santoso", body["address"]):
        assert secret not in str(public) and secret not in page.get_data(as_text=True)

    still = client.post(
        f"{BASE}/{application['id']}/reports", json={"status": "still_looking"}, headers=auth(token)
    )
    assert still.status_code == 201 and still.get_json()["status"] == "approved"
    assert still.get_json()["report_due"] > card["report_due"] or card["report_due"]
    employed = client.post(
        f"{BASE}/{application['id']}/reports",
        json={"status": "employed", "employer": "PT Krakatau", "employed_on": str(date.today())},
        headers=auth(token),
    )
    assert employed.status_code == 201 and employed.get_json()["status"] == "closed"
    assert client.get(f"{BASE}/verify/{card['card_number']}").get_json()["state"] == "closed"
    assert (
        client.get(f"{BASE}/{application['id']}/card.pdf", headers=auth(token)).status_code == 409
    )

    def heard(kind):
        return [p for k, p in HEARD if k == kind and p["application_id"] == application["id"]]

    assert wait_until(
        lambda: heard("closed") and heard("approved") and heard("reported"), timeout=20
    )
    for _, payload in HEARD:
        text = str(payload)
        assert card["nik"] not in text and card["phone"] not in text and "Budi" not in text


def test_two_officers_at_once_one_wins_the_other_gets_409(
    platform, client, citizen, officer, admin_token
):
    second = staff(client, admin_token, "officer", "DISNAKER")
    application = submitted(client, citizen["token"])

    def decide(token_action):
        token, action = token_action
        with platform.app.test_client() as own:
            return act(own, token, application["id"], action, "Alasan.").status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(decide, [(officer, "approve"), (second, "reject")]))
    assert codes == [200, 409]
    final = client.get(f"{BASE}/{application['id']}", headers=auth(officer)).get_json()
    assert final["status"] in ("approved", "rejected")


def test_bad_input_is_named(client, citizen):
    token = citizen["token"]
    cases = {
        "nik": {"nik": "123"},
        "birth_date": {"birth_date": "1999-04-13"},  # not the NIK's
        "gender": {"gender": "P"},  # the NIK says L
        "desa_code": {"desa_code": "36.04.99.9999"},
        "lat": {"desa_code": None, "lat": -6.12, "lon": 106.15},  # Kota Serang, not the regency
        "education_level": {"education_level": "tk"},
    }
    for field, change in cases.items():
        response = client.post(BASE, json=application_body() | change, headers=auth(token))
        assert response.status_code == 422, (field, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"], (field, response.get_json())
    young = date(date.today().year - 17, 1, 15)
    too_young = client.post(BASE, json=application_body(born=young), headers=auth(token))
    assert too_young.status_code == 422 and "birth_date" in too_young.get_json()["errors"]
    located = client.post(
        BASE,
        json=application_body(desa_code=None, lat=-6.0653, lon=106.119),
        headers=auth(token),
    )
    assert located.status_code == 201 and located.get_json()["desa_code"].startswith("36.04.")
    draft = located.get_json()["id"]
    early = client.post(f"{BASE}/{draft}/submit", headers=auth(token))
    assert early.status_code == 422 and "documents" in early.get_json()["errors"]
    kind = upload(client, token, draft, "sertifikat", PDF, "x.pdf")
    assert kind.status_code == 422 and "type" in kind.get_json()["errors"]
    photo_pdf = upload(client, token, draft, "pas_foto", PDF, "foto.pdf")
    assert photo_pdf.status_code == 415
    report = client.post(
        f"{BASE}/{draft}/reports", json={"status": "employed"}, headers=auth(token)
    )
    assert report.status_code == 422 and "employer" in report.get_json()["errors"]
    note = client.post(
        f"{BASE}/{draft}/transitions", json={"action": "reject"}, headers=auth(token)
    )
    assert note.status_code == 422 and "note" in note.get_json()["errors"]


def test_refusals_change_nothing(platform, client, citizen, officer, other_officer):
    application = complete(client, citizen["token"])
    stranger = login(client, register_citizen(client)["email"])
    path = f"{BASE}/{application['id']}"
    with nothing_written(platform, "jobcards"):
        assert client.get(path, headers=auth(stranger)).status_code == 404
        assert client.post(f"{path}/submit", headers=auth(stranger)).status_code == 404
        assert upload(client, stranger, application["id"], "ktp", PDF, "k.pdf").status_code == 404
        assert client.get(f"{path}/card.pdf", headers=auth(stranger)).status_code == 404
        assert client.get(path, headers=auth(other_officer)).status_code == 404
        assert act(client, other_officer, application["id"], "approve").status_code == 403
        assert client.get(f"{BASE}/queue", headers=auth(other_officer)).status_code == 403
        assert client.get(f"{BASE}/queue", headers=auth(citizen["token"])).status_code == 403
        assert act(client, citizen["token"], application["id"], "approve").status_code == 403
        # not submitted yet: nothing to decide
        assert act(client, officer, application["id"], "approve").status_code == 409
        assert client.post(f"{path}/submit", headers=auth(officer)).status_code == 403
        assert client.get(path).status_code == 401
    assert client.get(path, headers=auth(officer)).get_json()["status"] == "draft"


def test_verify_unknown_and_figures(client, citizen, officer, admin_token):
    unknown = client.get(f"{BASE}/verify/AK1-3604-1999-000000").get_json()
    assert unknown["state"] == "unknown" and unknown["initials"] is None
    junk = client.get(f"{BASE}/verify/bukan-nomor").get_json()
    assert junk["state"] == "unknown"
    before = client.get(f"{BASE}/figures", headers=auth(officer)).get_json()["totals"]
    application = submitted(client, citizen["token"], gender="P")
    assert act(client, officer, application["id"], "approve").status_code == 200
    after = client.get(f"{BASE}/figures", headers=auth(admin_token)).get_json()
    assert after["totals"]["issued"] == before["issued"] + 1
    assert after["totals"]["active"] == before["active"] + 1
    assert any(r["key"] == "P" and r["issued"] >= 1 for r in after["by_gender"])
    assert any(r["key"] == "smk" for r in after["by_education"])
    assert any(r["key"] == "36.04.05" for r in after["by_kecamatan"])
    assert any(r["key"] == date.today().strftime("%Y-%m") for r in after["by_month"])
    assert client.get(f"{BASE}/figures", headers=auth(citizen["token"])).status_code == 403
    assert client.get(f"{BASE}/figures?year=1800", headers=auth(officer)).status_code == 400
    mine = client.get(f"{BASE}/mine", headers=auth(citizen["token"])).get_json()
    assert mine["total"] == 1 and mine["items"][0]["card_number"]
    # a holder of an active card does not apply again
    again = client.post(BASE, json=application_body(), headers=auth(citizen["token"]))
    assert again.status_code == 409


def test_pages(client, citizen, officer):
    assert "jobcards" in str(client.get("/readyz").get_json())
    about = client.get("/kartu-kuning")
    assert about.status_code == 200 and "Kartu Kuning" in about.get_data(as_text=True)
    application = submitted(client, citizen["token"])
    client.set_cookie("gawe_sesi", officer)
    staf = client.get("/staf")
    assert staf.status_code == 200 and f"KK-{application['id']:06d}" in staf.get_data(as_text=True)
    assert act(client, officer, application["id"], "approve").status_code == 200
    client.set_cookie("gawe_sesi", citizen["token"])
    saya = client.get("/saya")
    assert saya.status_code == 200
    assert f"/kartu-kuning/{application['id']}/kartu.pdf" in saya.get_data(as_text=True)
    card = client.get(f"/kartu-kuning/{application['id']}/kartu.pdf")
    assert card.status_code == 200 and card.data.startswith(b"%PDF-")
    client.delete_cookie("gawe_sesi")
    assert client.get(f"/kartu-kuning/{application['id']}/kartu.pdf").status_code == 303


def test_the_blob_sweeper_knows_every_document_file(platform, client, citizen):
    application = complete(client, citizen["token"])
    root = platform.app.extensions["gawe_blobs"].root
    keys = keys_over_rpc(platform.app.extensions["gawe_rpc"])("jobcards")
    stored = {p.relative_to(root).as_posix() for p in (root / "jobcards").rglob("*.*")}
    assert len(application["documents"]) == 3
    assert keys and keys <= stored and all(key.startswith("jobcards/") for key in keys)
    assert len(keys) >= 3
