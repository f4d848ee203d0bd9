"""Sisumaker's part of the authorisation matrix's world (tests/security/authz_world.py).

DINSOS (the world's agency) gets a clerk and a head, neither of them a persona: the clerk
registers a `biasa` letter with its scan, and the head disposes it to the world's DINSOS
officer. So the DINSOS verifier sees the letter as staff of its agency, the officer as its
recipient (who may pass it down and completes it), and everyone else sees nothing of it.
"""

from __future__ import annotations

import io
from datetime import timedelta

from services.letters.rules import today
from tests.security.authz_calls import Call
from tests.security.authz_world import OWNER_AGENCY, PDF, bearer
from tests.support.factories import PASSWORD, auth, login, unique_email

VARIABLES = {"letter_id": "letter", "disposition_id": "letter_disposition"}


def _letter(w=None) -> dict:
    on = today()
    return {
        "sender": "Kementerian Sosial",
        "letter_number": "S-12/MS/2026",
        "letter_date": (on - timedelta(days=2)).isoformat(),
        "received_date": on.isoformat(),
        "subject": "Undangan rapat koordinasi matriks",
        "classification": "biasa",
    }


def _disposition(w) -> dict:
    # a recipient in another agency: the officer (who may dispose) is refused after the check
    return {
        "to_user_ids": [w.personas["other_staff"].user_id],
        "instruction": "tindak lanjuti",
        "due_date": (today() + timedelta(days=3)).isoformat(),
    }


def _disposition_form(w) -> dict:
    """The page's form of _disposition: checkboxes and fields are text."""
    body = _disposition(w)
    return body | {"to_user_ids": str(body["to_user_ids"][0])}


CALLS = {
    "letters.register_letter": lambda w: Call(json=_letter()),
    "letters.upload_scan": lambda w: Call(files={"scan": (PDF, "surat.pdf")}),
    "letters.dispose": lambda w: Call(json=_disposition(w)),
    "letters.complete_disposition": lambda w: Call(json={"report": "Sudah dihadiri."}),
    # the pages' forms (/staf/surat): the same bodies, as a browser posts them
    "letters.register_letter_page": lambda w: Call(
        form=_letter(), files={"scan": (PDF, "surat.pdf")}
    ),
    "letters.dispose_page": lambda w: Call(form=_disposition_form(w)),
    "letters.complete_disposition_page": lambda w: Call(form={"report": "Sudah dihadiri."}),
}
RUN_LAST = {
    "letters.complete_disposition": {"owner_officer"},
    "letters.complete_disposition_page": {"owner_officer"},
}


def _staff(builder, role: str) -> dict:
    email = unique_email(f"{role}.matriks")
    body = {"name": f"Staf {role}", "email": email, "password": PASSWORD}
    builder.post("admin", "/api/v1/admin/staff", 201, roles=[role], agency=OWNER_AGENCY, **body)
    return auth(login(builder.app.test_client(), email))


def build(builder) -> None:
    clerk, head = _staff(builder, "clerk"), _staff(builder, "head")
    builder.values["staff_accounts"] += 2
    client = builder.app.test_client()
    created = client.post("/api/v1/letters", json=_letter(), headers=clerk)
    assert created.status_code == 201, created.get_json()
    letter = created.get_json()["id"]
    scan = client.post(
        f"/api/v1/letters/{letter}/scan",
        data={"scan": [(io.BytesIO(PDF), "surat.pdf")]},
        content_type="multipart/form-data",
        headers=clerk,
    )
    assert scan.status_code == 201, scan.get_json()
    officer = builder.people["owner_officer"]
    body = {
        "to_user_ids": [officer.user_id],
        "instruction": "hadiri/wakili",
        "due_date": (today() + timedelta(days=5)).isoformat(),
    }
    disposed = client.post(f"/api/v1/letters/{letter}/dispositions", json=body, headers=head)
    assert disposed.status_code == 201, disposed.get_json()
    [disposition] = disposed.get_json()["dispositions"]
    seen = client.get(f"/api/v1/letters/{letter}", headers=bearer(officer))
    assert seen.status_code == 200
    builder.values |= {"letter": letter, "letter_disposition": disposition["id"]}
