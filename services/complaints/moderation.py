"""Moderation: admins and the staff of the agency handling a report hide it, or one of its
photos, from the public with a reason, and show it again. Who sees what is hidden is decided
here too (queries and views ask)."""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, NotFound
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import (
    HIDE,
    HIDE_PHOTO,
    REPORT_MODERATED,
    SHOW_PHOTO,
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
