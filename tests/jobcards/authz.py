"""Kartu Kuning's part of the authorisation matrix's world (tests/security): the world's
citizen has a submitted application (with its three documents); the world has no DISNAKER
staff, so every staff persona is of another agency here."""

from __future__ import annotations

import uuid
from datetime import date

from services.jobcards.rules import MIN_AGE, age_on, nik_facts
from tests.jobcards.support import BASE, PDF, application_body, png
from tests.security.authz_calls import Call

VARIABLES = {
    "jobcard_id": "jobcard",
    "jobcard_document_id": "jobcard_document",
    "card_number": "=AK1-3604-2026-000001",
}


def _form(**changes) -> dict:
    """The web form's fields of a valid application (the lists as lines)."""
    body = application_body(**changes)
    return body | {"skills": "\n".join(body["skills"]), "training": "\n".join(body["training"])}


# The pages' forms reach the service without changing the world: the world's application is
# submitted, so its applicant's corrections, uploads, submit and report are refused (409);
# anyone else's id is 404; a new application from the empty form is refused (422).
CALLS = {
    "jobcards.create": lambda w: Call(json=application_body()),
    "jobcards.transition": lambda w: Call(json={"action": "approve", "note": None}),
    "jobcards.report": lambda w: Call(json={"status": "still_looking"}),
    "jobcards.upload": lambda w: Call(form={"type": "ktp"}, files={"file": (PDF, "ktp.pdf")}),
    "jobcards_pages.apply_create": lambda w: Call(form={"name": ""}),
    "jobcards_pages.edit_save": lambda w: Call(form=_form()),
    "jobcards_pages.upload": lambda w: Call(form={"type": "ktp"}, files={"file": (PDF, "ktp.pdf")}),
    "jobcards_pages.submit": lambda w: Call(form={}),
    "jobcards_pages.report": lambda w: Call(form={"status": "still_looking"}),
    "jobcards_pages.decide": lambda w: Call(form={"action": "approve", "note": ""}),
    "jobcards_pages.check_form": lambda w: Call(query={"nomor": "AK1-3604-2026-000001"}),
}


def build(builder) -> None:
    """The citizen applies with the NIK they signed up with when it makes them 18 or over (a
    NIK of their own otherwise), uploads the documents and submits."""
    nik = builder.secrets["the citizen's NIK"]
    facts = nik_facts(nik, date.today())
    body = application_body(address=f"Jl. Uji Matriks No. {uuid.uuid4().int % 10**9}")
    if facts and age_on(facts.birth_date, date.today()) >= MIN_AGE:
        body |= {"nik": nik, "birth_date": facts.birth_date.isoformat(), "gender": facts.gender}
    made = builder.post("citizen", BASE, 201, **body)
    for doc_type, content, name in (
        ("ktp", PDF, "ktp.pdf"),
        ("ijazah", PDF, "ijazah.pdf"),
        ("pas_foto", png(), "foto.png"),
    ):
        uploaded = builder.upload(
            "citizen", f"{BASE}/{made['id']}/documents", "file", content, name, type=doc_type
        )
    builder.values["jobcard_document"] = uploaded["documents"][0]["id"]
    builder.post("citizen", f"{BASE}/{made['id']}/submit", 200)
    builder.values["jobcard"] = made["id"]
    builder.secrets |= {
        "the job seeker's NIK": body["nik"],
        "the job seeker's phone": body["phone"],
        "the job seeker's address": body["address"],
    }
