"""Moving a report elsewhere: to another OPD of the regency, out of the regency to the
government it belongs to, or into another category. Only staff of the agency holding the
report, while it is open (services.complaints.contract.forwarding says what each means)."""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.errors import Conflict, Invalid
from servicekit.roles import installed_agencies
from services.complaints import history, store
from services.complaints.contract import (
    AGENCY_STAFF,
    EXTERNAL_BODIES,
    FORWARD,
    FORWARDED_EXTERNAL,
    OPEN_STATUSES,
    RECATEGORISE,
    STATUS_LABELS,
    SUBMITTED,
    Transition,
)
from services.complaints.desk import Desk
from services.complaints.lifecycle import authorize
from services.complaints.models import Report


def handles(data: dict) -> bool:
    """Whether this module takes the transitions request (else the lifecycle's steps do)."""
    return data["action"] == RECATEGORISE or (data["action"] == FORWARD and bool(data["to_agency"]))


def act(desk: Desk, report: Report, data: dict) -> None:
    _check(desk, report, data["action"])
    note = (data["note"] or "").strip() or None
    if data["action"] == RECATEGORISE:
        recategorise(desk, report, data["category"], note)
    elif data["to_agency"] in EXTERNAL_BODIES:
        forward_external(desk, report, data["to_agency"], note)
    else:
        transfer(desk, report, data["to_agency"], note)


def transfer(desk: Desk, report: Report, to_agency: str, note: str | None) -> None:
    """The report leaves its agency's queue for another OPD's, as a new arrival there
    (Diterima, to be verified by them) with the verification deadline counted from now."""
    agencies = {a.code: a.name for a in installed_agencies()}
    if to_agency not in agencies:
        options = ", ".join(sorted(set(agencies) - {report.agency_code} | set(EXTERNAL_BODIES)))
        raise Invalid("OPD tujuan tidak dikenal.", {"to_agency": [f"Pilih salah satu: {options}."]})
    if to_agency == report.agency_code:
        raise Invalid(
            "Laporan sudah ditangani OPD ini.",
            {"to_agency": [f"Laporan ini sudah di {to_agency}; pilih OPD lain."]},
        )
    previous, unit, now = report.agency_code, report.unit, datetime.now(UTC)
    report.agency_code = to_agency
    report.unit = store.unit_for(desk.db, to_agency, report.kecamatan_code)
    text = f"Dialihkan dari {previous} ke {to_agency} ({agencies[to_agency]})."
    detail = {
        "agency": {"from": previous, "to": to_agency},
        "unit": {"from": unit, "to": report.unit},
    }
    _move(desk, report, SUBMITTED, FORWARD, _with_note(text, note), previous, now, detail)


def forward_external(desk: Desk, report: Report, body: str, note: str | None) -> None:
    """Not the regency's to fix: closed here, naming the government it was sent to."""
    report.forwarded_to = body
    text = f"Diteruskan ke {EXTERNAL_BODIES[body]}, di luar kewenangan Pemerintah Kabupaten Serang."
    _move(
        desk,
        report,
        FORWARDED_EXTERNAL,
        FORWARD,
        _with_note(text, note),
        report.agency_code,
        datetime.now(UTC),
        {"forwarded_to": body},
    )


def recategorise(desk: Desk, report: Report, code: str, note: str | None) -> None:
    """Another category, same agency and status (forward it too when another OPD handles it)."""
    category = store.get_category(desk.db, code)
    if category is None:
        raise Invalid(
            "Kategori tidak dikenal.", {"category": [f"Tidak ada kategori aktif {code}."]}
        )
    if category.code == report.category_code:
        raise Invalid(
            "Laporan sudah berkategori ini.", {"category": [f"Laporan ini sudah {category.name}."]}
        )
    text = f"Kategori diubah dari {report.category.name} ke {category.name}."
    detail = {"category": {"from": report.category_code, "to": category.code}}
    report.category_code, report.category = category.code, category
    now = datetime.now(UTC)
    report.updated_at = now
    history.record(
        desk,
        report,
        RECATEGORISE,
        report.status,
        _with_note(text, note),
        now,
        history.By(report.agency_code, desk.actor.user_id, report.agency_code),
        detail,
    )


def _check(desk: Desk, report: Report, action: str) -> None:
    step = Transition(action, OPEN_STATUSES, report.status, AGENCY_STAFF)
    authorize(step, desk.actor, report.agency_code, report.reporter_user_id)
    if report.status not in OPEN_STATUSES:
        allowed = ", ".join(STATUS_LABELS[s] for s in sorted(OPEN_STATUSES))
        raise Conflict(
            f"Tindakan '{action}' tidak dapat dilakukan pada laporan berstatus"
            f" {STATUS_LABELS[report.status]}.",
            {"status": [f"Harus berstatus: {allowed}."]},
        )


def _move(
    desk: Desk,
    report: Report,
    status: str,
    action: str,
    text: str,
    actor: str,
    now: datetime,
    detail: dict,
) -> None:
    """Staff of `actor` (an agency) move the report; shown as their agency; `detail` for the
    audit log."""
    history.move(
        desk,
        report,
        status,
        action,
        text,
        now,
        history.By(actor, desk.actor.user_id, actor),
        detail,
    )


def _with_note(text: str, note: str | None) -> str:
    return f"{text} Catatan: {note}" if note else text
