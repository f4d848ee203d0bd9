"""Acting on a report: moving it through its lifecycle, support, photos.

Plain functions behind ComplaintsService's entrypoints, given its `Desk`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicekit.errors import Conflict, Invalid
from servicekit.payloads import load
from services.complaints import audit, feedback, following, forwarding, store
from services.complaints.contract import DUPLICATE, OPEN_STATUSES, RESOLVED, TransitionSchema
from services.complaints.desk import Desk
from services.complaints.lifecycle import authorize, plan
from services.complaints.models import Photo, Report, TimelineEntry
from services.complaints.moderation import require_visible
from services.complaints.photos import photo_kind
from services.complaints.queries import get_report
from services.complaints.sla import due_for
from services.complaints.views import event_facts


def transition(desk: Desk, public_id: str, payload: dict) -> dict:
    """Move a report through its lifecycle; only the actor each step allows, from the right state."""
    data = load(TransitionSchema(), payload)
    report = store.get_report(desk.db, public_id, for_update=True)
    if forwarding.handles(data):  # to another OPD or government, or another category
        forwarding.act(desk, report, data)
        return get_report(desk, public_id)
    transition = plan(data["action"], report.status, data["note"])
    authorize(transition, desk.actor, report.agency_code, report.reporter_user_id)
    now = datetime.now(UTC)
    if transition.action == "reopen" and now - report.resolved_at > timedelta(
        days=desk.rules.reopen_days
    ):
        raise Conflict(
            f"Laporan hanya dapat dibuka kembali dalam {desk.rules.reopen_days} hari setelah selesai.",
            {"status": ["Batas waktu membuka kembali sudah lewat."]},
        )
    target = None
    if transition.action == "mark_duplicate":
        target = _merge_target(desk, report, data["duplicate_of"])
    previous, due_before = report.status, report.due_at
    report.status = transition.target
    report.updated_at = report.stage_since = now
    report.status_note = data["note"]
    report.due_at = due_for(desk.rules.sla, report.status, now)
    if report.status == RESOLVED:
        report.resolved_at = now
    actor_label = "Pelapor" if transition.actor == "reporter" else desk.actor.agency
    store.add_timeline(
        desk.db,
        report,
        TimelineEntry(
            report_id=report.id,
            at=now,
            action=transition.action,
            from_status=previous,
            to_status=report.status,
            actor_label=actor_label,
            actor_user_id=desk.actor.user_id,
            note=data["note"],
        ),
    )
    facts = event_facts(report)
    if target is not None:
        report.duplicate_of_id = target.id
        report.duplicate_of = target
        store.add_support(desk.db, target, f"report:{report.id}", now)
        target.updated_at = now
        desk.outbox.add(
            "complaints.report_merged",
            **facts,
            into_report_id=target.id,
            into_public_id=target.public_id,
        )
        desk.outbox.add("complaints.report_supported", **event_facts(target))
    desk.outbox.add(
        "complaints.status_changed",
        **facts,
        from_status=previous,
        action=transition.action,
        note=data["note"],
        actor_agency=desk.actor.agency,
    )
    change = audit.status_change(report, previous, data["note"], due_before, actor_label)
    if report.status == RESOLVED:
        # "Sudah diperbaiki?" to the reporter, by email
        change["feedback_requested"] = feedback.ask(desk, report)
    _audit(desk, report, transition.action, change, target, now)
    return get_report(desk, public_id)


def _audit(desk: Desk, report: Report, action: str, change: dict, target, now) -> None:
    """The step in the private audit log, with the original a duplicate was merged into (whose
    own log says so too) and when a report was resolved."""
    if target is not None:
        change["duplicate_of"] = target.public_id
        merged = {"duplicate": report.public_id, "supporters": target.supporters}
        store.append_audit(desk.db, target, "merged_in", desk.actor, merged, now)
    if report.status == RESOLVED:
        change["resolved_at"] = audit.when(report.resolved_at)
    store.append_audit(desk.db, report, action, desk.actor, change, now)


def support(desk: Desk, public_id: str, notify: bool = False) -> dict:
    """A citizen supports an existing open report instead of filing the same one again."""
    desk.actor.require_login()
    report = store.get_report(desk.db, public_id, for_update=True)
    require_visible(desk.actor, report)
    if report.status not in OPEN_STATUSES:
        raise Conflict(
            "Hanya laporan yang masih terbuka yang dapat didukung.", {"status": [report.status]}
        )
    if report.reporter_user_id == desk.actor.user_id:
        raise Conflict(
            "Anda pelapor laporan ini.",
            {"id": ["Pelapor tidak perlu mendukung laporannya sendiri."]},
        )
    key = f"user:{desk.actor.user_id}"
    added = store.add_support(desk.db, report, key, datetime.now(UTC))
    if added:
        desk.outbox.add("complaints.report_supported", **event_facts(report))
    if notify:  # status emails too (stopped by the link in each)
        desk.db.flush()
        following.follow(desk, report, key)
    return {
        "public_id": report.public_id,
        "supporters": report.supporters,
        "added": added,
        "notify": notify,
    }


def check_photos(desk: Desk, public_id: str, count: int) -> None:
    """Whether the caller may add `count` photos to the report now; nothing changes. The
    gateway asks before it stores any file (add_photos checks again when recording)."""
    report = store.get_report(desk.db, public_id)
    photo_kind(report, desk.actor, count, desk.rules.max_photos)


def add_photos(desk: Desk, public_id: str, photos: list[dict]) -> dict:
    """Attach stored photos: the reporter while the report is open, agency staff as proof of the fix."""
    report = store.get_report(desk.db, public_id, for_update=True)
    kind = photo_kind(report, desk.actor, len(photos), desk.rules.max_photos)
    now = datetime.now(UTC)
    added = [
        Photo(
            report_id=report.id,
            kind=kind,
            blob_key=photo["key"],
            content_type=photo["content_type"],
            uploaded_by=desk.actor.user_id,
            created_at=now,
        )
        for photo in photos
    ]
    desk.db.add_all(added)
    report.updated_at = now
    desk.db.flush()
    desk.db.refresh(report)
    stored = [{"id": p.id, "blob_key": p.blob_key, "content_type": p.content_type} for p in added]
    data = {"kind": kind, "photos": stored}
    store.append_audit(desk.db, report, "add_photos", desk.actor, data, now)
    return get_report(desk, public_id)


def _merge_target(desk: Desk, report: Report, target_id: str) -> Report:
    target = store.get_report(desk.db, target_id, for_update=True)  # its supporters, its log
    if target.id == report.id:
        raise Invalid(
            "Laporan tidak dapat menjadi duplikat dirinya sendiri.",
            {"duplicate_of": [target_id]},
        )
    if (target.agency_code, target.category_code) != (report.agency_code, report.category_code):
        raise Invalid(
            "Laporan hanya dapat menjadi duplikat laporan lain dari OPD dan kategori yang sama.",
            {
                "duplicate_of": [
                    f"{target_id} adalah laporan {target.category.name} ({target.agency_code}),"
                    f" bukan {report.category.name} ({report.agency_code})."
                ]
            },
        )
    if target.status not in OPEN_STATUSES | {RESOLVED} or target.status == DUPLICATE:
        raise Conflict("Laporan asli harus masih terbuka.", {"duplicate_of": [target.status]})
    return target
