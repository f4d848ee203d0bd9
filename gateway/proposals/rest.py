"""Serang Open over HTTP: applicants apply, staff decide, auditors verify, everyone watches
(documents' routes are in gateway/proposals/documents.py, an organisation's standing documents'
in gateway/proposals/standing.py and the public registry's in gateway/proposals/registry.py,
all on this same blueprint).
"""

from __future__ import annotations

from flask import Blueprint

from gateway.access import (
    APPLICANT_READERS,
    DECLARERS,
    EMERGENCY_OPENERS,
    OPD_VERIFIER,
    OWNER,
    PROPOSAL_AUDITORS,
    PROPOSAL_QUEUE,
    PROPOSAL_READERS,
    SIGNED_IN,
)
from gateway.api import endpoint, rpc
from gateway.proposals.schemas import ApplicantActionSchema, NoteSchema
from services.proposals.contract import (
    ApplicantOutSchema,
    AuditLogSchema,
    AuditVerdictSchema,
    DeclarationSchema,
    EmergencySchema,
    FieldCheckSchema,
    IndividualSchema,
    MemberSchema,
    OrganisationSchema,
    PageQuerySchema,
    PrivateProposalSchema,
    ProposalDraftSchema,
    ProposalPageSchema,
    ProposalsClient,
    ProposalTransitionSchema,
    QueueQuerySchema,
)

blueprint = Blueprint("proposals", __name__)
TAGS = ("Hibah & bansos (Serang Open)",)
STAFF_TAGS = ("Hibah & bansos (staf)",)
STAFF = ("verifier", "officer", "budget_team", "admin")
AUDIT_READERS = (*STAFF, "auditor")  # Inspektorat reads every audit log (and nothing else)
BASE = "/api/v1/proposals"
proposals = ProposalsClient(rpc)


# --- applicants ----------------------------------------------------------------------------


@blueprint.post(f"{BASE}/organisations")
@endpoint(
    "Daftarkan profil lembaga",
    tags=TAGS,
    body=OrganisationSchema,
    response=ApplicantOutSchema,
    status=201,
    auth=True,
    errors=(422,),
    access=SIGNED_IN,
)
def create_organisation(body):
    """An organisation's profile (legal form, legal entity number, SK kepengurusan, address with
    map point, bank account, NPWP, responsible people), owned by the caller. Private."""
    return proposals.save_applicant("organisation", body)


@blueprint.put(f"{BASE}/organisations/<int:applicant_id>")
@endpoint(
    "Ubah profil lembaga",
    tags=TAGS,
    body=OrganisationSchema,
    response=ApplicantOutSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def update_organisation(applicant_id, body):
    """Replace an organisation's profile (its members only)."""
    return proposals.save_applicant("organisation", body, applicant_id)


@blueprint.post(f"{BASE}/individuals")
@endpoint(
    "Daftarkan pemohon perorangan (bansos)",
    tags=TAGS,
    body=IndividualSchema,
    response=ApplicantOutSchema,
    status=201,
    auth=True,
    errors=(422,),
    access=SIGNED_IN,
)
def create_individual(body):
    """A person applying for bansos: name, NIK, address with map point. Private; the registry
    shows only initials and desa."""
    return proposals.save_applicant("individual", body)


@blueprint.put(f"{BASE}/individuals/<int:applicant_id>")
@endpoint(
    "Ubah pemohon perorangan",
    tags=TAGS,
    body=IndividualSchema,
    response=ApplicantOutSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def update_individual(applicant_id, body):
    """Replace an individual applicant's profile (its owner only)."""
    return proposals.save_applicant("individual", body, applicant_id)


@blueprint.get(f"{BASE}/applicants")
@endpoint(
    "Profil pemohon saya",
    tags=TAGS,
    response=ApplicantOutSchema,
    many=True,
    auth=True,
    access=SIGNED_IN,
)
def my_applicants():
    """The organisations and individual profiles the caller may act for."""
    return proposals.my_applicants()


@blueprint.get(f"{BASE}/applicants/<int:applicant_id>")
@endpoint(
    "Profil pemohon",
    tags=TAGS,
    response=ApplicantOutSchema,
    auth=True,
    errors=(403, 404),
    access=APPLICANT_READERS,
)
def applicant(applicant_id):
    """One profile: for its members and staff."""
    return proposals.get_applicant(applicant_id)


@blueprint.post(f"{BASE}/applicants/<int:applicant_id>/members")
@endpoint(
    "Tambah pengelola lembaga",
    tags=TAGS,
    body=MemberSchema,
    response=ApplicantOutSchema,
    auth=True,
    errors=(403, 404, 409),
    access=OWNER,
)
def add_member(applicant_id, body):
    """Let another citizen account act for the organisation too."""
    return proposals.add_member(applicant_id, body)


# --- proposals -------------------------------------------------------------------------------


@blueprint.post(BASE)
@endpoint(
    "Buat draf usulan",
    tags=TAGS,
    body=ProposalDraftSchema,
    response=PrivateProposalSchema,
    status=201,
    auth=True,
    errors=(403, 404, 422),
    access=OWNER,
)
def create_draft(body):
    """A draft hibah or bansos proposal: amount in whole Rupiah whose cost lines add up to it
    (≤ PROPOSALS_AMOUNT_CEILING), the activity category (which decides the OPD), a map point in
    Kabupaten Serang. Upload the proposal's own documents of its `checklist` (`source`
    proposal); an organisation's standing ones (`source` profile) come from its profile
    (/applicants/<id>/documents). Then submit.

    Aturan antar-kolom (422 naming the field): the cost lines' amounts add up to
    `requested_amount`; the category is one of its kind's (hibah or bansos); `bansos_type` only
    with kind bansos; `applicant_id` is an applicant the caller acts for; the point lies in
    Kabupaten Serang."""
    return proposals.create_draft(body)


@blueprint.get(f"{BASE}/mine")
@endpoint(
    "Usulan saya",
    tags=TAGS,
    query=PageQuerySchema,
    response=ProposalPageSchema,
    auth=True,
    access=SIGNED_IN,
)
def mine(query):
    """The proposals of every applicant the caller may act for."""
    return proposals.my_proposals(query)


@blueprint.get(f"{BASE}/queue")
@endpoint(
    "Antrean staf",
    tags=STAFF_TAGS,
    query=QueueQuerySchema,
    response=ProposalPageSchema,
    roles=STAFF,
    access=PROPOSAL_QUEUE,
)
def queue(query):
    """What waits for the caller's role and agency (Kesra, the OPD's verifiers, TAPD, BPKAD),
    longest waiting first, with `waiting_days`."""
    return proposals.queue(query)


@blueprint.post(f"{BASE}/emergency")
@endpoint(
    "Buka bansos tidak terencana",
    tags=STAFF_TAGS,
    body=EmergencySchema,
    response=PrivateProposalSchema,
    status=201,
    roles=("officer", "verifier"),
    errors=(403, 422),
    access=EMERGENCY_OPENERS,
)
def open_emergency(body):
    """Staff open an unplanned (emergency) bansos on a report from a kepala desa, camat or OPD.

    Aturan antar-kolom (422 naming the field): the cost lines' amounts add up to
    `requested_amount`, which is at most PROPOSALS_AMOUNT_CEILING; `budget_year` is this year
    or one of the next PROPOSALS_YEARS_AHEAD; the point lies in Kabupaten Serang. Staff of
    another agency than the category's (or the admin agency) are refused with 403."""
    return proposals.open_emergency(body)


@blueprint.get(f"{BASE}/<proposal_id:public_id>")
@endpoint(
    "Rincian usulan",
    tags=TAGS,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404),
    access=PROPOSAL_READERS,
)
def detail(public_id):
    """A proposal with its private details: for its applicant and the staff handling it (403 for
    anyone else; the public registry has what may be public)."""
    return proposals.get_proposal(public_id)


@blueprint.put(f"{BASE}/<proposal_id:public_id>")
@endpoint(
    "Ubah draf usulan",
    tags=TAGS,
    body=ProposalDraftSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def update_draft(public_id, body):
    """Replace a draft, or a returned proposal being fixed.

    Aturan antar-kolom (422 naming the field): as for a new draft, the cost lines add up to
    `requested_amount`, the category is one of its kind's, `bansos_type` only with bansos."""
    return proposals.update_draft(public_id, body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/transitions")
@endpoint(
    "Tindakan atas usulan",
    tags=STAFF_TAGS,
    body=ProposalTransitionSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OPD_VERIFIER,
)
def transition(public_id, body):
    """complete / return (note) — Kesra; recommend (amount ≤ requested, after a field check) /
    not_recommend (note) — the OPD's verifier; accept (amount) / defer / reject (note) — TAPD;
    approve (amount, decree_number, decree_date) — Kesra; sign_agreement (nphd_number, nphd_date,
    integrity_pact) — the OPD; disburse (amount, disbursed_on, sp2d_ref) — BPKAD; verify_lpj /
    return_lpj (note) — the OPD's verifier. Verifiers and TAPD declare no conflict first. The
    applicant's own steps (submit, resubmit, withdraw, submit_lpj) are accepted here too."""
    return proposals.transition(public_id, body)


def _applicant_step(public_id: str, action: str, body: dict):
    return proposals.transition(public_id, {"action": action, "note": body["note"]})


@blueprint.post(f"{BASE}/<proposal_id:public_id>/submit")
@endpoint(
    "Ajukan usulan",
    tags=TAGS,
    body=ApplicantActionSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def submit(public_id, body):
    """Submit a draft: checks the documents (its own, and the organisation's standing ones on
    its profile, valid through the budget year) and every eligibility rule; a 422 lists each
    failed rule under `errors` (dokumen, domisili, badan_hukum, rekening, lpj, hibah_berturut).
    The standing documents' versions used are recorded (`standing_documents`)."""
    return _applicant_step(public_id, "submit", body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/resubmit")
@endpoint(
    "Ajukan kembali usulan",
    tags=TAGS,
    body=ApplicantActionSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def resubmit(public_id, body):
    """Resubmit a returned proposal once fixed (the same checks as submitting)."""
    return _applicant_step(public_id, "resubmit", body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/withdraw")
@endpoint(
    "Tarik usulan",
    tags=TAGS,
    body=NoteSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def withdraw(public_id, body):
    """Withdraw before the decree, with a reason (`note`); it stays visible in the registry."""
    return _applicant_step(public_id, "withdraw", body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/lpj")
@endpoint(
    "Serahkan LPJ",
    tags=TAGS,
    body=ApplicantActionSchema,
    response=PrivateProposalSchema,
    auth=True,
    errors=(403, 404, 409, 422),
    access=OWNER,
)
def submit_lpj(public_id, body):
    """Submit the accountability report after uploading `lpj_laporan` (and `lpj_bukti`)."""
    return _applicant_step(public_id, "submit_lpj", body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/field-checks")
@endpoint(
    "Catat verifikasi lapangan",
    tags=STAFF_TAGS,
    body=FieldCheckSchema,
    response=PrivateProposalSchema,
    status=201,
    roles=("verifier",),
    errors=(403, 404, 409, 422),
    access=OPD_VERIFIER,
)
def field_check(public_id, body):
    """The OPD verifier's field check: date, findings, photos (uploaded as foto_verifikasi)."""
    return proposals.record_field_check(public_id, body)


@blueprint.post(f"{BASE}/<proposal_id:public_id>/declarations")
@endpoint(
    "Pernyataan konflik kepentingan",
    tags=STAFF_TAGS,
    body=DeclarationSchema,
    response=PrivateProposalSchema,
    status=201,
    roles=("verifier", "budget_team"),
    errors=(403, 404, 409, 422),
    access=DECLARERS,
)
def declare(public_id, body):
    """no_conflict, or recused (with a reason): a recused person cannot act on the proposal."""
    return proposals.declare(public_id, body)


@blueprint.get(f"{BASE}/<proposal_id:public_id>/audit")
@endpoint(
    "Log audit usulan",
    tags=STAFF_TAGS,
    response=AuditLogSchema,
    roles=AUDIT_READERS,
    errors=(403, 404),
    access=PROPOSAL_AUDITORS,
)
def audit_log(public_id):
    """Every entry with its hash chain; no API edits it."""
    return proposals.audit_log(public_id)


@blueprint.get(f"{BASE}/<proposal_id:public_id>/audit/verify")
@endpoint(
    "Verifikasi rantai hash log audit",
    tags=STAFF_TAGS,
    response=AuditVerdictSchema,
    roles=AUDIT_READERS,
    errors=(403, 404),
    access=PROPOSAL_AUDITORS,
)
def verify_audit(public_id):
    """Recompute the chain: ok, or the first entry (`broken_at`) that does not verify."""
    return proposals.verify_audit(public_id)


# The documents' and the public registry's routes register themselves on `blueprint` when
# imported.
from gateway.proposals import (  # noqa: E402, F401
    conversation,
    documents,
    printing,
    registry,
    rounds,
    standing,
)
