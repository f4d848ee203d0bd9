"""Data access of the complaints service: named for what it does; commits happen in servicekit."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import case, func, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from servicekit import audit_log, trail_store
from servicekit.errors import NotFound
from services.complaints.audit import OWNER
from services.complaints.contract import OPEN_STATUSES, PHOTO_ITEMS, REPORT_ITEMS
from services.complaints.models import (
    ApiClient,
    AreaUnit,
    AuditEntry,
    Category,
    Photo,
    Report,
    Support,
    TimelineEntry,
    TrailEntry,
)

PUBLIC_ID = re.compile(r"^SRG-\d{4}-\d{6,}$")


def public_id_for(report: Report) -> str:
    return f"SRG-{report.created_at.year}-{report.id:06d}"


def fetch_categories(session: Session, include_inactive: bool = False) -> list[Category]:
    query = select(Category).order_by(Category.group, Category.name)
    if not include_inactive:
        query = query.where(Category.active.is_(True))
    return list(session.scalars(query))


def get_category(session: Session, code: str, include_inactive: bool = False) -> Category | None:
    category = session.get(Category, code)
    if category is None or (not category.active and not include_inactive):
        return None
    return category


def unit_for(session: Session, agency_code: str, kecamatan_code: str | None) -> str | None:
    if not kecamatan_code:
        return None
    row = session.get(AreaUnit, (agency_code, kecamatan_code))
    return row.unit if row else None


def count_recent_reports(
    session: Session, submitter_key: str, since: datetime
) -> tuple[int, datetime | None]:
    count, oldest = session.execute(
        select(func.count(Report.id), func.min(Report.created_at)).where(
            Report.submitter_key == submitter_key, Report.created_at >= since
        )
    ).one()
    return count, oldest


def create_report(session: Session, report: Report) -> Report:
    session.add(report)
    session.flush()
    report.public_id = public_id_for(report)
    session.flush()
    return report


def get_report(session: Session, public_id: str, for_update: bool = False) -> Report:
    if not PUBLIC_ID.match(public_id or ""):
        raise NotFound("Laporan tidak ditemukan.", {"id": ["Nomor laporan tidak valid."]})
    query = select(Report).where(Report.public_id == public_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Report)
    report = session.scalar(query)
    if report is None:
        raise NotFound("Laporan tidak ditemukan.", {"id": [f"Tidak ada laporan {public_id}."]})
    return report


def fetch_blob_keys(session: Session) -> list[str]:
    return list(session.scalars(select(Photo.blob_key).distinct()))


def fetch_by_public_ids(session: Session, public_ids: list[str]) -> list[Report]:
    if not public_ids:
        return []
    return list(session.scalars(select(Report).where(Report.public_id.in_(public_ids))))


def get_report_by_token(session: Session, token: str) -> Report | None:
    return session.scalar(select(Report).where(Report.token == token))


def fetch_timeline(session: Session, report_ids: list[int]) -> dict[int, list[TimelineEntry]]:
    entries: dict[int, list[TimelineEntry]] = {rid: [] for rid in report_ids}
    query = (
        select(TimelineEntry)
        .where(TimelineEntry.report_id.in_(report_ids))
        .order_by(TimelineEntry.id)
    )
    for entry in session.scalars(query):
        entries[entry.report_id].append(entry)
    return entries


def add_timeline(session: Session, report: Report, entry: TimelineEntry) -> None:
    """A line of the report's timeline and, unless it is for staff only, the entry of the
    report's public trail that mirrors it, in the same transaction."""
    session.add(entry)
    if not entry.staff_only:
        trail_store.append(
            session, TrailEntry, trail_chain(report.public_id), entry.at, trail_data(entry)
        )


def trail_chain(public_id: str) -> str:
    return f"complaints/{public_id}"


def trail_data(entry: TimelineEntry) -> dict:
    """What the trail keeps of a timeline line: exactly what the public timeline shows."""
    return {
        "action": entry.action,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "actor": entry.actor_label,
        "note": entry.note,
    }


def fetch_reports(
    session: Session,
    *,
    page: int,
    per_page: int,
    bbox: tuple[float, float, float, float] | None = None,
    category: str | None = None,
    statuses: list[str] | None = None,
    kecamatan: str | None = None,
    agency: str | None = None,
    overdue: bool | None = None,
    now: datetime | None = None,
    queue_order: bool = False,
    reporter: int | None = None,
    public: bool = False,
) -> tuple[list[Report], int]:
    query = select(Report).where(Report.public_id.is_not(None))
    if public:  # what a moderator hid is in no public list
        query = query.where(Report.hidden_at.is_(None))
    if reporter is not None:
        query = query.where(Report.reporter_user_id == reporter)
    if bbox:
        min_lon, min_lat, max_lon, max_lat = bbox
        query = query.where(
            Report.lon.between(min_lon, max_lon), Report.lat.between(min_lat, max_lat)
        )
    if category:
        query = query.where(Report.category_code == category)
    if statuses:
        query = query.where(Report.status.in_(statuses))
    if kecamatan:
        query = query.where(Report.kecamatan_code == kecamatan)
    if agency:
        query = query.where(Report.agency_code == agency)
    if overdue is not None and now is not None:
        late = Report.due_at.is_not(None) & (Report.due_at < now) & Report.status.in_(OPEN_STATUSES)
        query = query.where(late if overdue else ~late)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if queue_order:
        is_late = case((Report.due_at < now, 0), else_=1)
        query = query.order_by(is_late, Report.due_at.is_(None), Report.due_at, Report.id)
    else:
        query = query.order_by(Report.created_at.desc(), Report.id.desc())
    reports = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return reports, total


def fetch_moderated(
    session: Session,
    *,
    page: int,
    per_page: int,
    agency: str | None = None,
    what: str | None = None,
) -> tuple[list[Report], int]:
    """The reports a moderator hid, or one of whose photos they hid (`what`: "report" or
    "photo" for one kind alone), newest moderation still in force first. Found through the
    hidden_at indexes: the hidden are few among many reports."""
    photos = (
        select(Photo.report_id.label("report_id"), func.max(Photo.hidden_at).label("at"))
        .where(Photo.hidden_at.is_not(None))
        .group_by(Photo.report_id)
        .subquery()
    )
    latest = case(
        (photos.c.at.is_(None), Report.hidden_at),
        (Report.hidden_at.is_(None), photos.c.at),
        (Report.hidden_at > photos.c.at, Report.hidden_at),
        else_=photos.c.at,
    )
    query = (
        select(Report)
        .outerjoin(photos, photos.c.report_id == Report.id)
        .where(Report.public_id.is_not(None))
    )
    if what == REPORT_ITEMS:
        query = query.where(Report.hidden_at.is_not(None))
    elif what == PHOTO_ITEMS:
        query = query.where(photos.c.at.is_not(None))
    else:
        hidden = union(
            select(Report.id).where(Report.hidden_at.is_not(None)),
            select(Photo.report_id).where(Photo.hidden_at.is_not(None)),
        )
        query = query.where(Report.id.in_(select(hidden.subquery().c[0])))
    if agency:
        query = query.where(Report.agency_code == agency)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(latest.desc(), Report.id.desc())
    reports = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return reports, total


def add_support(session: Session, report: Report, supporter_key: str, at: datetime) -> bool:
    """Record one supporter once; False when this supporter already supported the report."""
    exists = session.scalar(
        select(Support.id).where(
            Support.report_id == report.id, Support.supporter_key == supporter_key
        )
    )
    if exists:
        return False
    try:
        with session.begin_nested():
            session.add(Support(report_id=report.id, supporter_key=supporter_key, created_at=at))
    except IntegrityError:
        return False
    report.supporters = (report.supporters or 0) + 1
    return True


def fetch_updates(
    session: Session, start: datetime, end: datetime, limit: int
) -> list[tuple[TimelineEntry, Report]]:
    query = (
        select(TimelineEntry, Report)
        .join(Report, Report.id == TimelineEntry.report_id)
        .where(TimelineEntry.at >= start, TimelineEntry.at <= end)
        .where(TimelineEntry.staff_only.is_(False), Report.hidden_at.is_(None))
        .order_by(TimelineEntry.at, TimelineEntry.id)
        .limit(limit)
    )
    return list(session.execute(query).tuples())


def find_api_client(session: Session, key_hash: str) -> ApiClient | None:
    return session.scalar(
        select(ApiClient).where(ApiClient.key_hash == key_hash, ApiClient.active.is_(True))
    )


def fetch_api_clients(session: Session) -> list[ApiClient]:
    return list(session.scalars(select(ApiClient).order_by(ApiClient.id)))


def search_reports(
    session: Session,
    *,
    public_ids: list[str] | None,
    categories: list[str] | None,
    start: datetime | None,
    end: datetime | None,
    statuses: list[str] | None,
    limit: int,
) -> list[Report]:
    query = select(Report).where(Report.public_id.is_not(None), Report.hidden_at.is_(None))
    if public_ids:
        query = query.where(Report.public_id.in_(public_ids))
    else:
        if categories:
            query = query.where(Report.category_code.in_(categories))
        if start:
            query = query.where(Report.created_at >= start)
        if end:
            query = query.where(Report.created_at <= end)
        if statuses:
            query = query.where(Report.status.in_(statuses))
    return list(
        session.scalars(query.order_by(Report.created_at.desc(), Report.id.desc()).limit(limit))
    )


# --- the private audit log (services/complaints/audit.py) ------------------------------------


def append_audit(
    session: Session, report: Report, action: str, actor, data: dict, at: datetime | None = None
) -> AuditEntry:
    """Chain a new entry onto the report's log, in the caller's transaction (which holds the
    report's row). `actor` is who made the call (servicekit.context.Actor; None for the system)."""
    return audit_log.append(session, AuditEntry, OWNER, report, action, actor, data, at)


def fetch_audit(session: Session, report_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.report_id == report_id).order_by(AuditEntry.seq)
    return list(session.scalars(query))
