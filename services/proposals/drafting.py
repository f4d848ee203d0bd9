"""Writing a proposal: an applicant's draft (and its changes while a draft or returned), and
the unplanned (emergency) bansos staff open on a report. Every point is located on the map
and must lie in Kabupaten Serang."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from servicekit.errors import Conflict, Forbidden, Invalid
from servicekit.payloads import load
from services.proposals import store
from services.proposals.contract.catalogue import CATEGORIES, INDIVIDUAL, PLANNED
from services.proposals.contract.payloads import EmergencySchema, ProposalDraftSchema
from services.proposals.contract.stages import DRAFT, RETURNED, SUBMITTED
from services.proposals.desk import Desk
from services.proposals.guards import own_applicant, require_member
from services.proposals.models import Applicant, Proposal
from services.proposals.moving import publish_submitted, record
from services.proposals.reading import private

WIB = ZoneInfo("Asia/Jakarta")
EDITABLE = frozenset({DRAFT, RETURNED})
EMERGENCY_NOTE = "Dibuka oleh petugas atas laporan kepala desa, camat atau OPD."


def create_draft(desk: Desk, payload: dict) -> dict:
    desk.actor.require_login()
    data = checked_draft(desk, payload)
    applicant = own_applicant(desk, data["applicant_id"])
    now = datetime.now(UTC)
    proposal = Proposal(
        applicant_id=applicant.id,
        applicant=applicant,
        stage=DRAFT,
        stage_since=now,
        created_by=desk.actor.user_id,
        created_at=now,
        updated_at=now,
    )
    fill(proposal, data)
    store.create_proposal(desk.db, proposal)
    store.append_audit(desk.db, proposal, "create_draft", desk.actor, audit_data(data))
    return private(desk, proposal)


def update_draft(desk: Desk, public_id: str, payload: dict) -> dict:
    desk.actor.require_login()
    data = checked_draft(desk, payload)
    proposal = store.get_proposal(desk.db, public_id, for_update=True)
    require_member(desk, proposal)
    if proposal.stage not in EDITABLE:
        raise Conflict(
            "Usulan hanya dapat diubah selama masih draf atau dikembalikan.",
            {"stage": [proposal.stage]},
        )
    if data["applicant_id"] != proposal.applicant_id:
        own_applicant(desk, data["applicant_id"])
        proposal.applicant = store.get_applicant(desk.db, data["applicant_id"])
    fill(proposal, data)
    proposal.updated_at = datetime.now(UTC)
    store.append_audit(desk.db, proposal, "update_draft", desk.actor, audit_data(data))
    return private(desk, proposal)


def open_emergency(desk: Desk, payload: dict) -> dict:
    desk.actor.require_role("officer", "verifier")
    data = load(EmergencySchema(), payload)
    category = CATEGORIES[data["category"]]
    if desk.actor.agency not in (category.agency, desk.rules.agencies.admin):
        raise Forbidden(
            f"Hanya staf {category.agency} atau {desk.rules.agencies.admin} yang dapat "
            "membuka bansos tidak terencana.",
            {"agency": [category.agency]},
        )
    check_amount_and_year(desk, data)
    place = located(desk, data["lat"], data["lon"])
    now = datetime.now(UTC)
    applicant = Applicant(kind=INDIVIDUAL, created_at=now, updated_at=now, **data["beneficiary"])
    applicant.domicile_inside = True
    desk.db.add(applicant)
    desk.db.flush()
    proposal = Proposal(
        applicant_id=applicant.id,
        applicant=applicant,
        kind="bansos",
        bansos_type="unplanned",
        budget_year=data["budget_year"],
        title=data["title"],
        purpose=data["purpose"],
        activities="",
        category=category.code,
        agency_code=category.agency,
        requested_amount=data["requested_amount"],
        cost_lines=data["cost_lines"],
        lat=data["lat"],
        lon=data["lon"],
        source_note=data["reported_by"],
        stage=SUBMITTED,
        stage_since=now,
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    place_in(proposal, place)
    store.create_proposal(desk.db, proposal)
    # The reporter (a name, an office, a phone) is private: the public timeline says only
    # that staff opened it; who reported it stays in source_note and the audit log.
    record(desk, proposal, "open_emergency", None, SUBMITTED, EMERGENCY_NOTE, None, now)
    store.append_audit(
        desk.db, proposal, "open_emergency", desk.actor, {"reported_by": data["reported_by"]}
    )
    publish_submitted(desk, proposal, "open_emergency")
    return private(desk, proposal)


def checked_draft(desk: Desk, payload: dict) -> dict:
    data = load(ProposalDraftSchema(), payload)
    if data["kind"] == "bansos" and data["bansos_type"] is None:
        data["bansos_type"] = PLANNED
    check_amount_and_year(desk, data)
    data["place"] = located(desk, data["lat"], data["lon"])
    return data


def check_amount_and_year(desk: Desk, data: dict) -> None:
    ceiling = desk.rules.amount_ceiling
    if data["requested_amount"] > ceiling:
        raise Invalid(
            "Nilai yang diajukan melebihi batas.",
            {"requested_amount": [f"Paling banyak Rp{ceiling:,}.".replace(",", ".")]},
        )
    this_year = datetime.now(WIB).year
    if not this_year <= data["budget_year"] <= this_year + desk.rules.years_ahead:
        raise Invalid(
            "Tahun anggaran tidak dapat diajukan.",
            {"budget_year": [f"Antara {this_year} dan {this_year + desk.rules.years_ahead}."]},
        )


def located(desk: Desk, lat: float, lon: float) -> dict:
    place = desk.locate(lat, lon)
    if not place.get("inside"):
        raise Invalid(
            "Lokasi berada di luar Kabupaten Serang.",
            {
                "lat": ["Lokasi di luar Kabupaten Serang."],
                "lon": ["Lokasi di luar Kabupaten Serang."],
            },
        )
    return place


def fill(proposal: Proposal, data: dict) -> None:
    for key in (
        "kind",
        "bansos_type",
        "budget_year",
        "title",
        "purpose",
        "activities",
        "category",
        "requested_amount",
        "cost_lines",
        "lat",
        "lon",
    ):
        setattr(proposal, key, data[key])
    proposal.agency_code = CATEGORIES[data["category"]].agency
    place_in(proposal, data["place"])


def place_in(proposal: Proposal, place: dict) -> None:
    desa, kecamatan = place.get("desa") or {}, place.get("kecamatan") or {}
    proposal.desa_code, proposal.desa_name = desa.get("code"), desa.get("name")
    proposal.kecamatan_code = kecamatan.get("code")
    proposal.kecamatan_name = kecamatan.get("name")


def audit_data(data: dict) -> dict:
    """A draft as it goes into the audit log: JSON primitives, no map lookup result."""
    out = {k: v for k, v in data.items() if k != "place"}
    place = data.get("place") or {}
    out["desa_code"] = (place.get("desa") or {}).get("code")
    return out
