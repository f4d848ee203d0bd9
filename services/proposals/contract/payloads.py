"""What callers send to the proposals service's RPC methods (validated again by the service).

Money is a whole number of Rupiah (`strict`: 1.5 or "100" is refused, not rounded).
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.schema_fields import StrictBoolean
from services.proposals.contract.catalogue import (
    BANSOS,
    BANSOS_TYPES,
    CATEGORIES,
    DOCUMENT_TYPES,
    HIBAH,
    KINDS,
    LEGAL_FORMS,
    PLANNED,
)
from services.proposals.contract.stages import STAGES, TRANSITIONS

LAT = validate.Range(min=-90, max=90, error="Lintang harus antara -90 dan 90.")
LON = validate.Range(min=-180, max=180, error="Bujur harus antara -180 dan 180.")
POSITIVE = validate.Range(min=1, error="Jumlah harus lebih dari nol (Rupiah, bilangan bulat).")
NIK = validate.Regexp(r"^\d{16}$", error="NIK harus 16 digit angka.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Nomor telepon tidak valid.")
PER_PAGE_MAX = 100


def Rupiah(**kwargs) -> fields.Integer:  # noqa: N802  (reads like a field class)
    metadata = {"description": "Rupiah, bilangan bulat"} | kwargs.pop("metadata", {})
    return fields.Integer(strict=True, validate=POSITIVE, metadata=metadata, **kwargs)


def Text(max_length: int, required: bool = True, min_length: int = 1, **kwargs) -> fields.String:  # noqa: N802
    field_kwargs = {"required": True} if required else {"load_default": None, "allow_none": True}
    return fields.String(
        validate=validate.Length(
            min=min_length if required else 0,
            max=max_length,
            error=f"Panjang {min_length if required else 0} sampai {max_length} karakter.",
        ),
        **field_kwargs,
        **kwargs,
    )


# --- applicants --------------------------------------------------------------------------


class ResponsiblePersonSchema(Schema):
    name = Text(120)
    position = Text(80, metadata={"example": "Ketua"})
    nik = fields.String(load_default=None, allow_none=True, validate=NIK)
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)


class _ApplicantBase(Schema):
    name = Text(200, min_length=3)
    address = Text(300)
    lat = fields.Float(required=True, allow_nan=False, validate=LAT, metadata={"example": -6.12})
    lon = fields.Float(required=True, allow_nan=False, validate=LON, metadata={"example": 106.15})
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    bank_name = Text(80, required=False)
    bank_account_number = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[0-9-]{5,40}$", error="Nomor rekening hanya angka."),
    )
    bank_account_name = Text(200, required=False)


class OrganisationSchema(_ApplicantBase):
    """An organisation's profile; private except its name and desa."""

    legal_form = fields.String(required=True, validate=validate.OneOf(LEGAL_FORMS))
    legal_entity_number = Text(80, required=False, metadata={"example": "AHU-0012345.AH.01.04"})
    sk_kepengurusan = Text(120, required=False)
    established_on = fields.Date(load_default=None, allow_none=True)
    npwp = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[0-9.-]{15,20}$", error="NPWP tidak valid."),
    )
    responsible_people = fields.List(
        fields.Nested(ResponsiblePersonSchema),
        required=True,
        validate=validate.Length(min=1, max=10, error="Sebutkan 1 sampai 10 pengurus."),
    )


class IndividualSchema(_ApplicantBase):
    """A person applying for bansos: private except initials and desa."""

    nik = fields.String(required=True, validate=NIK)


class MemberSchema(Schema):
    user_id = fields.Integer(required=True, strict=True)


# --- proposals ---------------------------------------------------------------------------


class CostLineSchema(Schema):
    item = Text(200, metadata={"example": "Sewa tenda dan kursi"})
    amount = Rupiah(required=True, metadata={"example": 5_000_000})


class ProposalDraftSchema(Schema):
    """A proposal as the applicant writes it; the cost lines must add up to the amount."""

    applicant_id = fields.Integer(required=True, strict=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    bansos_type = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(BANSOS_TYPES)
    )
    budget_year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=2000, max=2100, error="Tahun anggaran tidak valid."),
    )
    title = Text(200, min_length=5)
    purpose = Text(4000, min_length=10)
    activities = fields.String(load_default="", validate=validate.Length(max=4000))
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    requested_amount = Rupiah(required=True, metadata={"example": 25_000_000})
    cost_lines = fields.List(
        fields.Nested(CostLineSchema),
        required=True,
        validate=validate.Length(min=1, max=100, error="Rincian biaya 1 sampai 100 baris."),
    )
    lat = fields.Float(required=True, allow_nan=False, validate=LAT, metadata={"example": -6.12})
    lon = fields.Float(required=True, allow_nan=False, validate=LON, metadata={"example": 106.15})

    @validates_schema
    def consistent(self, data, **_):
        errors = {}
        lines = data.get("cost_lines") or []
        total = sum(line["amount"] for line in lines)
        if lines and "requested_amount" in data and total != data["requested_amount"]:
            errors["cost_lines"] = [
                f"Jumlah rincian biaya Rp{total:,} tidak sama dengan nilai yang diajukan "
                f"Rp{data['requested_amount']:,}.".replace(",", ".")
            ]
        category = CATEGORIES.get(data.get("category") or "")
        if category and data.get("kind") and data["kind"] not in category.kinds:
            errors["category"] = [f"Kategori {category.name} tidak untuk {data['kind']}."]
        if data.get("kind") == HIBAH and data.get("bansos_type"):
            errors["bansos_type"] = ["Hanya untuk bansos."]
        if data.get("kind") == BANSOS and data.get("bansos_type") not in (None, PLANNED):
            errors["bansos_type"] = [
                "Bansos tidak terencana dibuka oleh petugas atas laporan kepala desa/camat/OPD."
            ]
        if errors:
            raise ValidationError(errors)


class EmergencySchema(Schema):
    """Unplanned (emergency) bansos opened by staff on a report, without an applicant's proposal."""

    beneficiary = fields.Nested(IndividualSchema, required=True)
    reported_by = Text(200, metadata={"example": "Kepala Desa Cikande, laporan 3 Maret"})
    budget_year = fields.Integer(required=True, strict=True)
    title = Text(200, min_length=5)
    purpose = Text(4000, min_length=10)
    category = fields.String(
        load_default="bencana", validate=validate.OneOf(["bencana", "sosial", "rumah"])
    )
    requested_amount = Rupiah(required=True)
    cost_lines = fields.List(fields.Nested(CostLineSchema), required=True)
    lat = fields.Float(required=True, allow_nan=False, validate=LAT)
    lon = fields.Float(required=True, allow_nan=False, validate=LON)

    @validates_schema
    def adds_up(self, data, **_):
        total = sum(line["amount"] for line in data.get("cost_lines") or [])
        if "requested_amount" in data and total != data["requested_amount"]:
            raise ValidationError(
                f"Jumlah rincian biaya ({total}) tidak sama dengan nilai yang diajukan.",
                "cost_lines",
            )


class ProposalTransitionSchema(Schema):
    """A step of the lifecycle; what each action needs is listed in its description."""

    action = fields.String(
        required=True,
        validate=validate.OneOf([a for a, t in TRANSITIONS.items() if t.actor.name != "system"]),
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    amount = Rupiah(
        load_default=None,
        allow_none=True,
        metadata={"description": "recommend, accept, approve, disburse: Rupiah, bilangan bulat"},
    )
    decree_number = Text(80, required=False, metadata={"description": "approve: nomor SK Bupati"})
    decree_date = fields.Date(load_default=None, allow_none=True)
    nphd_number = Text(80, required=False, metadata={"description": "sign_agreement: nomor NPHD"})
    nphd_date = fields.Date(load_default=None, allow_none=True)
    integrity_pact = StrictBoolean(
        load_default=False, metadata={"description": "sign_agreement: pakta integritas penerima"}
    )
    disbursed_on = fields.Date(load_default=None, allow_none=True)
    sp2d_ref = Text(80, required=False, metadata={"description": "disburse: nomor SP2D/transfer"})


class FieldCheckSchema(Schema):
    """The verifier's field check: date, findings, photos (documents of type foto_verifikasi)."""

    checked_on = fields.Date(required=True)
    findings = Text(4000, min_length=10)
    photo_ids = fields.List(fields.Integer(strict=True), load_default=list)


class DeclarationSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["no_conflict", "recused"]))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DocumentSchema(Schema):
    """A stored upload (the gateway checked its type by content and its size)."""

    key = fields.String(required=True, validate=validate.Length(max=200))
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True, validate=validate.Length(equal=64))
    filename = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class DocTypeSchema(Schema):
    doc_type = fields.String(required=True, validate=validate.OneOf(list(DOCUMENT_TYPES)))


def _known_stages(raw: str) -> None:
    unknown = set(raw.split(",")) - set(STAGES) - {""}
    if unknown:
        raise ValidationError(f"Tahap tidak dikenal: {', '.join(sorted(unknown))}.")


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=PER_PAGE_MAX))


class RegistryQuerySchema(PageQuerySchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    stage = fields.String(
        load_default=None,
        validate=_known_stages,
        metadata={"description": "satu atau lebih tahap, dipisah koma"},
    )
    agency = fields.String(load_default=None, validate=validate.Length(max=32))
    kecamatan = fields.String(load_default=None, validate=validate.Length(max=16))


class ExportQuerySchema(RegistryQuerySchema):
    class Meta:
        exclude = ("page", "per_page")


class QueueQuerySchema(PageQuerySchema):
    stage = fields.String(load_default=None, validate=validate.OneOf(STAGES))
