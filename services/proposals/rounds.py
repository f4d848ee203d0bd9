"""Application rounds: Bagian Kesra (PROPOSALS_ADMIN_AGENCY) and admins open one per budget year
and kind and may change its dates; a proposal is submitted only while its round is open.

An unplanned (emergency) bansos is opened by staff whenever it happens and needs no round.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from servicekit.dates import tanggal
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.proposals.contract.catalogue import KIND_LABELS, UNPLANNED
from services.proposals.contract.rounds import ROUND_STATUS_LABELS, RoundDatesSchema, RoundSchema
from services.proposals.desk import Desk
from services.proposals.models import Proposal, Round

WIB = ZoneInfo("Asia/Jakarta")
KEEPER_ROLES = ("verifier", "officer")


def today() -> date:
    return datetime.now(WIB).date()


def list_rounds(desk: Desk, budget_year: int | None = None) -> list[dict]:
    """Every round (or one year's), newest budget year first: public."""
    query = select(Round).order_by(Round.budget_year.desc(), Round.kind)
    if budget_year is not None:
        query = query.where(Round.budget_year == budget_year)
    return [view(r) for r in desk.db.scalars(query)]


def open_round(desk: Desk, payload: dict) -> dict:
    require_keeper(desk)
    data = load(RoundSchema(), payload)
    year, kind = data["budget_year"], data["kind"]
    if find(desk, year, kind) is not None:
        raise Conflict(
            f"Masa pengajuan {KIND_LABELS[kind].lower()} tahun anggaran {year} sudah ada; "
            "ubah tanggalnya bila perlu.",
            {"budget_year": [f"Sudah ada untuk {KIND_LABELS[kind].lower()} tahun {year}."]},
        )
    now = datetime.now(UTC)
    row = Round(
        budget_year=year,
        kind=kind,
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        created_by=desk.actor.user_id,
        created_at=now,
        updated_at=now,
    )
    desk.db.add(row)
    desk.db.flush()
    return view(row)


def change_round(desk: Desk, round_id: int, payload: dict) -> dict:
    require_keeper(desk)
    data = load(RoundDatesSchema(), payload)
    row = desk.db.get(Round, round_id)
    if row is None:
        raise NotFound("Masa pengajuan tidak ditemukan.", {"id": [f"Tidak ada {round_id}."]})
    row.opens_on, row.closes_on = data["opens_on"], data["closes_on"]
    row.updated_at = datetime.now(UTC)
    desk.db.flush()
    return view(row)


def require_open(desk: Desk, proposal: Proposal) -> None:
    """Refuse (422) submitting a proposal outside an open round of its kind and year."""
    if proposal.bansos_type == UNPLANNED:
        return
    row = find(desk, proposal.budget_year, proposal.kind)
    what = f"{KIND_LABELS[proposal.kind].lower()} tahun anggaran {proposal.budget_year}"
    if row is None:
        raise Invalid(
            f"Belum ada masa pengajuan {what} yang dibuka.",
            {"budget_year": [f"Masa pengajuan {what} belum dibuka."]},
        )
    if status(row) != "open":
        when = schedule(row)
        raise Invalid(
            f"Usulan {what} hanya dapat diajukan {when}.",
            {"budget_year": [f"Masa pengajuan {what}: {when}."]},
            round=view(row),
        )


def require_keeper(desk: Desk) -> None:
    actor = desk.actor
    actor.require_login()
    if actor.has_role("admin"):
        return
    actor.require_role(*KEEPER_ROLES)
    if actor.agency != desk.rules.agencies.admin:
        raise Forbidden(
            "Masa pengajuan dibuka oleh Bagian Kesra.",
            {"agency": [f"Hanya staf {desk.rules.agencies.admin}."]},
        )


def find(desk: Desk, budget_year: int, kind: str) -> Round | None:
    return desk.db.scalar(select(Round).where(Round.budget_year == budget_year, Round.kind == kind))


def status(row: Round, day: date | None = None) -> str:
    day = day or today()
    if day < row.opens_on:
        return "upcoming"
    return "open" if day <= row.closes_on else "closed"


def schedule(row: Round) -> str:
    return f"{tanggal(row.opens_on)} s.d. {tanggal(row.closes_on)}"


def view(row: Round) -> dict:
    state = status(row)
    return {
        "id": row.id,
        "budget_year": row.budget_year,
        "kind": row.kind,
        "kind_label": KIND_LABELS[row.kind],
        "opens_on": row.opens_on.isoformat(),
        "closes_on": row.closes_on.isoformat(),
        "status": state,
        "status_label": ROUND_STATUS_LABELS[state],
        "schedule": schedule(row),
    }
