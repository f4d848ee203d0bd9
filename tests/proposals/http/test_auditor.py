"""Inspektorat's auditor (role `auditor`, issue #17) reads every proposal's private audit log and
verifies its chain, a draft's too, whoever handles it; and nothing else of Serang Open: not
the proposal itself, not a queue, not the staff desk. (The authorisation matrix calls every
route as the auditor persona too.)"""

from __future__ import annotations

from tests.proposals.conftest import citizen as new_citizen
from tests.proposals.conftest import create_applicant, create_draft, submitted_proposal
from tests.support.factories import auth, login


def test_the_auditor_reads_and_verifies_every_audit_log_and_nothing_else(client, admin):
    citizen = new_citizen(client)
    email_body = {
        "name": "Auditor Inspektorat Uji",
        "email": "auditor.uji@gawe.example",
        "password": "rahasia-Serang-2026",
        "roles": ["auditor"],
    }
    created = client.post("/api/v1/admin/staff", json=email_body, headers=auth(admin))
    assert created.status_code == 201, created.get_json()
    auditor = auth(login(client, email_body["email"]))
    submitted = submitted_proposal(client, citizen["token"])
    applicant = create_applicant(client, citizen["token"])
    draft = create_draft(client, citizen["token"], applicant["id"])
    for proposal in (submitted, draft):
        pid = proposal["public_id"]
        log = client.get(f"/api/v1/proposals/{pid}/audit", headers=auditor)
        assert log.status_code == 200, log.get_json()
        entries = log.get_json()["entries"]
        assert entries and entries[0]["action"]
        verdict = client.get(f"/api/v1/proposals/{pid}/audit/verify", headers=auditor).get_json()
        assert verdict["ok"] is True and verdict["entries"] == len(entries)
    pid = submitted["public_id"]
    for path in (
        f"/api/v1/proposals/{pid}",
        "/api/v1/proposals/queue",
        "/api/v1/complaints/queue",
        "/api/v1/admin/staff",
    ):
        refused = client.get(path, headers=auditor)
        assert refused.status_code in (403, 404), (path, refused.status_code)
    # the applicant never reads the log of their own proposal
    mine = client.get(f"/api/v1/proposals/{pid}/audit", headers=auth(citizen["token"]))
    assert mine.status_code == 403
