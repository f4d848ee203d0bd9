"""What other processes may know of Kartu Kuning (the AK/I card of DISNAKER): its codes, its RPC
schemas, its events and the typed client `JobcardsClient`.

Depends on the standard library, marshmallow and servicekit only (import-linter checks it).
Events carry ids and public facts only (never the NIK, a name, a phone or an address): whoever
needs more asks this service.
"""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.client import Client
from servicekit.events import EventSchema, event
from servicekit.schema_fields import StrictInteger

AGENCY = "DISNAKER"
OFFICER = "officer"
REGENCY_CODE = "3604"  # Kabupaten Serang (Kemendagri)
CARD_PREFIX = f"AK1-{REGENCY_CODE}"
CARD_NUMBER = r"^AK1-3604-\d{4}-\d{6}$"

# --- statuses -----------------------------------------------------------------------------

DRAFT, SUBMITTED, RETURNED, APPROVED, REJECTED, LAPSED, CLOSED = (
    "draft",
    "submitted",
    "returned",
    "approved",
    "rejected",
    "lapsed",
    "closed",
)
STATUS_LABELS = {
    DRAFT: "Draf",
    SUBMITTED: "Menunggu pemeriksaan",
    RETURNED: "Dikembalikan untuk perbaikan",
    APPROVED: "Kartu aktif",
    REJECTED: "Ditolak",
    LAPSED: "Tidak aktif (tidak lapor)",
    CLOSED: "Ditutup (sudah bekerja)",
}
# What the public verification says of a card number.
VERIFY_STATES = ("valid", "lapsed", "expired", "closed", "unknown")
VERIFY_LABELS = {
    "valid": "Berlaku",
    "lapsed": "Tidak aktif: pemegang tidak melapor",
    "expired": "Masa berlaku habis",
    "closed": "Ditutup: pemegang sudah bekerja",
    "unknown": "Nomor kartu tidak dikenal",
}

EDUCATION_LEVELS = {
    "sd": "SD/sederajat",
    "smp": "SMP/sederajat",
    "sma": "SMA/sederajat",
    "smk": "SMK",
    "d1": "Diploma I",
    "d2": "Diploma II",
    "d3": "Diploma III",
    "d4": "Diploma IV",
    "s1": "Sarjana (S1)",
    "s2": "Magister (S2)",
    "s3": "Doktor (S3)",
}
GENDERS = {"L": "Laki-laki", "P": "Perempuan"}
MARITAL = {"belum_kawin": "Belum kawin", "kawin": "Kawin", "cerai": "Cerai"}
DOCUMENT_TYPES = {"ktp": "KTP", "ijazah": "Ijazah terakhir", "pas_foto": "Pas foto"}
PHOTO_ONLY = frozenset({"pas_foto"})
ACTIONS = ("approve", "return", "reject")
REPORT_KINDS = {"still_looking": "Masih mencari kerja", "employed": "Sudah bekerja"}
PER_PAGE_MAX = 100


# --- requests -----------------------------------------------------------------------------


class PhoneNumber(fields.String):
    """A phone number as people write it ("0812 3456 7890", "+62 812-3456-7890", "62812..."),
    kept as digits from 0: 8 to 15 digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        digits = re.sub(r"[\s().-]", "", text)
        digits = re.sub(r"^(\+62|62)", "0", digits)
        if not re.fullmatch(r"0\d{7,14}", digits):
            raise ValidationError("Nomor telepon 8 sampai 15 angka, mis. 0812 3456 7890.")
        return digits


class ApplicationCreateSchema(Schema):
    """A citizen's application for the AK/I card (created as a draft)."""

    nik = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{16}$", error="NIK harus terdiri dari 16 angka."),
        metadata={"description": "NIK pemohon (16 angka; diperiksa seperti pada pendaftaran)"},
    )
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    birth_place = fields.String(required=True, validate=validate.Length(min=2, max=80))
    birth_date = fields.Date(
        required=True, metadata={"description": "YYYY-MM-DD; cocok dengan NIK"}
    )
    gender = fields.String(required=True, validate=validate.OneOf(list(GENDERS)))
    marital_status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(MARITAL))
    )
    phone = PhoneNumber(load_default=None, allow_none=True)
    address = fields.String(required=True, validate=validate.Length(min=5, max=300))
    desa_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^36\.04\.\d{2}\.\d{4}$", error="Kode desa seperti 36.04.05.2001."
        ),
        metadata={"description": "desa domisili di Kabupaten Serang, atau lat/lon"},
    )
    lat = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(-90, 90)
    )
    lon = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(-180, 180)
    )
    education_level = fields.String(required=True, validate=validate.OneOf(list(EDUCATION_LEVELS)))
    education_major = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=120)
    )
    graduation_year = StrictInteger(required=True, validate=validate.Range(min=1950, max=2100))
    skills = fields.List(
        fields.String(validate=validate.Length(min=1, max=80)),
        load_default=list,
        validate=validate.Length(max=20),
    )
    training = fields.List(
        fields.String(validate=validate.Length(min=1, max=120)),
        load_default=list,
        validate=validate.Length(max=20),
    )
    work_wanted = fields.String(
        required=True,
        validate=validate.Length(min=2, max=200),
        metadata={"description": "jenis pekerjaan yang diinginkan"},
    )

    @validates_schema
    def _domicile(self, data, **kwargs):
        has_point = data.get("lat") is not None or data.get("lon") is not None
        if data.get("desa_code") and has_point:
            raise ValidationError("Pilih desa atau titik lokasi, bukan keduanya.", "desa_code")
        if has_point and (data.get("lat") is None or data.get("lon") is None):
            raise ValidationError("Titik lokasi perlu lat dan lon.", "lat")
        if not data.get("desa_code") and not has_point:
            raise ValidationError("Isi desa domisili atau titik lokasi.", "desa_code")


class TransitionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))

    @validates_schema
    def _note_needed(self, data, **kwargs):
        if data["action"] in ("return", "reject") and not (data.get("note") or "").strip():
            raise ValidationError("Tuliskan catatan atau alasannya.", "note")


class ReportCreateSchema(Schema):
    """The holder's six-monthly report."""

    status = fields.String(required=True, validate=validate.OneOf(list(REPORT_KINDS)))
    employer = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=160))
    employed_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _employment(self, data, **kwargs):
        if data["status"] == "employed":
            if not (data.get("employer") or "").strip():
                raise ValidationError("Nama pemberi kerja wajib diisi.", "employer")
            if data.get("employed_on") is None:
                raise ValidationError("Tanggal mulai bekerja wajib diisi.", "employed_on")


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=PER_PAGE_MAX))


class FiguresQuerySchema(Schema):
    year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(2000, 2100))


# --- replies ------------------------------------------------------------------------------


class DocumentSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = fields.AwareDateTime(format="iso")


class DocumentFileSchema(DocumentSchema):
    """Where a document's file is stored (for the gateway, which serves it)."""

    blob_key = fields.String()


class CardReportSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    employer = fields.String(allow_none=True)
    employed_on = fields.Date(allow_none=True)
    reported_at = fields.AwareDateTime(format="iso")


class ApplicationSchema(Schema):
    """An application as its applicant and DISNAKER's officers see it (personal data)."""

    id = fields.Integer()
    status = fields.String()
    status_label = fields.String()
    nik = fields.String()
    name = fields.String()
    birth_place = fields.String()
    birth_date = fields.Date()
    gender = fields.String()
    marital_status = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String()
    desa_code = fields.String(allow_none=True)
    desa_name = fields.String(allow_none=True)
    kecamatan_code = fields.String(allow_none=True)
    kecamatan_name = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    education_level = fields.String()
    education_major = fields.String(allow_none=True)
    graduation_year = fields.Integer()
    skills = fields.List(fields.String())
    training = fields.List(fields.String())
    work_wanted = fields.String()
    note = fields.String(allow_none=True)
    card_number = fields.String(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    report_due = fields.Date(allow_none=True)
    documents = fields.List(fields.Nested(DocumentSchema))
    reports = fields.List(fields.Nested(CardReportSchema))
    missing_documents = fields.List(fields.String())
    created_at = fields.AwareDateTime(format="iso")
    submitted_at = fields.AwareDateTime(format="iso", allow_none=True)
    updated_at = fields.AwareDateTime(format="iso")


class ApplicationPageSchema(Schema):
    items = fields.List(fields.Nested(ApplicationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class VerificationSchema(Schema):
    """What anyone (an employer) may know of a card number: no personal data but initials."""

    card_number = fields.String()
    state = fields.String(validate=validate.OneOf(VERIFY_STATES))
    state_label = fields.String()
    initials = fields.String(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


class CardDocumentSchema(Schema):
    """What the gateway prints on the card (the holder's or DISNAKER's request only)."""

    card_number = fields.String()
    name = fields.String()
    nik = fields.String()
    birth_place = fields.String()
    birth_date = fields.Date()
    gender = fields.String()
    marital_status = fields.String(allow_none=True)
    address = fields.String()
    education = fields.String()
    work_wanted = fields.String()
    issued_on = fields.Date()
    valid_until = fields.Date()
    state = fields.String()
    photo_key = fields.String(allow_none=True)
    photo_type = fields.String(allow_none=True)


class FigureRowSchema(Schema):
    key = fields.String()
    label = fields.String()
    issued = fields.Integer()
    active = fields.Integer()
    lapsed = fields.Integer()
    closed = fields.Integer()


class FiguresSchema(Schema):
    year = fields.Integer(allow_none=True)
    totals = fields.Nested(FigureRowSchema)
    by_education = fields.List(fields.Nested(FigureRowSchema))
    by_gender = fields.List(fields.Nested(FigureRowSchema))
    by_kecamatan = fields.List(fields.Nested(FigureRowSchema))
    by_month = fields.List(fields.Nested(FigureRowSchema))


# --- events (ids and public facts only) ---------------------------------------------------

SUBMITTED_EVENT = "jobcards.application_submitted"
APPROVED_EVENT = "jobcards.application_approved"
RETURNED_EVENT = "jobcards.application_returned"
REJECTED_EVENT = "jobcards.application_rejected"
REPORTED_EVENT = "jobcards.card_reported"
REMINDER_EVENT = "jobcards.report_reminder_sent"
LAPSED_EVENT = "jobcards.card_lapsed"
CLOSED_EVENT = "jobcards.card_closed"


class _ApplicationFacts(EventSchema):
    """What every jobcards event says: ids and the facts the office counts by."""

    application_id = fields.Integer(required=True)
    applicant_user_id = fields.Integer(required=True)
    agency = fields.String(required=True)
    status = fields.String(required=True)
    education_level = fields.String(required=True)
    gender = fields.String(required=True)
    kecamatan_code = fields.String(allow_none=True, load_default=None)


class _CardFacts(_ApplicationFacts):
    card_number = fields.String(required=True)
    valid_until = fields.Date(required=True)


@event(SUBMITTED_EVENT)
class ApplicationSubmitted(_ApplicationFacts):
    resubmitted = fields.Boolean(load_default=False)


@event(APPROVED_EVENT)
class ApplicationApproved(_CardFacts):
    issued_on = fields.Date(required=True)


@event(RETURNED_EVENT)
class ApplicationReturned(_ApplicationFacts):
    note = fields.String(required=True)


@event(REJECTED_EVENT)
class ApplicationRejected(_ApplicationFacts):
    note = fields.String(required=True)


@event(REPORTED_EVENT)
class CardReported(_CardFacts):
    report = fields.String(required=True)
    report_due = fields.Date(allow_none=True, load_default=None)


@event(REMINDER_EVENT)
class ReportReminderSent(_CardFacts):
    report_due = fields.Date(required=True)
    days_left = fields.Integer(required=True)


@event(LAPSED_EVENT)
class CardLapsed(_CardFacts):
    pass


@event(CLOSED_EVENT)
class CardClosed(_CardFacts):
    employed_on = fields.Date(required=True)


# --- client -------------------------------------------------------------------------------


class JobcardsClient(Client):
    service = "jobcards"

    def create_application(self, payload: dict) -> dict:
        """A signed-in citizen starts an application (a draft); returns it."""
        return self._call("create_application", payload)

    def update_application(self, application_id: int, payload: dict) -> dict:
        """The applicant corrects a draft or a returned application (as on creation)."""
        return self._call("update_application", application_id, payload)

    def document(self, application_id: int, document_id: int) -> dict:
        """A document and its stored file's key: the applicant or DISNAKER's officers."""
        return self._call("document", application_id, document_id)

    def my_applications(self, query: dict | None = None) -> dict:
        """The caller's own applications and cards, newest first (a page)."""
        return self._call("my_applications", query)

    def queue(self, query: dict | None = None) -> dict:
        """DISNAKER's officers: submitted applications, oldest first (a page)."""
        return self._call("queue", query)

    def get_application(self, application_id: int) -> dict:
        """One application: its applicant or DISNAKER's officers."""
        return self._call("get_application", application_id)

    def check_document(self, application_id: int, doc_type: str) -> None:
        """Whether the caller may add a document of `doc_type` now; nothing changes."""
        return self._call("check_document", application_id, doc_type)

    def add_document(self, application_id: int, doc_type: str, blob: dict) -> dict:
        """Attach a stored file (checked by the gateway), replacing one of the same type."""
        return self._call("add_document", application_id, doc_type, blob)

    def submit(self, application_id: int) -> dict:
        """The applicant submits a complete draft (or a returned application) to DISNAKER."""
        return self._call("submit", application_id)

    def transition(self, application_id: int, payload: dict) -> dict:
        """A DISNAKER officer approves, returns or rejects a submitted application."""
        return self._call("transition", application_id, payload)

    def card(self, application_id: int) -> dict:
        """What the printed card shows (CardDocumentSchema): holder or DISNAKER officer."""
        return self._call("card", application_id)

    def report(self, application_id: int, payload: dict) -> dict:
        """The holder's six-monthly report: still looking, or employed (closes the card)."""
        return self._call("report", application_id, payload)

    def verify(self, card_number: str) -> dict:
        """Anyone: the state of a card number, its dates and the holder's initials."""
        return self._call("verify", card_number)

    def figures(self, query: dict | None = None) -> dict:
        """DISNAKER staff and admins: cards by education, gender, kecamatan and month."""
        return self._call("figures", query)
