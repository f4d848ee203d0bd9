"""Kartu Kuning's part of the personal-data scan (tests/security/test_personal_data.py): the
world's citizen applies with a planted NIK, phone and address, a DISNAKER officer approves, and
every jobcards GET route is then called as an anonymous visitor and as another citizen, whose
answers must show none of it (the public verification shows initials only)."""

from __future__ import annotations

import io
from datetime import date

from services.jobcards.rules import nik_facts
from tests.jobcards.support import BASE, PDF, application_body, png, staff
from tests.support.factories import auth


def plant(platform, admin_token: str, w) -> None:
    client, p = platform.client, w.plant
    where = "Kartu Kuning application (API)"
    nik = p.nik(where)  # a woman of Kabupaten Serang born in July 1991: over 18
    facts = nik_facts(nik, date.today())
    body = application_body(
        nik=nik,
        birth_date=facts.birth_date.isoformat(),
        gender=facts.gender,
        name=p.name(where, "Euis"),
        phone=p.phone(where),
    )
    citizen = auth(w.people["citizen"]["token"])
    made = client.post(BASE, json=body, headers=citizen)
    assert made.status_code == 201, made.get_json()
    jobcard = made.get_json()["id"]
    documents = []
    for doc_type, content, name in (
        ("ktp", PDF, "ktp.pdf"),
        ("ijazah", PDF, "ijazah.pdf"),
        ("pas_foto", png(), "foto.png"),
    ):
        uploaded = client.post(
            f"{BASE}/{jobcard}/documents",
            data={"type": doc_type, "file": [(io.BytesIO(content), name)]},
            content_type="multipart/form-data",
            headers=citizen,
        )
        assert uploaded.status_code == 201, uploaded.get_json()
        documents = uploaded.get_json()["documents"]
    assert client.post(f"{BASE}/{jobcard}/submit", headers=citizen).status_code == 200
    officer = auth(staff(client, admin_token, "officer", "DISNAKER"))
    approved = client.post(
        f"{BASE}/{jobcard}/transitions", json={"action": "approve"}, headers=officer
    )
    assert approved.status_code == 200, approved.get_json()
    w.values |= {
        "jobcard_id": [jobcard],
        "jobcard_document_id": [d["id"] for d in documents],
        "card_number": [approved.get_json()["card_number"]],
    }
