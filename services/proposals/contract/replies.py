"""What the proposals service answers: the gateway keeps only the fields declared here (the
public registry's schemas hold public fields only), and the open-data export's allow-list.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from services.proposals.contract.payloads import CostLineSchema, ResponsiblePersonSchema
from services.proposals.contract.progress import ProgressSchema
from services.proposals.contract.rounds import RoundOutSchema
from services.proposals.contract.standing import PrintableSchema, StandingDocumentOutSchema

# --- responses (the gateway keeps only the fields declared here) --------------------------


class TimelineEntrySchema(Schema):
    at = fields.String()
    action = fields.String()
    action_label = fields.String()
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    actor = fields.String()
    note = fields.String(allow_none=True)
    amount = fields.Integer(allow_none=True)


class PublicProposalSchema(Schema):
    """A proposal in the public registry: no personal or financial detail of anyone."""

    public_id = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    bansos_type = fields.String(allow_none=True)
    bansos_type_label = fields.String(allow_none=True)
    budget_year = fields.Integer()
    title = fields.String()
    purpose = fields.String(allow_none=True)
    category = fields.String()
    category_name = fields.String()
    agency = fields.String()
    recipient_name = fields.String(
        metadata={"description": "nama lembaga; perorangan: inisial saja"}
    )
    recipient_type = fields.String()
    desa = fields.String(allow_none=True)
    desa_code = fields.String(allow_none=True)
    kecamatan = fields.String(allow_none=True)
    kecamatan_code = fields.String(allow_none=True)
    lat = fields.Float()
    lon = fields.Float()
    requested_amount = fields.Integer()
    recommended_amount = fields.Integer(allow_none=True)
    accepted_amount = fields.Integer(allow_none=True)
    approved_amount = fields.Integer(allow_none=True)
    disbursed_amount = fields.Integer(allow_none=True)
    decree_number = fields.String(allow_none=True)
    decree_date = fields.String(allow_none=True)
    nphd_number = fields.String(allow_none=True)
    nphd_date = fields.String(allow_none=True)
    disbursed_on = fields.String(allow_none=True)
    stage = fields.String()
    stage_label = fields.String()
    stage_since = fields.String()
    stage_note = fields.String(allow_none=True)
    submitted_at = fields.String(allow_none=True)
    lpj_status = fields.String(allow_none=True)
    lpj_due = fields.String(allow_none=True)
    timeline = fields.List(fields.Nested(TimelineEntrySchema))
    progress = fields.Nested(ProgressSchema)  # "tahap x dari n", what is next and who acts


class ApplicantOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    legal_form = fields.String(allow_none=True)
    legal_entity_number = fields.String(allow_none=True)
    sk_kepengurusan = fields.String(allow_none=True)
    established_on = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    domicile_inside = fields.Boolean(allow_none=True)
    desa = fields.String(allow_none=True)
    desa_code = fields.String(allow_none=True)
    kecamatan = fields.String(allow_none=True)
    kecamatan_code = fields.String(allow_none=True)
    nik = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    npwp = fields.String(allow_none=True)
    bank_name = fields.String(allow_none=True)
    bank_account_number = fields.String(allow_none=True)
    bank_account_name = fields.String(allow_none=True)
    responsible_people = fields.List(fields.Nested(ResponsiblePersonSchema))
    member_user_ids = fields.List(fields.Integer())
    updated_at = fields.String()


class ChecklistItemSchema(Schema):
    doc_type = fields.String()
    name = fields.String()
    uploaded = fields.Boolean(
        metadata={"description": "there and valid: it counts for submitting the proposal"}
    )
    source = fields.String(
        metadata={
            "enum": ["proposal", "profile"],
            "description": "proposal: uploaded to this proposal; profile: a standing document "
            "of the organisation's profile, reused by every proposal",
        }
    )
    reason = fields.String(allow_none=True, metadata={"description": "why it does not count"})
    valid_from = fields.String(allow_none=True)
    valid_until = fields.String(allow_none=True)
    standing_document_id = fields.Integer(
        allow_none=True, metadata={"description": "the profile's version it rests on"}
    )
    copy = fields.Boolean(
        metadata={
            "description": "a standing document counted from a copy uploaded to the proposal "
            "itself (before the profile held it)"
        }
    )


class DocumentOutSchema(Schema):
    id = fields.Integer()
    doc_type = fields.String()
    name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    filename = fields.String(allow_none=True)
    uploaded_at = fields.String()
    url = fields.String()


class FieldCheckOutSchema(Schema):
    id = fields.Integer()
    checked_on = fields.String()
    findings = fields.String()
    photo_ids = fields.List(fields.Integer())
    officer_agency = fields.String()
    signature = fields.String()
    created_at = fields.String()


class DeclarationOutSchema(Schema):
    user_id = fields.Integer()
    role = fields.String()
    agency = fields.String(allow_none=True)
    decision = fields.String()
    note = fields.String(allow_none=True)
    declared_at = fields.String()


class ActionOutSchema(Schema):
    action = fields.String()
    label = fields.String()
    note_required = fields.Boolean()
    needs_declaration = fields.Boolean()
    requires = fields.List(
        fields.String(),
        metadata={"description": "amount, decree, agreement, disbursement, field_check, ..."},
    )


class PrivateProposalSchema(PublicProposalSchema):
    """A proposal for its applicant and the staff handling it."""

    activities = fields.String()
    cost_lines = fields.List(fields.Nested(CostLineSchema))
    sp2d_ref = fields.String(allow_none=True)
    integrity_pact = fields.Boolean()
    source_note = fields.String(allow_none=True)
    applicant = fields.Nested(ApplicantOutSchema)
    applicant_withheld = fields.Boolean(
        metadata={
            "description": "true: the caller follows this proposal but may not see its "
            "applicant's private details, documents or payment reference at this stage"
        }
    )
    checklist = fields.List(fields.Nested(ChecklistItemSchema))
    documents = fields.List(fields.Nested(DocumentOutSchema))
    standing_documents = fields.List(
        fields.Nested(StandingDocumentOutSchema),
        metadata={
            "description": "the organisation's standing documents this proposal rests on: the "
            "versions recorded when it was submitted (a later replacement on the profile does "
            "not change them; `current` false then), or a draft's the profile's now"
        },
    )
    printables = fields.List(
        fields.Nested(PrintableSchema),
        metadata={"description": "the printable PDFs that exist at its stage"},
    )
    field_checks = fields.List(fields.Nested(FieldCheckOutSchema))
    declarations = fields.List(fields.Nested(DeclarationOutSchema))
    waiting_days = fields.Float()
    actions = fields.List(
        fields.Nested(ActionOutSchema),
        metadata={"description": "what the caller may do now (staff steps by role and agency)"},
    )
    my_declaration = fields.String(
        allow_none=True, metadata={"description": "the caller's no_conflict/recused, if any"}
    )


class TotalSchema(Schema):
    key = fields.String(allow_none=True)
    label = fields.String(allow_none=True)
    count = fields.Integer()
    requested = fields.Integer()
    recommended = fields.Integer()
    approved = fields.Integer()
    disbursed = fields.Integer()


class TotalsSchema(Schema):
    year = fields.List(fields.Nested(TotalSchema))
    kind = fields.List(fields.Nested(TotalSchema))
    agency = fields.List(fields.Nested(TotalSchema))
    kecamatan = fields.List(fields.Nested(TotalSchema))


class RegistryPageSchema(Schema):
    items = fields.List(fields.Nested(PublicProposalSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    totals = fields.Nested(TotalsSchema)
    # every application round's schedule (issue 16), whatever the filters
    rounds = fields.List(fields.Nested(RoundOutSchema))


class ProposalPageSchema(Schema):
    items = fields.List(fields.Nested(PrivateProposalSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class AuditEntryOutSchema(Schema):
    seq = fields.Integer()
    at = fields.String()
    action = fields.String()
    actor_user_id = fields.Integer(allow_none=True)
    actor_roles = fields.List(fields.String())
    actor_agency = fields.String(allow_none=True)
    data = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class AuditVerdictSchema(Schema):
    public_id = fields.String(allow_none=True)
    ok = fields.Boolean()
    entries = fields.Integer()
    broken_at = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


class AuditLogSchema(Schema):
    public_id = fields.String()
    head = fields.String(allow_none=True)
    entries = fields.List(fields.Nested(AuditEntryOutSchema))


# --- the open-data export (360Giving): the only fields a CSV or JSON export may carry ------

EXPORT_FIELDS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Recommended",
    "Amount Awarded",
    "Amount Disbursed",
    "Application Date",
    "Recommendation Date",
    "Award Date",
    "Disbursement Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Beneficiary Location:Kecamatan",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Budget Year",
    "Stage",
    "Stage Label",
    "Decree Number",
    "Agreement Number",
    "LPJ Status",
    "Last Modified",
    "Data Source",
)


class GrantPartySchema(Schema):
    id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    department = fields.String(allow_none=True)


class GrantProgrammeSchema(Schema):
    code = fields.String()
    title = fields.String()


class GrantLocationSchema(Schema):
    name = fields.String(allow_none=True)
    geoCode = fields.String(allow_none=True)  # noqa: N815  (360Giving's names)
    geoCodeType = fields.String()  # noqa: N815
    countryCode = fields.String()  # noqa: N815


class GrantDateSchema(Schema):
    startDate = fields.String()  # noqa: N815
    endDate = fields.String()  # noqa: N815


class SerangOpenExtensionSchema(Schema):
    stage = fields.String()
    stageLabel = fields.String()  # noqa: N815
    budgetYear = fields.Integer()  # noqa: N815
    amountRecommended = fields.Integer(allow_none=True)  # noqa: N815
    recommendationDate = fields.String(allow_none=True)  # noqa: N815
    applicationDate = fields.String(allow_none=True)  # noqa: N815
    disbursementDate = fields.String(allow_none=True)  # noqa: N815
    decreeNumber = fields.String(allow_none=True)  # noqa: N815
    agreementNumber = fields.String(allow_none=True)  # noqa: N815
    lpjStatus = fields.String(allow_none=True)  # noqa: N815
    kecamatan = fields.String(allow_none=True)


class GrantSchema(Schema):
    """One awarded grant of the 360Giving export (services/proposals/opendata.py): the
    standard's names, no nulls; individuals by initials only."""

    id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    currency = fields.String()
    amountAppliedFor = fields.Integer()  # noqa: N815
    amountAwarded = fields.Integer(allow_none=True)  # noqa: N815
    amountDisbursed = fields.Integer(allow_none=True)  # noqa: N815
    awardDate = fields.String(allow_none=True)  # noqa: N815
    dateModified = fields.String()  # noqa: N815
    recipientOrganization = fields.List(fields.Nested(GrantPartySchema))  # noqa: N815
    recipientIndividual = fields.Nested(GrantPartySchema)  # noqa: N815  (an object, not a list)
    fundingOrganization = fields.List(fields.Nested(GrantPartySchema))  # noqa: N815
    grantProgramme = fields.List(fields.Nested(GrantProgrammeSchema))  # noqa: N815
    beneficiaryLocation = fields.List(fields.Nested(GrantLocationSchema))  # noqa: N815
    plannedDates = fields.List(fields.Nested(GrantDateSchema))  # noqa: N815
    dataSource = fields.String()  # noqa: N815
    serangOpen = fields.Nested(SerangOpenExtensionSchema)  # noqa: N815


class GrantPublisherSchema(Schema):
    identifier = fields.String()
    name = fields.String()
    website = fields.String()


class GrantPackageSchema(Schema):
    """A 360Giving data package (the standard's package schema) of the awarded grants."""

    version = fields.String()
    title = fields.String()
    description = fields.String()
    identifier = fields.String()
    issued = fields.String()
    modified = fields.String()
    publisher = fields.Nested(GrantPublisherSchema)
    license = fields.String()
    downloadURL = fields.String()  # noqa: N815
    accessURL = fields.String()  # noqa: N815
    grants = fields.List(fields.Nested(GrantSchema))


class ApplicationSchema(Schema):
    """A submitted proposal not (yet) awarded, in the applications export (not 360Giving)."""

    id = fields.String()
    title = fields.String()
    kind = fields.String()
    kindLabel = fields.String()  # noqa: N815
    budgetYear = fields.Integer()  # noqa: N815
    currency = fields.String()
    amountAppliedFor = fields.Integer()  # noqa: N815
    amountRecommended = fields.Integer()  # noqa: N815
    applicationDate = fields.String()  # noqa: N815
    stage = fields.String()
    stageLabel = fields.String()  # noqa: N815
    recipientType = fields.String()  # noqa: N815
    recipientName = fields.String()  # noqa: N815
    agency = fields.String()
    location = fields.String()
    geoCode = fields.String()  # noqa: N815
    dateModified = fields.String()  # noqa: N815


class ApplicationExportSchema(Schema):
    title = fields.String()
    publisher = fields.Nested(GrantPublisherSchema)
    license = fields.String()
    issued = fields.String()
    applications = fields.List(fields.Nested(ApplicationSchema))
