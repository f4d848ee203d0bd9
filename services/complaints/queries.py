"""Reading reports: public listing and detail, the agency queue, Open311 searches and updates.

Plain functions behind ComplaintsService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.context import Actor
from servicekit.errors import Forbidden, NotFound
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import (
    OPEN_STATUSES,
    RESOLVED,
    STATUS_LABELS,
    ListQuerySchema,
    QueueQuerySchema,
    parse_bbox,
)
from services.complaints.desk import Desk
from services.complaints.models import Report
from services.complaints.moderation import is_moderator, require_visible, sees_hidden
from services.complaints.views import hidden_view, private_view, public_view


def get_report(desk: Desk, public_id: str) -> dict:
    """A report: public fields for everyone; contact details only for its reporter and agency;
    what a moderator hid, and why, for them and admins."""
    report = store.get_report(desk.db, public_id)
    require_visible(desk.actor, report)
    timeline = store.fetch_timeline(desk.db, [report.id])[report.id]
    if not is_moderator(desk.actor, report):  # moderations are for staff only
        timeline = [e for e in timeline if not e.staff_only]
    now = datetime.now(UTC)
    if _may_see_private(desk.actor, report):
        return private_view(report, timeline, now)
    if is_moderator(desk.actor, report):  # an admin: what is hidden too, to show it again
        return public_view(report, timeline, now) | hidden_view(report)
    return public_view(report, timeline, now)


def get_report_by_token(desk: Desk, token: str) -> dict:
    report = store.get_report_by_token(desk.db, token)
    if report is None:
        raise NotFound("Token tidak ditemukan.", {"token": ["Tidak ada laporan dengan token ini."]})
    return {"service_request_id": report.public_id, "token": token}


def list_reports(desk: Desk, query: dict | None = None) -> dict:
    """Public listing with filters (bbox, category, status, kecamatan), newest first."""
    params = load(ListQuerySchema(), query)
    return _page(desk, params, agency=None, queue_order=False)


def queue(desk: Desk, query: dict | None = None) -> dict:
    """The agency's queue: its own reports, overdue first, then by deadline."""
    desk.actor.require_role("officer", "verifier")
    if not desk.actor.agency:
        raise Forbidden("Akun staf Anda tidak terikat pada OPD.")
    params = load(QueueQuerySchema(), query)
    if params.get("status") is None:
        params["status"] = ",".join(sorted(OPEN_STATUSES | {RESOLVED}))
    return _page(desk, params, agency=desk.actor.agency, queue_order=True)


def my_reports(desk: Desk, query: dict | None = None) -> dict:
    """The caller's own reports."""
    desk.actor.require_login()
    params = load(ListQuerySchema(), query)
    return _page(desk, params, agency=None, queue_order=False, reporter=desk.actor.user_id)


def search_requests(desk: Desk, criteria: dict) -> list[dict]:
    """Open311 GET requests: by ids, or by categories, date range and open/closed, newest first."""
    now = datetime.now(UTC)
    reports = store.search_reports(
        desk.db,
        public_ids=criteria.get("ids"),
        categories=criteria.get("categories"),
        start=datetime.fromisoformat(criteria["start"]) if criteria.get("start") else None,
        end=datetime.fromisoformat(criteria["end"]) if criteria.get("end") else None,
        statuses=criteria.get("statuses"),
        limit=min(int(criteria.get("limit", 1000)), 1000),
    )
    return [public_view(r, [], now) for r in reports]


def updates(desk: Desk, start: str, end: str, limit: int = 1000) -> list[dict]:
    """Public status changes between two instants (Open311 servicerequestupdates)."""
    rows = store.fetch_updates(
        desk.db,
        datetime.fromisoformat(start),
        datetime.fromisoformat(end),
        min(int(limit), 1000),
    )
    return [
        {
            "update_id": entry.id,
            "service_request_id": report.public_id,
            "status": entry.to_status,
            "updated_datetime": entry.at.isoformat(),
            "description": entry.note or STATUS_LABELS[entry.to_status],
            "agency": entry.actor_label,
        }
        for entry, report in rows
    ]


def get_photo(desk: Desk, public_id: str, photo_id: int) -> dict:
    """Blob key of a report's photo (the public copy, without metadata)."""
    report = store.get_report(desk.db, public_id)
    require_visible(desk.actor, report)
    for photo in report.photos:
        if photo.id == photo_id and (photo.hidden_at is None or sees_hidden(desk.actor, report)):
            return {"blob_key": photo.blob_key, "content_type": photo.content_type}
    raise NotFound(
        "Foto tidak ditemukan.", {"photo": ["Tidak ada foto ini pada laporan tersebut."]}
    )


def _may_see_private(actor: Actor, report: Report) -> bool:
    if actor.user_id is not None and actor.user_id == report.reporter_user_id:
        return True
    return actor.has_role("officer", "verifier") and actor.agency == report.agency_code


def _page(
    desk: Desk, params: dict, agency: str | None, queue_order: bool, reporter: int | None = None
) -> dict:
    now = datetime.now(UTC)
    reports, total = store.fetch_reports(
        desk.db,
        page=params["page"],
        per_page=params["per_page"],
        bbox=parse_bbox(params["bbox"]) if params.get("bbox") else None,
        category=params.get("category"),
        statuses=params["status"].split(",") if params.get("status") else None,
        kecamatan=params.get("kecamatan"),
        agency=agency,
        overdue=params.get("overdue"),
        now=now,
        queue_order=queue_order,
        reporter=reporter,
        public=not (agency or reporter),
    )
    view = private_view if (agency or reporter) else public_view
    items = [view(r, [], now) for r in reports]
    return {
        "items": items,
        "page": params["page"],
        "per_page": params["per_page"],
        "total": total,
    }


def reporter_contact(desk: Desk, report_id: int) -> dict:
    """Who to tell about a report: a user id, or the anonymous reporter's own contact email."""
    report = desk.db.get(Report, report_id)
    if report is None:
        raise NotFound("Laporan tidak ditemukan.")
    return {
        "user_id": report.reporter_user_id,
        "email": report.contact_email,
        "name": report.contact_name,
    }
