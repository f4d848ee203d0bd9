"""What a report looks like to the public, to its reporter, and on the bus."""

from __future__ import annotations

from datetime import datetime

from services.complaints.contract import EXTERNAL_BODIES, OPEN_STATUSES, STATUS_LABELS
from services.complaints.models import Report, TimelineEntry


def photo_url(report: Report, photo_id: int) -> str:
    return f"/api/v1/complaints/{report.public_id}/photos/{photo_id}"


def is_overdue(report: Report, now: datetime) -> bool:
    return report.status in OPEN_STATUSES and report.due_at is not None and report.due_at < now


def public_view(report: Report, timeline: list[TimelineEntry], now: datetime) -> dict:
    return {
        "public_id": report.public_id,
        "category": report.category_code,
        "category_name": report.category.name,
        "status": report.status,
        "status_label": STATUS_LABELS[report.status],
        "agency": report.agency_code,
        "unit": report.unit,
        "lat": report.lat,
        "lon": report.lon,
        "desa": report.desa_name,
        "kecamatan": report.kecamatan_name,
        "kecamatan_code": report.kecamatan_code,
        "address": report.address,
        "description": report.description,
        "attributes": report.attributes or {},
        "media_url": report.media_url,
        "photos": [
            {"id": p.id, "kind": p.kind, "url": photo_url(report, p.id)}
            for p in report.photos
            if p.hidden_at is None
        ],
        "supporters": report.supporters or 0,
        "duplicate_of": report.duplicate_of.public_id if report.duplicate_of else None,
        "requested_at": report.created_at.isoformat(),
        "updated_at": report.updated_at.isoformat(),
        "due_at": report.due_at.isoformat()
        if report.due_at and report.status in OPEN_STATUSES
        else None,
        "overdue": is_overdue(report, now),
        "status_note": report.status_note,
        "timeline": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_label,
                "note": e.note,
            }
            for e in timeline
        ],
        "forwarded_to": EXTERNAL_BODIES.get(report.forwarded_to or ""),
    }


def private_view(report: Report, timeline: list[TimelineEntry], now: datetime) -> dict:
    return (
        public_view(report, timeline, now)
        | {
            "token": report.token,
            "reporter_user_id": report.reporter_user_id,
            "contact_email": report.contact_email,
            "contact_name": report.contact_name,
            "contact_phone": report.contact_phone,
            "source": report.source,
        }
        | hidden_view(report)
    )


def hidden_view(report: Report) -> dict:
    """What a moderator hid and why, for those who still see it: the reporter and the agency
    (with the private view), and admins (with the public one, no contact details)."""
    return {
        "hidden_reason": report.hidden_reason if report.hidden_at else None,
        "photos": [
            {"id": p.id, "kind": p.kind, "url": photo_url(report, p.id)}
            | ({"hidden_reason": p.hidden_reason} if p.hidden_at else {})
            for p in report.photos
        ],
    }


def event_facts(report: Report) -> dict:
    """The public facts every complaints event carries (services.complaints.contract.events)."""
    return {
        "report_id": report.id,
        "public_id": report.public_id,
        "category": report.category_code,
        "category_name": report.category.name,
        "agency": report.agency_code,
        "status": report.status,
        "status_label": STATUS_LABELS[report.status],
        "lat": report.lat,
        "lon": report.lon,
        "kecamatan_code": report.kecamatan_code,
        "kecamatan_name": report.kecamatan_name,
        "desa_code": report.desa_code,
        "desa_name": report.desa_name,
        "supporters": report.supporters or 0,
        "is_open": report.status in OPEN_STATUSES,
        "requested_at": report.created_at,
        "due_at": report.due_at if report.status in OPEN_STATUSES else None,
        "resolved_at": report.resolved_at,
        "reporter_user_id": report.reporter_user_id,
        "has_contact": bool(report.contact_email),
        "is_public": report.hidden_at is None,
    }
