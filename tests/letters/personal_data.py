"""Sisumaker's part of the personal-data scan (tests/security/test_personal_data.py): a DPUPR
clerk registers a letter with its scan, so that every letters GET route is called, as an
anonymous visitor and as a citizen, against a real letter (both get nothing of it)."""

from __future__ import annotations

import io

from tests.letters.authz import _letter
from tests.security.authz_world import PDF
from tests.support.factories import PASSWORD, auth, login, unique_email


def plant(platform, admin_token: str, w) -> None:
    client = platform.client
    email = unique_email("tu.pindai")
    body = {"name": "Tata Usaha Uji", "email": email, "password": PASSWORD}
    made = client.post(
        "/api/v1/admin/staff",
        json=body | {"roles": ["clerk"], "agency": "DPUPR"},
        headers=auth(admin_token),
    )
    assert made.status_code == 201, made.get_json()
    clerk = auth(login(client, email))
    letter = client.post("/api/v1/letters", json=_letter(), headers=clerk)
    assert letter.status_code == 201, letter.get_json()
    letter_id = letter.get_json()["id"]
    scan = client.post(
        f"/api/v1/letters/{letter_id}/scan",
        data={"scan": [(io.BytesIO(PDF), "surat.pdf")]},
        content_type="multipart/form-data",
        headers=clerk,
    )
    assert scan.status_code == 201, scan.get_json()
    w.values |= {"letter_id": [letter_id]}
