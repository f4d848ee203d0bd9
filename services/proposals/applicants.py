"""Applicants: organisation profiles and individual bansos applicants, owned by citizen accounts.

A profile is private (see access.py for who else may see it): anyone else is told it does not
exist. While all its proposals are drafts it changes freely; from submission on, a change of
its name, NIK, bank account or responsible people is re-checked against the bank account rule
and written to the audit log of each submitted proposal, and a proposal already awarded but
not yet paid goes back to the OPD's verification (in public view, without the values).

Plain functions of a Desk (desk.py); ProposalsService declares the RPCs.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from servicekit.errors import Conflict, Invalid
from servicekit.payloads import load
from services.proposals import store
from services.proposals.contract.catalogue import INDIVIDUAL, ORGANISATION
from services.proposals.contract.payloads import IndividualSchema, MemberSchema, OrganisationSchema
from services.proposals.contract.stages import DRAFT, REVERIFIED_STAGES, TRANSITIONS
from services.proposals.desk import Desk
from services.proposals.eligibility import account_failures
from services.proposals.guards import own_applicant, staff_sees
from services.proposals.models import Applicant, ApplicantMember, Proposal
from services.proposals.moving import move
from services.proposals.views import applicant_view

# What may not change silently once a proposal is submitted: who receives the money and where.
GUARDED = (
    "name",
    "nik",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
    "responsible_people",
)
REVERIFY_NOTE = (
    "Data rekening, pengurus atau identitas pemohon berubah setelah penetapan; "
    "diverifikasi ulang oleh OPD sebelum penyaluran."
)


def save_applicant(desk: Desk, kind: str, payload: dict, applicant_id: int | None = None) -> dict:
    """Create (applicant_id None) or replace an organisation's or an individual's profile.

    The office (or home) is located on the map: its desa and kecamatan are kept, and whether
    it lies in Kabupaten Serang (the domicile rule of hibah is checked on submit).
    """
    desk.actor.require_login()
    schema = OrganisationSchema() if kind == ORGANISATION else IndividualSchema()
    data = load(schema, payload)
    now = datetime.now(UTC)
    submitted: list[Proposal] = []
    if applicant_id is None:
        applicant = Applicant(kind=kind, created_by=desk.actor.user_id, created_at=now)
        applicant.members = [ApplicantMember(user_id=desk.actor.user_id, added_at=now)]
        desk.db.add(applicant)
    else:
        applicant = own_applicant(desk, applicant_id)
        if applicant.kind != kind:
            raise Conflict(
                "Jenis pemohon tidak dapat diubah.",
                {"kind": [f"Pemohon ini {applicant.kind}."]},
            )
        submitted = [
            p for p in store.proposals_of_applicant(desk.db, applicant.id) if p.stage != DRAFT
        ]
    before = guarded_values(applicant)
    changed = [k for k in GUARDED if k in data and before.get(k) != data[k]]
    if submitted and changed:
        _check_account(kind, data)
    place = desk.locate(data["lat"], data["lon"])
    desa, kecamatan = place.get("desa") or {}, place.get("kecamatan") or {}
    for key, value in data.items():
        setattr(applicant, key, value)
    applicant.domicile_inside = bool(place.get("inside"))
    applicant.desa_code, applicant.desa_name = desa.get("code"), desa.get("name")
    applicant.kecamatan_code = kecamatan.get("code")
    applicant.kecamatan_name = kecamatan.get("name")
    if kind == INDIVIDUAL:
        applicant.legal_form = None
    applicant.updated_at = now
    desk.db.flush()
    if submitted and changed:
        change = change_record(changed, before, guarded_values(applicant))
        applicant_changed(desk, submitted, change, now)
    return applicant_view(applicant)


def my_applicants(desk: Desk) -> list[dict]:
    """The organisations and individual profiles the caller may act for."""
    desk.actor.require_login()
    return [applicant_view(a) for a in store.fetch_applicants_of(desk.db, desk.actor.user_id)]


def get_applicant(desk: Desk, applicant_id: int) -> dict:
    """A profile: for its members, an admin, and staff while one of its submitted proposals
    is theirs to handle (access.py); anyone else is told it does not exist."""
    desk.actor.require_login()
    applicant = store.get_applicant(desk.db, applicant_id)
    if not (store.is_member(applicant, desk.actor.user_id) or staff_sees(desk, applicant)):
        raise store.applicant_not_found(applicant_id)
    return applicant_view(applicant)


def add_member(desk: Desk, applicant_id: int, payload: dict) -> dict:
    """A member lets another citizen account act for the organisation too."""
    data = load(MemberSchema(), payload)
    applicant = own_applicant(desk, applicant_id)
    if applicant.kind != ORGANISATION:
        raise Conflict("Hanya profil lembaga yang dapat memiliki beberapa pengelola.")
    if not store.is_member(applicant, data["user_id"]):
        now = datetime.now(UTC)
        applicant.members.append(ApplicantMember(user_id=data["user_id"], added_at=now))
        desk.db.flush()
        for proposal in store.proposals_of_applicant(desk.db, applicant.id):
            if proposal.stage != DRAFT:
                store.append_audit(desk.db, proposal, "member_added", desk.actor, data, now)
    return applicant_view(applicant)


def applicant_changed(desk: Desk, proposals: list[Proposal], change: dict, now: datetime) -> None:
    """Audit the change on each submitted proposal; one awarded but not yet paid goes back
    to the OPD's verification (public timeline, note without the values)."""
    for proposal in proposals:
        store.append_audit(desk.db, proposal, "applicant_changed", desk.actor, change, now)
        if proposal.stage in REVERIFIED_STAGES:
            proposal.updated_at = now
            move(desk, proposal, TRANSITIONS["reverify"], REVERIFY_NOTE, {}, now)


def guarded_values(applicant: Applicant) -> dict:
    return {key: getattr(applicant, key) for key in GUARDED}


def _check_account(kind: str, data: dict) -> None:
    failures = account_failures(
        kind, data["name"], data.get("bank_account_number"), data.get("bank_account_name")
    )
    if failures:
        field = "bank_account_name" if data.get("bank_account_number") else "bank_account_number"
        raise Invalid(
            "Perubahan ditolak: " + " ".join(f.message for f in failures),
            {field: [f.message for f in failures]},
        )


def fingerprint(values: dict) -> str:
    """SHA-256 of the values: an auditor holding them can prove them; the log does not show
    them (it is read by staff who may not see the applicant's details)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def masked_account(number: str | None) -> str | None:
    return f"****{number[-4:]}" if number else None


def change_record(changed: list[str], before: dict, after: dict) -> dict:
    """What the audit log keeps of a change: which fields, the account's last four digits
    before and after, and fingerprints of every guarded value before and after."""
    return {
        "fields": changed,
        "bank_account_before": masked_account(before.get("bank_account_number")),
        "bank_account_after": masked_account(after.get("bank_account_number")),
        "responsible_people_before": len(before.get("responsible_people") or []),
        "responsible_people_after": len(after.get("responsible_people") or []),
        "before_sha256": fingerprint(before),
        "after_sha256": fingerprint(after),
    }
