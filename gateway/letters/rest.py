"""Sisumaker (letters) over HTTP: found through the app's manifest (`gateway`)."""

from __future__ import annotations

from flask import Blueprint, send_file

from gateway.access import ALLOW, DENY, PUBLIC_ONLY, access, declare
from gateway.api import endpoint, rpc
from gateway.problems import Problem
from gateway.uploads import blob_store, form_body, read_files, store_files
from services.letters.contract import (
    DispositionCompleteSchema,
    DispositionCreateSchema,
    LetterCreateSchema,
    LetterPageSchema,
    LetterQuerySchema,
    LetterSchema,
    LettersClient,
    PageQuerySchema,
    RecipientPageSchema,
)

BASE = "/api/v1/letters"
blueprint = Blueprint("letters", __name__, template_folder="templates")
letters = LettersClient(rpc)
TAGS = ("Surat masuk",)
PDF_ONLY = frozenset({"application/pdf"})

# Who gets what (gateway/access.py). In the matrix's world a DINSOS clerk registered a letter
# (biasa, with its scan) and DINSOS's head disposed it to the DINSOS officer; none of the
# personas is a clerk or a head.
AGENCY_ARCHIVE = declare(
    "staff of an agency, each their own agency's letters (none for another agency); citizens "
    "and admins, who belong to no agency, none",
    DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
    other_staff=PUBLIC_ONLY,
    kesra=PUBLIC_ONLY,
    budget_team=PUBLIC_ONLY,
)
LETTER_READERS = declare(
    "the staff of the letter's own agency (a rahasia letter: its clerk, its head and its "
    "recipients only); anyone else 404",
    DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
)
CLERKS = declare("the clerk (tata usaha) of the letter's agency: none of the personas", DENY)
DISPOSERS = declare(
    "the agency's head, or a recipient of an open disposition of the letter passing it down "
    "(the DINSOS officer)",
    DENY,
    owner_officer=ALLOW,
)
DISPOSITION_RECIPIENT = declare("the disposition's own recipient", DENY, owner_officer=ALLOW)


@blueprint.post(BASE)
@endpoint(
    "Catat surat masuk",
    tags=TAGS,
    body=LetterCreateSchema,
    response=LetterSchema,
    status=201,
    auth=True,
    errors=(403, 422),
    access=CLERKS,
)
def register_letter(body):
    """The agency's clerk (tata usaha) registers an incoming letter; it gets the agenda number
    `<AGENCY>/<year>/<five digits>` and the agency's head is told. The scan follows (…/scan).

    Aturan antar-kolom (422 naming the field): `received_date` is on or after `letter_date`,
    and neither is after today (Asia/Jakarta)."""
    return letters.register_letter(dates_as_text(body))


@blueprint.get(BASE)
@endpoint(
    "Arsip surat masuk",
    tags=TAGS,
    query=LetterQuerySchema,
    response=LetterPageSchema,
    auth=True,
    errors=(400, 403),
    access=AGENCY_ARCHIVE,
)
def list_letters(query):
    """The caller's agency's letters they may see (a rahasia letter: its clerk, head and
    recipients), by text, sender, classification, status and dates; those with an overdue
    disposition first, then the newest."""
    return letters.list_letters(dates_as_text(query))


@blueprint.get(f"{BASE}/recipients")
@endpoint(
    "Penerima disposisi",
    tags=TAGS,
    query=PageQuerySchema,
    response=RecipientPageSchema,
    auth=True,
    errors=(400, 403),
    access=AGENCY_ARCHIVE.but(
        "staff of an agency: the other staff of their own agency, with their user ids"
    ),
)
def recipients(query):
    """Staff of the caller's agency who may receive a disposition, with their user ids."""
    return letters.recipients(query)


@blueprint.get(f"{BASE}/<int:letter_id>")
@endpoint(
    "Detail surat",
    tags=TAGS,
    response=LetterSchema,
    auth=True,
    errors=(403, 404),
    access=LETTER_READERS,
)
def get_letter(letter_id):
    """A letter with its dispositions (overdue ones first) and what the caller may do."""
    return letters.get_letter(letter_id)


@blueprint.post(f"{BASE}/<int:letter_id>/scan")
@endpoint(
    "Unggah pindaian surat",
    tags=TAGS,
    response=LetterSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 413, 415, 422),
    access=CLERKS,
    form=form_body("scan", 1),
)
def upload_scan(letter_id):
    """multipart/form-data with one `scan`: a PDF (checked by its content, ≤ UPLOAD_MAX_BYTES).
    Only the agency's clerk who may see the letter, until it is done; a refused caller's file
    is neither read nor stored."""
    letters.check_scan(letter_id)
    uploads = read_files("scan", PDF_ONLY, 1)
    return letters.attach_scan(letter_id, stored_scan(uploads))


def stored_scan(uploads) -> dict:
    """Store the checked scan; what the service keeps of it (ScanSchema: its key only)."""
    blob = store_files(uploads, "letters")[0]
    return {
        "key": blob.key,
        "content_type": blob.content_type,
        "size": blob.size,
        "sha256": blob.sha256,
    }


@blueprint.get(f"{BASE}/<int:letter_id>/scan")
@access(LETTER_READERS)
def scan(letter_id):
    """The letter's scan (PDF), for whoever may see the letter only; never cached."""
    return scan_file(letter_id)


def scan_file(letter_id: int):
    found = letters.get_scan(letter_id)
    path = blob_store().path(found["blob_key"])
    if path is None:
        raise Problem(404, "Berkas pindaian tidak ditemukan.")
    response = send_file(
        path,
        mimetype=found["content_type"],
        as_attachment=True,
        download_name=found["filename"],
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.post(f"{BASE}/<int:letter_id>/dispositions")
@endpoint(
    "Beri disposisi",
    tags=TAGS,
    body=DispositionCreateSchema,
    response=LetterSchema,
    status=201,
    auth=True,
    errors=(403, 404, 409, 422),
    access=DISPOSERS,
)
def dispose(letter_id, body):
    """The head disposes the letter to one or more staff of its agency (`to_user_ids` from
    …/recipients): an instruction (`tindak lanjuti`, `untuk diketahui`, `siapkan jawaban`,
    `hadiri/wakili` or free text), a note and a due date. A recipient may pass their open
    disposition down the same way. Every recipient gets an inbox message and an email.

    Aturan antar-kolom (422 naming the field): `due_date` is today or later (Asia/Jakarta);
    every one of `to_user_ids` is another staff member of the letter's agency."""
    return letters.dispose(letter_id, dates_as_text(body))


@blueprint.post(f"{BASE}/<int:letter_id>/dispositions/<int:disposition_id>/complete")
@endpoint(
    "Selesaikan disposisi",
    tags=TAGS,
    body=DispositionCompleteSchema,
    response=LetterSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=DISPOSITION_RECIPIENT,
)
def complete_disposition(letter_id, disposition_id, body):
    """The recipient reports what they did and completes their disposition; the letter is done
    when every disposition is."""
    return letters.complete_disposition(letter_id, disposition_id, body)


def dates_as_text(body: dict) -> dict:
    """Loaded dates back to YYYY-MM-DD for the bus (the service loads them again)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in body.items()}


# the pages (/staf/surat) are views of this blueprint too
from gateway.letters import pages  # noqa: E402, F401
