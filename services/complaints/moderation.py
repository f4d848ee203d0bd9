"""Moderation: admins and the staff of the agency handling a report hide it, or one of its
photos, from the public with a reason, and show it again; they find what is hidden in a list
of their own (hidden_reports). Who sees what is hidden is decided here too (queries and views
ask)."""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import (
    HIDE,
    HIDE_PHOTO,
    REPORT_MODERATED,
    SHOW_PHOTO,
    STATUS_LABELS,
    HiddenQuerySchema,
    ModerationSchema,
)
from services.complaints.desk import Desk
from services.complaints.models import Photo, Report, TimelineEntry
from services.complaints.views import event_facts


def is_moderator(actor: Actor, report: Report) -> bool:
    """Admins, and the officers and verifiers of the agency handling the report."""
    if actor.has_role("admin"):
        return True
    return actor.has_role("officer", "verifier") and actor.agency == report.agency_code


def sees_hidden(actor: Actor, report: Report) -> bool:
    """Who may still see a hidden report or photo: its reporter and its moderators."""
    mine = actor.user_id is not None and actor.user_id == report.reporter_user_id
    return mine or is_moderator(actor, report)


def require_visible(actor: Actor, report: Report) -> None:
    """A hidden report is not found for anyone else (as if it did not exist)."""
    if report.hidden_at is not None and not sees_hidden(actor, report):
        raise NotFound(
            "Laporan tidak ditemukan.", {"id": [f"Tidak ada laporan {report.public_id}."]}
        )


def moderate(desk: Desk, public_id: str, payload: dict) -> dict:
    data = load(ModerationSchema(), payload)
    desk.actor.require_login()
    report = store.get_report(desk.db, public_id, for_update=True)
    require_visible(desk.actor, report)
    if not is_moderator(desk.actor, report):
        raise Forbidden(
            "Hanya admin atau staf OPD yang menangani laporan ini yang dapat memoderasi."
        )
    item: Report | Photo = report if data["photo_id"] is None else _photo(report, data["photo_id"])
    hide = data["action"] == HIDE
    what = "Laporan" if item is report else f"Foto {item.id}"
    if hide == (item.hidden_at is not None):
        state = "sudah disembunyikan" if hide else "tidak sedang disembunyikan"
        raise Conflict(f"{what} {state}.", {"action": [f"{what} {state}."]})
    now = datetime.now(UTC)
    reason = (data["reason"] or "").strip() or None
    item.hidden_at, item.hidden_reason = (now, reason) if hide else (None, None)
    verb = "disembunyikan dari publik" if hide else "ditampilkan lagi"
    store.add_timeline(
        desk.db,
        report,
        TimelineEntry(
            report_id=report.id,
            at=now,
            action=data["action"] if item is report else (HIDE_PHOTO if hide else SHOW_PHOTO),
            from_status=report.status,
            to_status=report.status,
            actor_label=desk.actor.agency if desk.actor.agency else "Admin",
            actor_user_id=desk.actor.user_id,
            note=f"{what} {verb}." + (f" Alasan: {reason}" if reason else ""),
            staff_only=True,
        ),
    )
    desk.outbox.add(REPORT_MODERATED, **event_facts(report), hidden=hide, photo_id=data["photo_id"])
    detail = {"photo_id": data["photo_id"], "hidden": hide, "reason": reason}
    action = data["action"] if item is report else f"{data['action']}_photo"
    store.append_audit(desk.db, report, action, desk.actor, detail | {"status": report.status}, now)
    desk.db.flush()
    return result(report)


def result(report: Report) -> dict:
    return {
        "public_id": report.public_id,
        "hidden": report.hidden_at is not None,
        "hidden_reason": report.hidden_reason,
        "photos": [
            {"id": p.id, "hidden": p.hidden_at is not None, "hidden_reason": p.hidden_reason}
            for p in report.photos
        ],
    }


def _photo(report: Report, photo_id: int) -> Photo:
    for photo in report.photos:
        if photo.id == photo_id:
            return photo
    raise NotFound(
        "Foto tidak ditemukan.", {"photo_id": ["Tidak ada foto ini pada laporan tersebut."]}
    )


def hidden_reports(desk: Desk, query: dict | None = None) -> dict:
    """What moderators hid, newest moderation first: every hidden report and every report with a
    hidden photo. Admins see every report's (narrowed by `agency` if they ask); the officers and
    verifiers of an agency those their agency handles; anyone else is refused. Never the
    reporter's name, email or phone."""
    actor = desk.actor
    actor.require_login()
    admin = actor.has_role("admin")
    if not admin and not actor.has_role("officer", "verifier"):
        raise Forbidden(
            "Hanya admin dan staf OPD yang dapat melihat yang disembunyikan.",
            {"roles": ["diperlukan salah satu dari: admin, officer, verifier"]},
        )
    if not admin and not actor.agency:
        raise Forbidden("Akun staf Anda tidak terikat pada OPD.")
    params = load(HiddenQuerySchema(), query)
    if not admin and params["agency"] not in (None, actor.agency):
        message = f"Staf OPD hanya melihat laporan yang ditangani OPD-nya sendiri ({actor.agency})."
        raise Invalid("Data tidak valid.", {"agency": [message]})
    reports, total = store.fetch_moderated(
        desk.db,
        page=params["page"],
        per_page=params["per_page"],
        agency=params["agency"] if admin else actor.agency,
        what=params["what"],
    )
    return {
        "items": [hidden_item(report) for report in reports],
        "page": params["page"],
        "per_page": params["per_page"],
        "total": total,
    }


def hidden_item(report: Report) -> dict:
    """A moderated report as its moderators list it: where, what, whose, and what is hidden;
    nothing of its reporter."""
    photos = [(n, p) for n, p in enumerate(report.photos, start=1) if p.hidden_at is not None]
    times = [t for t in (report.hidden_at, *(p.hidden_at for _, p in photos)) if t is not None]
    return {
        "public_id": report.public_id,
        "category": report.category_code,
        "category_name": report.category.name,
        "agency": report.agency_code,
        "kecamatan": report.kecamatan_name,
        "desa": report.desa_name,
        "status": report.status,
        "status_label": STATUS_LABELS[report.status],
        "hidden": report.hidden_at is not None,
        "hidden_at": report.hidden_at.isoformat() if report.hidden_at else None,
        "hidden_reason": report.hidden_reason if report.hidden_at else None,
        "hidden_photos": [
            {
                "id": p.id,
                "number": number,
                "kind": p.kind,
                "hidden_at": p.hidden_at.isoformat(),
                "hidden_reason": p.hidden_reason,
            }
            for number, p in photos
        ],
        "moderated_at": max(times).isoformat(),
    }
