"""The conversation on a proposal (issue 16): its applicant and the staff who may see its
applicant write to each other through /api/v1/proposals/<id>/messages; the other side hears of
it in the inbox and by email (without the text); each message is chained into the audit log."""

from __future__ import annotations

import hashlib

from tests.notifications.conftest import part
from tests.proposals.conftest import (
    act,
    citizen,
    create_applicant,
    create_draft,
    emails_about,
    make_staff,
    submitted_proposal,
)
from tests.support.factories import auth
from tests.support.waiting import wait_until

QUESTION = "Apakah kwitansi sewa tenda perlu dilampirkan? Hubungi saya di 0812 7777 0001."
ANSWER = "Ya, lampirkan kwitansi bermaterai pada rencana anggaran biaya."


def path(public_id: str) -> str:
    return f"/api/v1/proposals/{public_id}/messages"


def test_applicant_and_verifier_talk_and_each_hears_of_the_other(client, smtp, staff, admin):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid, agency = proposal["public_id"], proposal["agency"]
    verifier = staff["dispora"]
    assert agency == verifier["agency"]

    asked = client.post(path(pid), json={"body": QUESTION}, headers=auth(owner["token"]))
    assert asked.status_code == 201, asked.get_json()
    assert asked.get_json() | {"id": 0, "at": ""} == {
        "id": 0, "side": "applicant", "author": "Pemohon", "mine": True, "body": QUESTION, "at": "",
    }  # fmt: skip

    [mail] = wait_until(lambda: emails_about(smtp, verifier["email"], pid))
    assert mail["Subject"] == f"Pesan baru dari pemohon usulan {pid}"
    text = part(mail, "plain").get_content()
    assert "0812 7777 0001" not in mail.as_string() and f"/staf/usulan/{pid}" in text

    answered = client.post(path(pid), json={"body": ANSWER}, headers=auth(verifier["token"]))
    assert answered.status_code == 201, answered.get_json()
    assert answered.get_json()["author"] == f"Verifikator {agency}"
    subject = f"Pesan baru dari petugas tentang usulan {pid}"
    wait_until(
        lambda: any(m["Subject"] == subject for m in emails_about(smtp, owner["email"], pid))
    )
    inbox = client.get("/api/v1/inbox", headers=auth(owner["token"])).get_json()
    assert any(item["subject"] == f"Pesan baru tentang usulan {pid}" for item in inbox["items"])

    for who, mine in ((owner, [True, False]), (verifier, [False, True])):
        thread = client.get(path(pid), headers=auth(who["token"]))
        assert thread.status_code == 200
        assert [m["body"] for m in thread.get_json()] == [QUESTION, ANSWER]
        assert [m["mine"] for m in thread.get_json()] == mine
    assert client.get(path(pid), headers=auth(admin)).status_code == 200

    audit = client.get(f"/api/v1/proposals/{pid}/audit", headers=auth(verifier["token"]))
    entries = [e for e in audit.get_json()["entries"] if e["action"] == "message"]
    assert [e["data"]["side"] for e in entries] == ["applicant", "staff"]
    assert entries[0]["data"]["body_sha256"] == hashlib.sha256(QUESTION.encode()).hexdigest()
    assert QUESTION not in audit.get_data(as_text=True)
    verdict = client.get(f"/api/v1/proposals/{pid}/audit/verify", headers=auth(verifier["token"]))
    assert verdict.get_json()["ok"] is True


def test_nobody_else_reads_or_writes_the_conversation(client, staff, admin):
    owner = citizen(client)
    proposal = submitted_proposal(client, owner["token"], "hibah")
    pid = proposal["public_id"]
    posted = client.post(path(pid), json={"body": QUESTION}, headers=auth(owner["token"]))
    assert posted.status_code == 201
    assert act(client, staff["kesra"], pid, "complete").status_code == 200  # now at the OPD

    outsiders = {
        "another citizen": citizen(client)["token"],
        "another agency": staff["dinkes"]["token"],
        "Kesra, once it is the OPD's turn": staff["kesra"]["token"],
        "TAPD before its turn": staff["tapd"]["token"],
    }
    for who, token in outsiders.items():
        for response in (
            client.get(path(pid), headers=auth(token)),
            client.post(path(pid), json={"body": "Halo"}, headers=auth(token)),
        ):
            assert response.status_code == 403, (who, response.get_json())
            assert QUESTION not in response.get_data(as_text=True)
    assert client.get(path(pid)).status_code == 401
    assert client.get(path("SO-2026-999999"), headers=auth(admin)).status_code == 404
    officer = client.get(path(pid), headers=auth(staff["dispora_officer"]["token"]))
    assert officer.status_code == 200 and officer.get_json()[0]["body"] == QUESTION


def test_bad_messages_are_refused_naming_the_field(client, admin):
    owner = citizen(client)
    pid = submitted_proposal(client, owner["token"], "hibah")["public_id"]
    for body in ({}, {"body": ""}, {"body": "x" * 4001}, {"body": 42}):
        response = client.post(path(pid), json=body, headers=auth(owner["token"]))
        assert response.status_code == 422, (body, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert "body" in response.get_json()["errors"]
    blank = client.post(path(pid), json={"body": "   "}, headers=auth(owner["token"]))
    assert blank.status_code == 422 and "body" in blank.get_json()["errors"]

    applicant = create_applicant(client, owner["token"])
    draft = create_draft(client, owner["token"], applicant["id"])["public_id"]
    early = client.post(path(draft), json={"body": "Halo"}, headers=auth(owner["token"]))
    assert early.status_code == 409, early.get_json()
    assert client.get(path(draft), headers=auth(owner["token"])).get_json() == []
    kesra_officer = make_staff(client, admin, "officer", "KESRA")
    refused = client.get(path(draft), headers=auth(kesra_officer["token"]))
    assert refused.status_code == 403  # nobody but the applicant sees a draft
