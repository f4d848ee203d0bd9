"""What other processes may know of Sisumaker (letters): incoming official letters of an agency,
their dispositions and follow-up. Its RPC schemas, its events (ids and codes only) and a typed
client.

Depends on the standard library, marshmallow and servicekit only (import-linter checks it).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.client import Client
from servicekit.events import EventSchema, event

# --- vocabulary ---------------------------------------------------------------------------

CLERK, HEAD = "clerk", "head"  # the roles this app adds (its manifest): Tata usaha, Kepala OPD

BIASA, PENTING, SEGERA, RAHASIA = "biasa", "penting", "segera", "rahasia"
CLASSIFICATIONS = {
    BIASA: "Biasa",
    PENTING: "Penting",
    SEGERA: "Segera",
    RAHASIA: "Rahasia",
}

# a letter: registered (nobody disposed it yet), in progress (an open disposition), done
NEW, IN_PROGRESS, DONE = "baru", "diproses", "selesai"
LETTER_STATUSES = {NEW: "Baru", IN_PROGRESS: "Sedang ditindaklanjuti", DONE: "Selesai"}
OPEN, COMPLETED = "terbuka", "selesai"
DISPOSITION_STATUSES = {OPEN: "Belum selesai", COMPLETED: "Selesai"}

# the instructions a disposition usually gives (free text is allowed too)
INSTRUCTIONS = ("tindak lanjuti", "untuk diketahui", "siapkan jawaban", "hadiri/wakili")
OTHER_INSTRUCTION = "lainnya"  # the code events carry for a free-text instruction

MAX_RECIPIENTS = 20
PER_PAGE_MAX = 100


def agenda_number(agency: str, year: int, sequence: int) -> str:
    """`<AGENCY>/<year>/<five digits>`: DPUPR/2026/00042."""
    return f"{agency}/{year}/{sequence:05d}"


# What a person reads next to a field of a web form (and a client in `errors`): Indonesian.
# a required text holds more than blanks (it is trimmed first, _Stripped): the pattern, not a
# minimum length, is what the API document can state of it (JSON Schema's pattern searches)
FILLED = validate.Regexp(r"[\s\S]*\S", error="Wajib diisi.")


def _at_most(max_length: int) -> validate.Length:
    return validate.Length(max=max_length, error="Paling banyak {max} karakter.")


def _one_of(choices) -> validate.OneOf:
    return validate.OneOf(tuple(choices), error="Pilih salah satu: {choices}.")


def _whole(minimum: int, maximum: int | None = None) -> validate.Range:
    error = "Paling kecil {min}." if maximum is None else "Harus antara {min} dan {max}."
    return validate.Range(min=minimum, max=maximum, error=error)


def _text(max_length: int, description: str, required: bool = True, **kwargs) -> fields.String:
    options = {"required": True} if required else {"load_default": ""}
    return fields.String(
        validate=[FILLED, _at_most(max_length)] if required else _at_most(max_length),
        metadata={"description": f"{description} (paling banyak {max_length} karakter)"},
        **options,
        **kwargs,
    )


class _Stripped(Schema):
    """Text fields are trimmed before they are checked: blanks only count as empty."""

    def load(self, data, *args, **kwargs):
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return super().load(data, *args, **kwargs)


# --- RPC payloads ---------------------------------------------------------------------------


class LetterCreateSchema(_Stripped):
    """What the agency's clerk (tata usaha) registers of an incoming letter."""

    sender = _text(200, "pengirim surat")
    letter_number = _text(100, "nomor surat dari pengirim")
    letter_date = fields.Date(required=True, metadata={"description": "tanggal surat"})
    received_date = fields.Date(required=True, metadata={"description": "tanggal diterima"})
    subject = _text(300, "perihal")
    classification = fields.String(
        required=True,
        validate=_one_of(CLASSIFICATIONS),
        metadata={"description": "sifat surat: " + ", ".join(CLASSIFICATIONS)},
    )
    summary = _text(2000, "ringkasan isi", required=False)

    @validates_schema
    def _dates(self, data, **kwargs):
        if data["received_date"] < data["letter_date"]:
            raise ValidationError(
                "Tanggal diterima tidak boleh sebelum tanggal surat.", "received_date"
            )


class LetterQuerySchema(Schema):
    """Search over the agency's archive."""

    q = fields.String(
        load_default=None,
        validate=_at_most(100),
        metadata={"description": "teks di perihal, ringkasan, pengirim, nomor surat atau agenda"},
    )
    sender = fields.String(load_default=None, validate=_at_most(200))
    status = fields.String(load_default=None, validate=_one_of(LETTER_STATUSES))
    classification = fields.String(load_default=None, validate=_one_of(CLASSIFICATIONS))
    received_from = fields.Date(load_default=None, metadata={"description": "diterima sejak"})
    received_to = fields.Date(load_default=None, metadata={"description": "diterima sampai"})
    mine = fields.Boolean(
        load_default=False, metadata={"description": "hanya surat yang didisposisikan kepada saya"}
    )
    page = fields.Integer(load_default=1, validate=_whole(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=_whole(1, PER_PAGE_MAX))

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            raise ValidationError("Tanggal akhir sebelum tanggal awal.", "received_to")


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=_whole(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=_whole(1, PER_PAGE_MAX))


class DispositionCreateSchema(_Stripped):
    """A disposition: the head's (or a recipient's, passing it down) instruction to staff."""

    to_user_ids = fields.List(
        fields.Integer(strict=True, validate=_whole(1)),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_RECIPIENTS, error="Pilih {min} sampai {max} penerima."
        ),
        metadata={"description": "id pengguna penerima: staf OPD yang sama (GET …/recipients)"},
    )
    instruction = _text(200, "instruksi: " + ", ".join(INSTRUCTIONS) + ", atau teks bebas")
    note = _text(1000, "catatan", required=False)
    due_date = fields.Date(required=True, metadata={"description": "batas waktu (YYYY-MM-DD)"})

    @validates_schema
    def _distinct(self, data, **kwargs):
        ids = data.get("to_user_ids") or []
        if len(set(ids)) != len(ids):
            raise ValidationError("Penerima tidak boleh disebut dua kali.", "to_user_ids")


class DispositionCompleteSchema(_Stripped):
    report = _text(2000, "laporan tindak lanjut")


class ScanSchema(Schema):
    """A stored scan (the gateway stored it in the blob store; only its key travels)."""

    key = fields.String(required=True, validate=validate.Length(min=1, max=300))
    content_type = fields.String(required=True, validate=validate.Equal("application/pdf"))
    size = fields.Integer(required=True, validate=validate.Range(min=1))
    sha256 = fields.String(required=True, validate=validate.Length(equal=64))


# --- answers --------------------------------------------------------------------------------


class DispositionSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    from_user_id = fields.Integer()
    from_name = fields.String()
    to_user_id = fields.Integer()
    to_name = fields.String()
    instruction = fields.String()
    note = fields.String()
    due_date = fields.Date()
    status = fields.String()
    status_label = fields.String()
    overdue = fields.Boolean()
    report = fields.String(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    completed_at = fields.AwareDateTime(format="iso", allow_none=True)


class LetterSummarySchema(Schema):
    id = fields.Integer()
    agency = fields.String()
    agenda_number = fields.String()
    sender = fields.String()
    letter_number = fields.String()
    letter_date = fields.Date()
    received_date = fields.Date()
    subject = fields.String()
    classification = fields.String()
    classification_label = fields.String()
    status = fields.String()
    status_label = fields.String()
    has_scan = fields.Boolean()
    overdue = fields.Boolean(metadata={"description": "ada disposisi yang lewat batas waktu"})
    next_due_date = fields.Date(allow_none=True)
    registered_by = fields.Integer()
    registered_at = fields.AwareDateTime(format="iso")
    completed_at = fields.AwareDateTime(format="iso", allow_none=True)


class LetterSchema(LetterSummarySchema):
    summary = fields.String()
    dispositions = fields.List(fields.Nested(DispositionSchema))
    may_dispose = fields.Boolean(metadata={"description": "pemanggil boleh memberi disposisi"})
    my_open_dispositions = fields.List(
        fields.Integer(), metadata={"description": "disposisi kepada pemanggil yang belum selesai"}
    )


class LetterPageSchema(Schema):
    items = fields.List(fields.Nested(LetterSummarySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class RecipientSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    roles = fields.List(fields.String())


class RecipientPageSchema(Schema):
    items = fields.List(fields.Nested(RecipientSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ScanFileSchema(Schema):
    """Where a letter's scan is (for the gateway, which serves the file)."""

    blob_key = fields.String()
    content_type = fields.String()
    filename = fields.String()


# --- events: ids and codes only, never a letter's text or a person's data --------------------

LETTER_REGISTERED = "letters.letter_registered"
DISPOSITION_GIVEN = "letters.disposition_given"
DISPOSITION_COMPLETED = "letters.disposition_completed"
LETTER_COMPLETED = "letters.letter_completed"


class _LetterFacts(EventSchema):
    letter_id = fields.Integer(required=True)
    agency = fields.String(required=True)
    agenda_number = fields.String(required=True)
    classification = fields.String(required=True)


@event(LETTER_REGISTERED)
class LetterRegistered(_LetterFacts):
    """A clerk registered an incoming letter: the agency's head has a new letter to dispose."""

    registered_by = fields.Integer(required=True)


@event(DISPOSITION_GIVEN)
class DispositionGiven(_LetterFacts):
    """One recipient was given a disposition (one event per recipient)."""

    disposition_id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True, load_default=None)
    from_user_id = fields.Integer(required=True)
    recipient_user_id = fields.Integer(required=True)
    instruction_code = fields.String(
        required=True, validate=validate.OneOf((*INSTRUCTIONS, OTHER_INSTRUCTION))
    )
    due_date = fields.String(required=True)  # YYYY-MM-DD


@event(DISPOSITION_COMPLETED)
class DispositionCompleted(_LetterFacts):
    disposition_id = fields.Integer(required=True)
    from_user_id = fields.Integer(required=True)
    recipient_user_id = fields.Integer(required=True)


@event(LETTER_COMPLETED)
class LetterCompleted(_LetterFacts):
    """Every disposition of the letter is done."""

    registered_by = fields.Integer(required=True)


EVENTS = (LetterRegistered, DispositionGiven, DispositionCompleted, LetterCompleted)


# --- client ---------------------------------------------------------------------------------


class LettersClient(Client):
    service = "letters"

    def register_letter(self, payload: dict) -> dict:
        """The clerk registers an incoming letter of their agency; returns it (LetterSchema)."""
        return self._call("register_letter", payload)

    def list_letters(self, query: dict | None = None) -> dict:
        """The letters of the caller's agency the caller may see (LetterPageSchema)."""
        return self._call("list_letters", query)

    def get_letter(self, letter_id: int) -> dict:
        return self._call("get_letter", letter_id)

    def check_scan(self, letter_id: int) -> None:
        """Whether the caller may attach a scan now (nothing changes)."""
        return self._call("check_scan", letter_id)

    def attach_scan(self, letter_id: int, scan: dict) -> dict:
        return self._call("attach_scan", letter_id, scan)

    def get_scan(self, letter_id: int) -> dict:
        """Where the scan is (ScanFileSchema), if the caller may see the letter."""
        return self._call("get_scan", letter_id)

    def recipients(self, query: dict | None = None) -> dict:
        """Staff of the caller's agency who may receive a disposition (RecipientPageSchema)."""
        return self._call("recipients", query)

    def dispose(self, letter_id: int, payload: dict) -> dict:
        return self._call("dispose", letter_id, payload)

    def complete_disposition(self, letter_id: int, disposition_id: int, payload: dict) -> dict:
        return self._call("complete_disposition", letter_id, disposition_id, payload)
