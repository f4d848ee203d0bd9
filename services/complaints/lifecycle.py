"""Who may move a report, and whether it may move: the rules over the lifecycle that the
contract (services.complaints.contract.statuses) declares."""

from __future__ import annotations

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.complaints.contract.statuses import (
    AGENCY_STAFF,
    REPORTER,
    STATUS_LABELS,
    TRANSITIONS,
    Transition,
)


def authorize(
    transition: Transition, actor: Actor, agency_code: str, reporter_user_id: int | None
) -> None:
    actor.require_login()
    if transition.actor == AGENCY_STAFF:
        if not actor.has_role("officer", "verifier"):
            raise Forbidden("Hanya petugas atau verifikator OPD yang dapat melakukan tindakan ini.")
        if actor.agency != agency_code:
            raise Forbidden(
                "Laporan ini ditangani OPD lain; Anda hanya dapat menangani laporan OPD Anda sendiri.",
                {"agency": [agency_code]},
            )
    elif transition.actor == REPORTER and (
        reporter_user_id is None or actor.user_id != reporter_user_id
    ):
        raise Forbidden("Hanya pelapor yang dapat membuka kembali laporan ini.")


def plan(action: str, status: str, note: str | None) -> Transition:
    """The transition for `action` from `status`; a clear 409/422 when it is not allowed."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Invalid(
            "Tindakan tidak dikenal.", {"action": [f"Pilih salah satu: {', '.join(TRANSITIONS)}."]}
        )
    if status not in transition.sources:
        allowed = ", ".join(STATUS_LABELS[s] for s in sorted(transition.sources))
        raise Conflict(
            f"Tindakan '{action}' tidak dapat dilakukan pada laporan berstatus {STATUS_LABELS[status]}.",
            {"status": [f"Harus berstatus: {allowed}."]},
        )
    if transition.note_required and not (note or "").strip():
        raise Invalid("Alasan wajib diisi.", {"note": ["Tuliskan alasannya."]})
    return transition
