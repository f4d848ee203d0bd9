"""A report's private audit log (issue 17): every change made to a report enters a hash-chained
log with who exactly made it and what the public timeline leaves out; Inspektorat's auditors
and admins read every report's, the agency handling a report its own, nobody else; a row
changed in the database breaks the chain at its seq; the reporter's contact details are in it
only as a fingerprint."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.complaints.audit import entry_hash
from services.complaints.demo import REPORTS, load_demo_reports
from tests.complaints.conftest import file_report, fresh_point, make_staff, wait_for_feedback_asks
from tests.complaints.http.test_feedback import links_of, token_of
from tests.complaints.http.test_lifecycle import act
from tests.complaints.http.test_moderation import moderate
from tests.complaints.http.test_photo_uploads import jpeg, post_photos
from tests.notifications.conftest import FAST
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.snapshots import nothing_written

CONTACT = {
    "contact_name": "Ujang Sastrawiguna",
    "contact_phone": "081377712345",
    "contact_email": "ujang.sastrawiguna@surel-pribadi.example.id",
}


@pytest.fixture(scope="module")
def platform_options(smtp):
    return {"service_config": {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST}}


def me(client, token: str) -> dict:
    found = client.get("/api/v1/me", headers=auth(token)).get_json()
    return {"id": found["id"], "token": token, "email": found["email"]}


@pytest.fixture(scope="module")
def people(platform, admin) -> dict:
    client = platform.client
    found = {
        name: me(client, make_staff(client, admin, role, agency))
        for name, role, agency in (
            ("dpupr", "officer", "DPUPR"),
            ("dlh", "verifier", "DLH"),
            ("dishub", "officer", "DISHUB"),
        )
    }
    body = {"name": "Auditor Inspektorat", "email": unique_email("inspektorat")}
    body |= {"password": PASSWORD, "roles": ["auditor"]}
    created = client.post("/api/v1/admin/staff", json=body, headers=auth(admin))
    assert created.status_code == 201, created.get_json()
    found["auditor"] = me(client, login(client, body["email"]))
    found["admin"] = me(client, admin)
    found["filer"] = reporter(client)  # files the reports whose reporter does not matter
    return found


def reporter(client) -> dict:
    user = register_citizen(client)
    return me(client, login(client, user["email"]))


def log_of(client, who: dict, public_id: str) -> list[dict]:
    response = client.get(f"/api/v1/complaints/{public_id}/audit", headers=auth(who["token"]))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["public_id"] == public_id
    assert body["head"] == (body["entries"][-1]["hash"] if body["entries"] else None)
    return body["entries"]


def verdict_of(client, who: dict, public_id: str) -> dict:
    response = client.get(
        f"/api/v1/complaints/{public_id}/audit/verify", headers=auth(who["token"])
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def db_rows(platform, sql: str, **params) -> list[dict]:
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def ok(response, status: int = 200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_every_change_enters_the_log_with_who_exactly_and_the_chain_verifies(
    client, smtp, people, platform
):
    citizen = reporter(client)
    dpupr, dlh, admin, auditor = (people[k] for k in ("dpupr", "dlh", "admin", "auditor"))
    public_id = file_report(client, citizen["token"], **CONTACT)["public_id"]
    ok(post_photos(client, public_id, citizen["token"], jpeg()), 201)
    ok(act(client, dpupr["token"], public_id, "verify", note="Sudah dicek di lokasi."))
    ok(act(client, dpupr["token"], public_id, "recategorise", category="jembatan-rusak"))
    ok(act(client, dpupr["token"], public_id, "forward", to_agency="DLH", note="Sampah."))
    ok(moderate(client, admin["token"], public_id, action="hide", reason="Menyebut nama warga."))
    ok(moderate(client, admin["token"], public_id, action="show"))
    [photo] = client.get(f"/api/v1/complaints/{public_id}").get_json()["photos"]
    hidden = moderate(client, dlh["token"], public_id, action="hide", photo_id=photo["id"])
    assert hidden.status_code == 422  # a reason is needed: refused, nothing logged
    body = {"action": "hide", "photo_id": photo["id"], "reason": "Wajah warga terlihat."}
    ok(moderate(client, dlh["token"], public_id, **body))
    for action in ("verify", "forward", "start"):
        ok(act(client, dlh["token"], public_id, action))
    ok(post_photos(client, public_id, dlh["token"], jpeg((10, 200, 10))), 201)
    ok(act(client, dlh["token"], public_id, "resolve", note="Sampah sudah diangkut."))
    token = token_of(links_of(smtp, citizen["email"], public_id)["belum"])
    answer = {"token": token, "answer": "reopen", "note": "Masih ada tumpukan."}
    ok(client.post(f"/api/v1/complaints/{public_id}/feedback", json=answer))
    for action in ("start", "resolve"):
        ok(act(client, dlh["token"], public_id, action))
    ok(act(client, citizen["token"], public_id, "reopen", note="Belum bersih."))
    for action in ("start", "resolve", "close"):
        ok(act(client, dlh["token"], public_id, action))

    entries = log_of(client, auditor, public_id)
    assert [e["action"] for e in entries] == [
        "submit",
        "add_photos",
        "verify",
        "recategorise",
        "forward",
        "hide",
        "show",
        "hide_photo",
        "verify",
        "forward",
        "start",
        "add_photos",
        "resolve",
        "reopen",
        "start",
        "resolve",
        "reopen",
        "start",
        "resolve",
        "close",
    ]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert all(e["prev_hash"] == p["hash"] for p, e in zip(entries, entries[1:], strict=False))
    assert entries[0]["prev_hash"] == "0" * 64
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry["action"], []).append(entry)

    def who(entry):
        return entry["actor_user_id"], entry["actor_roles"], entry["actor_agency"]

    # who exactly: the account, its roles and agency (the public timeline names only agencies)
    submit = by_action["submit"][0]
    assert who(submit) == (citizen["id"], ["citizen"], None)
    assert submit["data"]["to_status"] == "submitted" and submit["data"]["agency"] == "DPUPR"
    assert submit["data"]["contact_given"] == sorted(CONTACT)
    verify = by_action["verify"][0]
    assert who(verify) == (dpupr["id"], ["officer"], "DPUPR")
    assert verify["data"]["note"] == "Sudah dicek di lokasi."
    assert (verify["data"]["from_status"], verify["data"]["to_status"]) == ("submitted", "verified")
    due = verify["data"]["due_at"]
    assert due["from"] == submit["data"]["due_at"] and due["to"] is None  # verified: no deadline
    assert by_action["recategorise"][0]["data"]["category"] == {
        "from": "jalan-rusak",
        "to": "jembatan-rusak",
    }
    transfer = by_action["forward"][0]["data"]
    assert transfer["agency"] == {"from": "DPUPR", "to": "DLH"}
    assert (transfer["from_status"], transfer["to_status"]) == ("verified", "submitted")
    assert transfer["due_at"]["from"] is None and transfer["due_at"]["to"] is not None
    assert "Sampah." in transfer["note"]
    hide, show, hide_photo = by_action["hide"][0], by_action["show"][0], by_action["hide_photo"][0]
    assert who(hide) == (admin["id"], ["admin"], None)
    assert hide["data"] == {
        "photo_id": None,
        "hidden": True,
        "reason": "Menyebut nama warga.",
        "status": "submitted",
    }
    assert show["data"]["hidden"] is False and show["data"]["reason"] is None
    assert who(hide_photo) == (dlh["id"], ["verifier"], "DLH")
    assert hide_photo["data"]["photo_id"] == photo["id"]
    assert hide_photo["data"]["reason"] == "Wajah warga terlihat."
    reporter_photo, fix_photo = by_action["add_photos"]
    assert reporter_photo["data"]["kind"] == "report" and who(reporter_photo)[0] == citizen["id"]
    assert fix_photo["data"]["kind"] == "resolution" and who(fix_photo)[0] == dlh["id"]
    assert [p["id"] for p in reporter_photo["data"]["photos"]] == [photo["id"]]
    assert all(p["blob_key"] for p in fix_photo["data"]["photos"])
    resolve = by_action["resolve"][0]["data"]
    assert resolve["feedback_requested"] is True and resolve["resolved_at"]
    by_link, by_account = by_action["reopen"]
    assert by_link["data"]["answer"] == "reopen" and by_link["data"]["via"]
    assert by_link["data"]["note"] == "Masih ada tumpukan." and by_link["actor_user_id"] is None
    assert by_link["data"]["due_at"]["to"] is not None  # the agency's response deadline, anew
    assert who(by_account) == (citizen["id"], ["citizen"], None)
    assert by_account["data"]["shown_as"] == "Pelapor"

    assert verdict_of(client, auditor, public_id) == {
        "public_id": public_id,
        "ok": True,
        "entries": len(entries),
        "broken_at": None,
        "reason": None,
    }
    # the public timeline still shows none of it: no account, no moderation
    public = client.get(f"/api/v1/complaints/{public_id}").get_json()
    assert "actor_user_id" not in str(public) and "Menyebut nama warga" not in str(public)


def test_a_duplicate_and_a_report_sent_out_of_the_regency_are_logged_on_both_sides(client, people):
    dpupr, auditor = people["dpupr"], people["auditor"]
    filer = people["filer"]["token"]
    original = file_report(client, filer)["public_id"]
    copy = file_report(client, filer)["public_id"]
    ok(act(client, dpupr["token"], copy, "mark_duplicate", duplicate_of=original))
    [submit, merged_in] = log_of(client, auditor, original)
    assert merged_in["action"] == "merged_in" and merged_in["data"]["duplicate"] == copy
    assert merged_in["data"]["supporters"] == 1 and merged_in["actor_user_id"] == dpupr["id"]
    marked = log_of(client, auditor, copy)[-1]
    assert marked["action"] == "mark_duplicate" and marked["data"]["duplicate_of"] == original

    away = file_report(client, filer)["public_id"]
    ok(act(client, dpupr["token"], away, "forward", to_agency="PROV_BANTEN"))
    sent = log_of(client, auditor, away)[-1]
    assert sent["data"]["forwarded_to"] == "PROV_BANTEN"
    assert sent["data"]["to_status"] == "forwarded_external"
    for public_id in (original, copy, away):
        assert verdict_of(client, auditor, public_id)["ok"] is True


def test_a_row_changed_in_the_database_breaks_the_chain_at_its_seq(client, people, platform):
    dpupr, auditor = people["dpupr"], people["auditor"]
    public_id = file_report(client, people["filer"]["token"])["public_id"]
    for action in ("verify", "forward", "start", "resolve"):
        ok(act(client, dpupr["token"], public_id, action, note=f"catatan {action}"))
    # the resolution's "Sudah diperbaiki?" token is written after the event: let it land here,
    # not inside the next test's check that nothing is written
    wait_for_feedback_asks(platform, public_id, resolutions=1)
    entries = log_of(client, auditor, public_id)
    assert len(entries) == 5 and verdict_of(client, auditor, public_id)["ok"] is True

    # an entry's note rewritten: that very entry no longer matches its hash
    target = entries[2]
    changed = target["data"] | {"note": "catatan lain"}
    db_rows(
        platform,
        "UPDATE audit_log SET data = :d WHERE hash = :h",
        d=json.dumps(changed),
        h=target["hash"],
    )
    verdict = verdict_of(client, auditor, public_id)
    assert (verdict["ok"], verdict["broken_at"]) == (False, target["seq"])
    assert verdict["reason"] == "isi entri telah diubah"

    # its hash recomputed too: the next entry's prev_hash gives it away
    [row] = db_rows(platform, "SELECT report_id FROM audit_log WHERE hash = :h", h=target["hash"])
    forged = entry_hash(
        report_id=row["report_id"],
        seq=target["seq"],
        at=datetime.fromisoformat(target["at"]),
        action=target["action"],
        actor_user_id=target["actor_user_id"],
        actor_roles=target["actor_roles"],
        actor_agency=target["actor_agency"],
        data=changed,
        prev_hash=target["prev_hash"],
    )
    db_rows(platform, "UPDATE audit_log SET hash = :f WHERE hash = :h", f=forged, h=target["hash"])
    verdict = verdict_of(client, auditor, public_id)
    assert (verdict["ok"], verdict["broken_at"]) == (False, target["seq"] + 1)

    # the last entry dropped: the head the report keeps gives it away
    other = file_report(client, people["filer"]["token"])["public_id"]
    ok(act(client, dpupr["token"], other, "verify"))
    last = log_of(client, auditor, other)[-1]
    db_rows(platform, "DELETE FROM audit_log WHERE hash = :h", h=last["hash"])
    verdict = verdict_of(client, auditor, other)
    assert (verdict["ok"], verdict["broken_at"], verdict["entries"]) == (False, 2, 1)
    assert verdict["reason"] == "entri terakhir hilang"


def test_auditors_admins_and_the_handling_agency_read_it_and_nobody_else(client, people, platform):
    citizen, other_citizen = reporter(client), reporter(client)
    dpupr, dishub, auditor, admin = (people[k] for k in ("dpupr", "dishub", "auditor", "admin"))
    public_id = file_report(client, citizen["token"], **CONTACT)["public_id"]
    for who in (auditor, admin, dpupr):
        assert [e["action"] for e in log_of(client, who, public_id)] == ["submit"]
        assert verdict_of(client, who, public_id)["ok"] is True
    path = f"/api/v1/complaints/{public_id}/audit"
    with nothing_written(platform, "complaints"):
        for who, status in ((citizen, 403), (other_citizen, 403), (dishub, 403)):
            for url in (path, f"{path}/verify"):
                refused = client.get(url, headers=auth(who["token"]))
                assert refused.status_code == status, (who, url, refused.get_json())
        assert client.get(path).status_code == 401
        assert (
            client.get(
                "/api/v1/complaints/SRG-2000-999999/audit", headers=auth(auditor["token"])
            ).status_code
            == 404
        )

    # a hidden report: the auditor still reads its log; another agency does not learn it exists
    ok(moderate(client, dpupr["token"], public_id, action="hide", reason="Data pribadi."))
    assert log_of(client, auditor, public_id)[-1]["action"] == "hide"
    assert client.get(path, headers=auth(dishub["token"])).status_code == 404

    # the agency that handed the report on no longer reads it; the new one does
    ok(moderate(client, dpupr["token"], public_id, action="show"))
    ok(act(client, dpupr["token"], public_id, "verify"))
    ok(act(client, dpupr["token"], public_id, "forward", to_agency="DISHUB"))
    assert client.get(path, headers=auth(dpupr["token"])).status_code == 403
    assert log_of(client, dishub, public_id)[-1]["data"]["agency"]["to"] == "DISHUB"

    # and the auditor reads nothing else of complaints' private data
    with nothing_written(platform, "complaints"):
        report = ok(client.get(f"/api/v1/complaints/{public_id}", headers=auth(auditor["token"])))
        assert "contact_email" not in report and "token" not in report
        headers = auth(auditor["token"])
        for method, url, body in (
            ("get", "/api/v1/complaints/queue", None),
            ("post", f"/api/v1/complaints/{public_id}/transitions", {"action": "verify"}),
            ("post", f"/api/v1/complaints/{public_id}/moderation", {"action": "show"}),
        ):
            refused = getattr(client, method)(url, json=body, headers=headers)
            assert refused.status_code == 403, (url, refused.get_json())


def test_the_reporters_contact_details_are_only_a_fingerprint_in_the_log(client, people, admin):
    auditor = people["auditor"]
    citizen = reporter(client)
    signed_in = file_report(client, citizen["token"], **CONTACT)["public_id"]
    anonymous = file_report(client, contact_email=CONTACT["contact_email"])["public_id"]
    key = ok(
        client.post(
            "/api/v1/admin/open311/keys", json={"organisation": "Forum Audit"}, headers=auth(admin)
        ),
        201,
    )["api_key"]
    place = fresh_point()
    form = {
        "api_key": key,
        "service_code": "lampu-jalan",
        "lat": str(place["lat"]),
        "long": str(place["lon"]),
        "description": "Dua lampu PJU mati.",
        "attribute[jumlah_lampu_mati]": "2",
        "email": CONTACT["contact_email"],
        "first_name": "Ujang",
        "last_name": "Sastrawiguna",
        "phone": "+62 813-7771-2345",
    }
    receipt = client.post("/open311/v2/requests.json", data=form)
    assert receipt.status_code == 201, receipt.get_data(as_text=True)
    by_api = receipt.get_json()[0]["service_request_id"]

    phone = re.compile(r"[\s.()/-]{0,3}".join("8137771"))
    for public_id in (signed_in, anonymous, by_api):
        response = client.get(
            f"/api/v1/complaints/{public_id}/audit", headers=auth(auditor["token"])
        )
        raw = response.get_data(as_text=True)
        assert "Sastrawiguna" not in raw and "surel-pribadi" not in raw
        assert not phone.search(raw)  # the phone, however it is written
    [submit] = log_of(client, auditor, signed_in)
    expected = hashlib.sha256(
        json.dumps(CONTACT, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert submit["data"]["contact_sha256"] == expected  # whoever holds the values proves them
    [by_api_submit] = log_of(client, auditor, by_api)
    assert by_api_submit["data"]["source"].startswith("open311:")
    assert by_api_submit["data"]["reporter"] == "tanpa akun"
    assert by_api_submit["actor_user_id"] is None


# --- make run's demo reports (last in this module: they join every list from here on) --------


def test_the_demo_reports_come_with_logs_that_verify(platform, client, people):
    engine = make_engine(platform.config["COMPLAINTS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            assert load_demo_reports(session, people["filer"]["id"]) == len(REPORTS)
    finally:
        engine.dispose()
    descriptions = {d.description for d in REPORTS}
    listing = client.get("/api/v1/complaints", query_string={"per_page": 100}).get_json()
    demo = [r["public_id"] for r in listing["items"] if r["description"] in descriptions]
    assert len(demo) == len(REPORTS)
    for public_id in demo:
        timeline = client.get(f"/api/v1/complaints/{public_id}").get_json()["timeline"]
        entries = log_of(client, people["auditor"], public_id)
        assert [e["action"] for e in entries] == [t["action"] for t in timeline]
        assert {e["actor_user_id"] for e in entries} == {None}  # the loader, nobody
        assert verdict_of(client, people["auditor"], public_id)["ok"] is True
