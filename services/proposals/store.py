"""Data access of the proposals service: named for what it does; commits happen in servicekit."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, noload

from servicekit import audit_log
from servicekit import trail_store as trail
from servicekit.database import is_postgres
from servicekit.errors import NotFound
from services.proposals.audit import OWNER
from services.proposals.contract.stages import AWARDED_STAGES, DRAFT, LPJ_OVERDUE
from services.proposals.models import (
    Applicant,
    ApplicantDocument,
    ApplicantMember,
    AuditEntry,
    Declaration,
    Document,
    FieldCheck,
    Proposal,
    StageChange,
    TrailEntry,
)

PUBLIC_ID = re.compile(r"^SO-\d{4}-\d{6,}$")


def public_id_for(proposal: Proposal) -> str:
    return f"SO-{proposal.created_at.year}-{proposal.id:06d}"


# --- applicants --------------------------------------------------------------------------


def get_applicant(session: Session, applicant_id: int) -> Applicant:
    applicant = session.get(Applicant, applicant_id)
    if applicant is None:
        raise applicant_not_found(applicant_id)
    return applicant


def fetch_applicants_of(session: Session, user_id: int) -> list[Applicant]:
    query = (
        select(Applicant)
        .join(ApplicantMember, ApplicantMember.applicant_id == Applicant.id)
        .where(ApplicantMember.user_id == user_id)
        .order_by(Applicant.id)
    )
    return list(session.scalars(query))


def applicant_not_found(applicant_id: int) -> NotFound:
    """The one refusal for an applicant that does not exist or that the caller may not see."""
    return NotFound("Pemohon tidak ditemukan.", {"applicant_id": [f"Tidak ada {applicant_id}."]})


def proposal_stages_of(session: Session, applicant_id: int) -> list[tuple[str, str]]:
    """(stage, responsible agency) of each of an applicant's proposals."""
    query = select(Proposal.stage, Proposal.agency_code).where(
        Proposal.applicant_id == applicant_id
    )
    return [(stage, agency) for stage, agency in session.execute(query)]


def proposals_of_applicant(session: Session, applicant_id: int) -> list[Proposal]:
    """Every proposal of an applicant, oldest first (locked on PostgreSQL: their audit chains
    grow)."""
    query = select(Proposal).where(Proposal.applicant_id == applicant_id).order_by(Proposal.id)
    if is_postgres(session):
        query = query.with_for_update(of=Proposal)
    return list(session.scalars(query))


def lock_applicant(session: Session, applicant_id: int) -> None:
    """Hold the applicant's row until commit (PostgreSQL): one new version of a kind at a time."""
    if is_postgres(session):
        session.execute(select(Applicant.id).where(Applicant.id == applicant_id).with_for_update())


def fetch_blob_keys(session: Session) -> list[str]:
    """Every blob key a proposal's document or an organisation's standing document refers to."""
    keys = set(session.scalars(select(Document.blob_key).distinct()))
    keys |= set(session.scalars(select(ApplicantDocument.blob_key).distinct()))
    return sorted(keys)


def is_member(applicant: Applicant, user_id: int | None) -> bool:
    return user_id is not None and any(m.user_id == user_id for m in applicant.members)


# --- proposals ---------------------------------------------------------------------------


def create_proposal(session: Session, proposal: Proposal) -> Proposal:
    session.add(proposal)
    session.flush()
    proposal.public_id = public_id_for(proposal)
    session.flush()
    return proposal


def get_proposal(session: Session, public_id: str, for_update: bool = False) -> Proposal:
    if not PUBLIC_ID.match(public_id or ""):
        raise NotFound("Usulan tidak ditemukan.", {"id": ["Nomor usulan tidak valid."]})
    query = select(Proposal).where(Proposal.public_id == public_id)
    if for_update and is_postgres(session):
        query = query.with_for_update(of=Proposal)
    proposal = session.scalar(query)
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan.", {"id": [f"Tidak ada usulan {public_id}."]})
    return proposal


def add_stage_change(session: Session, proposal: Proposal, change: StageChange) -> None:
    """A line of the public timeline, and (once the proposal is public: submitted) the entry of
    its public trail that mirrors it, in the same transaction."""
    session.add(change)
    if proposal.submitted_at is not None and proposal.public_id:
        trail.append(
            session, TrailEntry, trail_chain(proposal.public_id), change.at, trail_data(change)
        )


def trail_chain(public_id: str) -> str:
    return f"proposals/{public_id}"


def trail_data(change: StageChange) -> dict:
    """What the trail keeps of a timeline line: exactly what the public timeline shows."""
    return {
        "action": change.action,
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "actor": change.actor_label,
        "note": change.note,
        "amount": change.amount,
    }


def fetch_timeline(session: Session, proposal_ids: list[int]) -> dict[int, list[StageChange]]:
    entries: dict[int, list[StageChange]] = {pid: [] for pid in proposal_ids}
    for start in range(0, len(proposal_ids), 5000):  # bound the IN list (SQLite's variables)
        query = (
            select(StageChange)
            .where(StageChange.proposal_id.in_(proposal_ids[start : start + 5000]))
            .order_by(StageChange.proposal_id, StageChange.id)
        )
        for entry in session.scalars(query):
            entries[entry.proposal_id].append(entry)
    return entries


def fetch_field_checks(session: Session, proposal_id: int) -> list[FieldCheck]:
    return list(
        session.scalars(
            select(FieldCheck).where(FieldCheck.proposal_id == proposal_id).order_by(FieldCheck.id)
        )
    )


def fetch_declarations(session: Session, proposal_id: int) -> list[Declaration]:
    return list(
        session.scalars(
            select(Declaration)
            .where(Declaration.proposal_id == proposal_id)
            .order_by(Declaration.id)
        )
    )


def get_declaration(session: Session, proposal_id: int, user_id: int) -> Declaration | None:
    return session.scalar(
        select(Declaration).where(
            Declaration.proposal_id == proposal_id, Declaration.user_id == user_id
        )
    )


def overdue_lpj_of(session: Session, applicant_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Proposal.public_id).where(
                Proposal.applicant_id == applicant_id, Proposal.stage == LPJ_OVERDUE
            )
        )
    )


def hibah_years_of(session: Session, applicant_id: int, excluding: int) -> set[int]:
    return set(
        session.scalars(
            select(Proposal.budget_year).where(
                Proposal.applicant_id == applicant_id,
                Proposal.kind == "hibah",
                Proposal.stage.in_(AWARDED_STAGES),
                Proposal.id != excluding,
            )
        )
    )


def fetch_of_applicants(
    session: Session, applicant_ids: list[int], page: int, per_page: int
) -> tuple[list[Proposal], int]:
    query = select(Proposal).where(Proposal.applicant_id.in_(applicant_ids or [-1]))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Proposal.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return list(rows), total


def fetch_queue(
    session: Session,
    pairs: list[tuple[str, str | None]],
    stage: str | None,
    page: int,
    per_page: int,
) -> tuple[list[Proposal], int]:
    """Proposals at (stage, agency) pairs the actor can act on, longest waiting first."""
    if stage:
        pairs = [p for p in pairs if p[0] == stage]
    if not pairs:
        return [], 0
    clauses = [
        and_(Proposal.stage == s, Proposal.agency_code == a) if a else Proposal.stage == s
        for s, a in pairs
    ]
    query = select(Proposal).where(or_(*clauses))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Proposal.stage_since, Proposal.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def fetch_lpj_due(session: Session, until: date, limit: int) -> list[Proposal]:
    """Disbursed proposals whose LPJ deadline is on or before `until` (claimed on PostgreSQL)."""
    query = (
        select(Proposal)
        .where(Proposal.stage == "disbursed", Proposal.lpj_due <= until)
        .order_by(Proposal.lpj_due, Proposal.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True, of=Proposal)
    return list(session.scalars(query))


# --- the public registry -----------------------------------------------------------------


def registry_filters(params: dict) -> list:
    clauses = [Proposal.submitted_at.is_not(None), Proposal.stage != DRAFT]
    if params.get("year"):
        clauses.append(Proposal.budget_year == params["year"])
    if params.get("kind"):
        clauses.append(Proposal.kind == params["kind"])
    if params.get("stage"):
        clauses.append(Proposal.stage.in_(params["stage"].split(",")))
    if params.get("agency"):
        clauses.append(Proposal.agency_code == params["agency"])
    if params.get("kecamatan"):
        clauses.append(Proposal.kecamatan_code == params["kecamatan"])
    return clauses


def fetch_registry(session: Session, params: dict, page: int, per_page: int) -> list[Proposal]:
    query = (
        select(Proposal)
        .options(noload(Proposal.documents))
        .where(*registry_filters(params))
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(session.scalars(query))


TOTAL_DIMENSIONS = ("year", "kind", "agency", "kecamatan")


def registry_totals(session: Session, params: dict) -> tuple[int, dict[str, list[dict]]]:
    """The number of matching proposals, and counts and the money trail per year, kind, agency
    and kecamatan: one grouped scan, folded per dimension here."""
    query = (
        select(
            Proposal.budget_year,
            Proposal.kind,
            Proposal.agency_code,
            Proposal.kecamatan_code,
            Proposal.kecamatan_name,
            func.count(Proposal.id),
            func.coalesce(func.sum(Proposal.requested_amount), 0),
            func.coalesce(func.sum(Proposal.recommended_amount), 0),
            func.coalesce(func.sum(Proposal.approved_amount), 0),
            func.coalesce(func.sum(Proposal.disbursed_amount), 0),
        )
        .where(*registry_filters(params))
        .group_by(
            Proposal.budget_year,
            Proposal.kind,
            Proposal.agency_code,
            Proposal.kecamatan_code,
            Proposal.kecamatan_name,
        )
    )
    folded: dict[str, dict] = {name: {} for name in TOTAL_DIMENSIONS}
    matched = 0
    for year, kind, agency, kec_code, kec_name, *sums in session.execute(query):
        matched += int(sums[0])
        keys = {
            "year": (str(year), None),
            "kind": (kind, None),
            "agency": (agency, None),
            "kecamatan": (kec_code, kec_name),
        }
        for name, (key, label) in keys.items():
            row = folded[name].setdefault(
                key,
                {
                    "key": key,
                    "label": label,
                    "count": 0,
                    "requested": 0,
                    "recommended": 0,
                    "approved": 0,
                    "disbursed": 0,
                },
            )
            for field, value in zip(
                ("count", "requested", "recommended", "approved", "disbursed"), sums, strict=True
            ):
                row[field] += int(value)
    totals = {
        name: sorted(rows.values(), key=lambda r: (r["key"] is None, r["key"] or ""))
        for name, rows in folded.items()
    }
    return matched, totals


def fetch_for_export(session: Session, params: dict, limit: int) -> list[Proposal]:
    query = (
        select(Proposal)
        .where(*registry_filters(params))
        .order_by(Proposal.submitted_at, Proposal.id)
        .limit(limit)
    )
    return list(session.scalars(query))


# --- the audit log -----------------------------------------------------------------------


def append_audit(
    session: Session,
    proposal: Proposal,
    action: str,
    actor,
    data: dict,
    at: datetime | None = None,
) -> AuditEntry:
    """Chain a new entry onto the proposal's log (the proposal row is locked by the caller)."""
    return audit_log.append(session, AuditEntry, OWNER, proposal, action, actor, data, at)


def fetch_audit(session: Session, proposal_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.proposal_id == proposal_id).order_by(AuditEntry.seq)
        )
    )
