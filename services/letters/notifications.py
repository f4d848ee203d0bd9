"""Sisumaker (letters): who hears of a letter and its dispositions, and the texts they get.

- a letter registered: the agency's head, that a new letter waits for a disposition;
- a disposition given: its recipient (inbox and email; essential: it is their work);
- a disposition completed: whoever gave it (inbox);
- a letter done: the clerk who registered it (inbox).

Events carry ids and codes only: never a letter's subject or text (a `rahasia` letter's are
secret), so the messages name the agenda number and send the reader to the app.
"""

from __future__ import annotations

import services.letters.contract  # noqa: F401  (its events, in the catalogue)
from services.letters.contract import CLASSIFICATIONS, HEAD
from services.notifications.contract import (
    AgencyStaff,
    Audience,
    ConcernedUser,
    DefaultTemplate,
    Subscription,
    add_category,
    add_templates,
    subscribe,
)

CATEGORY = "surat"
add_category(CATEGORY, "Surat masuk dan disposisi")

HEADS = Audience("kepala", AgencyStaff("agency", roles=(HEAD,)))
RECIPIENT = Audience("penerima", ConcernedUser("recipient_user_id"))
GIVER = Audience("pemberi", ConcernedUser("from_user_id"), channels=("inbox",))
CLERK = Audience("pencatat", ConcernedUser("registered_by"), channels=("inbox",))


def letter_values(event: dict) -> dict:
    instruction = event.get("instruction_code")
    return {
        "sifat": CLASSIFICATIONS.get(event.get("classification"), event.get("classification")),
        "instruksi": "lihat catatan disposisi" if instruction == "lainnya" else instruction,
    }


for event_type, audience, essential in (
    ("letters.letter_registered", HEADS, True),
    ("letters.disposition_given", RECIPIENT, True),
    ("letters.disposition_completed", GIVER, False),
    ("letters.letter_completed", CLERK, False),
):
    subscribe(
        Subscription(
            event_type=event_type,
            category=CATEGORY,
            essential=essential,
            audiences=(audience,),
            values=letter_values,
        )
    )

_SAMPLE = {
    "nama": "Budi Santoso",
    "agenda_number": "DPUPR/2026/00042",
    "agency": "DPUPR",
    "sifat": "Segera",
    "instruksi": "tindak lanjuti",
    "due_date": "2026-12-15",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}
_LINK = "{alamat_situs}/staf/surat/{letter_id}"
_SAMPLE_LINKED = _SAMPLE | {"letter_id": "42"}
_FOOTER = "\n\nEmail ini dikirim otomatis; mohon tidak membalas.\nPemerintah Kabupaten Serang"

add_templates(
    DefaultTemplate(
        "letters.letter_registered",
        "kepala",
        "email",
        subject="Surat masuk {agenda_number} ({sifat}) menunggu disposisi",
        body_text=(
            "Yth. {nama},\n\n"
            "Surat masuk bernomor agenda {agenda_number}, sifat {sifat}, telah dicatat oleh "
            "tata usaha {agency} pada {waktu} dan menunggu disposisi Anda.\n\n"
            "Buka surat: " + _LINK + _FOOTER
        ),
        sample=_SAMPLE_LINKED,
    ),
    DefaultTemplate(
        "letters.letter_registered",
        "kepala",
        "inbox",
        subject="Surat masuk {agenda_number}",
        body_text="Surat {sifat} {agenda_number} menunggu disposisi Anda.",
        sample=_SAMPLE_LINKED,
    ),
    DefaultTemplate(
        "letters.disposition_given",
        "penerima",
        "email",
        subject="Disposisi surat {agenda_number}: {instruksi}, batas {due_date}",
        body_text=(
            "Yth. {nama},\n\n"
            "Anda menerima disposisi atas surat {agenda_number} (sifat {sifat}) di {agency}.\n\n"
            "Instruksi: {instruksi}\nBatas waktu: {due_date}\n\n"
            "Baca surat dan catatannya, lalu laporkan tindak lanjut Anda: " + _LINK + _FOOTER
        ),
        sample=_SAMPLE_LINKED,
    ),
    DefaultTemplate(
        "letters.disposition_given",
        "penerima",
        "inbox",
        subject="Disposisi surat {agenda_number}",
        body_text="Instruksi: {instruksi}. Batas waktu {due_date}.",
        sample=_SAMPLE_LINKED,
    ),
    DefaultTemplate(
        "letters.disposition_completed",
        "pemberi",
        "inbox",
        subject="Disposisi surat {agenda_number} selesai",
        body_text="Penerima disposisi Anda atas surat {agenda_number} telah melaporkan "
        "tindak lanjutnya.",
        sample=_SAMPLE_LINKED,
    ),
    DefaultTemplate(
        "letters.letter_completed",
        "pencatat",
        "inbox",
        subject="Surat {agenda_number} selesai",
        body_text="Semua disposisi atas surat {agenda_number} telah selesai ditindaklanjuti.",
        sample=_SAMPLE_LINKED,
    ),
)
