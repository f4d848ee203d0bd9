"""Applications for the AK/I card: a citizen drafts, uploads, submits; a DISNAKER officer
approves (the card is issued), returns or rejects. Plain functions given the service's `Desk`;
every one checks the actor first."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.payloads import load
from services.accounts.contract import nik_problems
from services.jobcards import rules
from services.jobcards.contract import (
    AGENCY,
    APPROVED,
    APPROVED_EVENT,
    DOCUMENT_TYPES,
    OFFICER,
    REJECTED_EVENT,
    RETURNED_EVENT,
    STATUS_LABELS,
    SUBMITTED,
    SUBMITTED_EVENT,
    ApplicationCreateSchema,
    ApplicationSchema,
    DocumentFileSchema,
    PageQuerySchema,
    TransitionSchema,
)
from services.jobcards.desk import Desk
from services.jobcards.models import Application, Document

WIB = ZoneInfo("Asia/Jakarta")
EVENTS = {"approve": APPROVED_EVENT, "return": RETURNED_EVENT, "reject": REJECTED_EVENT}


def today():
    return datetime.now(WIB).date()


# --- who may see what ---------------------------------------------------------------------


def is_officer(actor) -> bool:
    return actor.has_role(OFFICER) and actor.agency == AGENCY


def require_officer(actor) -> None:
    actor.require_role(OFFICER)
    if actor.agency != AGENCY:
        raise Forbidden("Hanya petugas DISNAKER yang menangani Kartu Kuning.", {"agency": [AGENCY]})


def fetch(session: Session, application_id: int) -> Application:
    found = session.get(Application, application_id)
    if found is None:
        raise NotFound("Permohonan tidak ditemukan.", {"id": [str(application_id)]})
    return found


def visible(desk: Desk, application_id: int) -> Application:
    """The application, for its applicant or DISNAKER's officers; 404 for anyone else (its
    existence is not told either)."""
    desk.actor.require_login()
    application = fetch(desk.db, application_id)
    if application.applicant_user_id != desk.actor.user_id and not is_officer(desk.actor):
        raise NotFound("Permohonan tidak ditemukan.", {"id": [str(application_id)]})
    return application


def owned(desk: Desk, application_id: int) -> Application:
    """The application, for its applicant alone (DISNAKER's officers read it, not change it)."""
    application = visible(desk, application_id)
    if application.applicant_user_id != desk.actor.user_id:
        raise Forbidden("Hanya pemohon yang dapat mengubah permohonannya.", {"id": ["pemohon"]})
    return application


# --- views --------------------------------------------------------------------------------


def view(application: Application) -> dict:
    present = {d.type for d in application.documents}
    data = {c.name: getattr(application, c.name) for c in Application.__table__.columns}
    data |= {
        "status_label": STATUS_LABELS[application.status],
        "documents": list(application.documents),
        "reports": list(application.reports),
        "missing_documents": [t for t in rules.REQUIRED_DOCUMENTS if t not in present],
    }
    return ApplicationSchema().dump(data)


def page_of(session: Session, query, order, params: dict) -> dict:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page, per_page = params["page"], params["per_page"]
    rows = session.scalars(query.order_by(*order).offset((page - 1) * per_page).limit(per_page))
    return {"items": [view(a) for a in rows], "total": total, "page": page, "per_page": per_page}


def facts(application: Application) -> dict:
    """What every event says of an application: ids and the figures' dimensions only."""
    found = {
        "application_id": application.id,
        "applicant_user_id": application.applicant_user_id,
        "agency": AGENCY,
        "status": application.status,
        "education_level": application.education_level,
        "gender": application.gender,
        "kecamatan_code": application.kecamatan_code,
    }
    if application.card_number:
        found |= {"card_number": application.card_number, "valid_until": application.valid_until}
    return found


# --- a citizen's application -------------------------------------------------------------


def create(desk: Desk, payload: dict) -> dict:
    desk.actor.require_login()
    data = load(ApplicationCreateSchema(), payload)
    _check_identity(data)
    holding = desk.db.scalar(
        select(Application.id).where(
            Application.applicant_user_id == desk.actor.user_id, Application.status == APPROVED
        )
    )
    if holding is not None:
        raise Conflict("Anda sudah memegang Kartu Kuning yang aktif.", {"id": [str(holding)]})
    now = datetime.now(UTC)
    application = Application(
        applicant_user_id=desk.actor.user_id,
        status="draft",
        **_cleaned(desk, data),
        reminders_sent=0,
        created_at=now,
        updated_at=now,
    )
    desk.db.add(application)
    desk.db.flush()
    return view(application)


def correct(desk: Desk, application_id: int, payload: dict) -> dict:
    """The applicant corrects a draft or a returned application (checked as on creation);
    the officer's note stays until it is decided again."""
    application = owned(desk, application_id)
    if application.status not in rules.EDITABLE:
        raise Conflict(
            "Permohonan hanya dapat diubah selama belum diajukan atau setelah dikembalikan.",
            {"status": [application.status]},
        )
    data = load(ApplicationCreateSchema(), payload)
    _check_identity(data)
    for name, value in _cleaned(desk, data).items():
        setattr(application, name, value)
    application.updated_at = datetime.now(UTC)
    desk.db.flush()
    return view(application)


def _check_identity(data: dict) -> None:
    problems = {"nik": nik_problems(data["nik"])} if nik_problems(data["nik"]) else {}
    problems = problems or rules.identity_problems(
        data["nik"], data["birth_date"], data["gender"], today()
    )
    if problems:
        raise Invalid("Data identitas tidak valid.", problems)


def _cleaned(desk: Desk, data: dict) -> dict:
    """The columns of an application from a loaded request: text trimmed, the domicile
    located (desa and kecamatan)."""
    place = domicile(desk, data)
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()} | place
    cleaned["skills"] = [s.strip() for s in data["skills"]]
    cleaned["training"] = [t.strip() for t in data["training"]]
    return cleaned


def domicile(desk: Desk, data: dict) -> dict:
    """The desa and kecamatan of the domicile, in Kabupaten Serang: a desa by code, or the
    desa a point lies in (the gis service locates it)."""
    if data.get("desa_code"):
        code = data["desa_code"]
        desa = next(
            (a for a in desk.places.search_areas(code, "desa", 1) if a.get("code") == code), None
        )
        if desa is None:
            raise Invalid("Desa tidak dikenal.", {"desa_code": ["Bukan desa di Kabupaten Serang."]})
        kecamatan = next(
            (
                a
                for a in desk.places.search_areas(desa["parent_code"], "kecamatan", 1)
                if a.get("code") == desa["parent_code"]
            ),
            {"name": None},
        )
        return {
            "desa_name": desa["name"],
            "kecamatan_code": desa["parent_code"],
            "kecamatan_name": kecamatan["name"],
        }
    located = desk.places.locate(data["lat"], data["lon"])
    if not located.get("inside") or not located.get("desa"):
        raise Invalid(
            "Lokasi di luar Kabupaten Serang.",
            {"lat": ["Titik domisili harus berada di Kabupaten Serang."]},
        )
    return {
        "desa_code": located["desa"]["code"],
        "desa_name": located["desa"]["name"],
        "kecamatan_code": located["kecamatan"]["code"],
        "kecamatan_name": located["kecamatan"]["name"],
    }


def mine(desk: Desk, query: dict | None) -> dict:
    desk.actor.require_login()
    params = load(PageQuerySchema(), query)
    found = select(Application).where(Application.applicant_user_id == desk.actor.user_id)
    return page_of(desk.db, found, (Application.id.desc(),), params)


def get(desk: Desk, application_id: int) -> dict:
    return view(visible(desk, application_id))


def document(desk: Desk, application_id: int, document_id: int) -> dict:
    """Where a document's file is stored: for the applicant and DISNAKER's officers."""
    application = visible(desk, application_id)
    found = next((d for d in application.documents if d.id == document_id), None)
    if found is None:
        raise NotFound("Dokumen tidak ditemukan.", {"id": [str(document_id)]})
    return DocumentFileSchema().dump(found)


def check_document(desk: Desk, application_id: int, doc_type: str) -> Application:
    if doc_type not in DOCUMENT_TYPES:
        raise Invalid("Jenis dokumen tidak dikenal.", {"type": [", ".join(DOCUMENT_TYPES)]})
    application = owned(desk, application_id)
    if application.status not in rules.EDITABLE:
        raise Conflict(
            "Dokumen hanya dapat diunggah selama permohonan belum diajukan.",
            {"status": [application.status]},
        )
    return application


def add_document(desk: Desk, application_id: int, doc_type: str, blob: dict) -> dict:
    """Attach a stored file as the document of its type (a new one replaces the old)."""
    application = check_document(desk, application_id, doc_type)
    now = datetime.now(UTC)
    for old in [d for d in application.documents if d.type == doc_type]:
        application.documents.remove(old)
        desk.db.delete(old)
    application.documents.append(
        Document(
            type=doc_type,
            blob_key=blob["key"],
            content_type=blob["content_type"],
            size=int(blob["size"]),
            uploaded_at=now,
        )
    )
    application.updated_at = now
    desk.db.flush()
    return view(application)


def submit(desk: Desk, application_id: int) -> dict:
    application = owned(desk, application_id)
    desk.actor.require_verified_email()
    rules.check_submittable(application.status, {d.type for d in application.documents})
    previous, now = application.status, datetime.now(UTC)
    claimed = desk.db.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == previous)
        .values(status=SUBMITTED, submitted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict("Permohonan baru saja berubah; muat ulang.", {"status": [previous]})
    desk.db.refresh(application)
    desk.outbox.add(SUBMITTED_EVENT, **facts(application), resubmitted=previous != "draft")
    return view(application)


# --- DISNAKER's desk ----------------------------------------------------------------------


def queue(desk: Desk, query: dict | None) -> dict:
    require_officer(desk.actor)
    params = load(PageQuerySchema(), query)
    found = select(Application).where(Application.status == SUBMITTED)
    return page_of(desk.db, found, (Application.submitted_at, Application.id), params)


def transition(desk: Desk, application_id: int, payload: dict) -> dict:
    """Approve (the card is issued), return with a note or reject with a reason. Two officers
    acting at once: the status is compare-and-swapped, the second gets 409."""
    require_officer(desk.actor)
    data = load(TransitionSchema(), payload)
    application = fetch(desk.db, application_id)
    step = rules.plan(data["action"], application.status)
    now, on = datetime.now(UTC), today()
    values = {
        "status": step.target,
        "note": (data["note"] or "").strip() or None,
        "decided_by": desk.actor.user_id,
        "updated_at": now,
    }
    if step.action == "approve":
        values |= {
            "card_number": rules.card_number(on.year, application.id),
            "issued_on": on,
            "valid_until": rules.valid_until(on),
            "report_due": rules.next_report_due(on),
            "reminders_sent": 0,
        }
    claimed = desk.db.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == step.source)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(
            "Permohonan ini baru saja diputuskan petugas lain.", {"status": ["sudah berubah"]}
        )
    desk.db.refresh(application)
    extra = {"issued_on": on} if step.action == "approve" else {"note": application.note}
    desk.outbox.add(EVENTS[step.action], **facts(application), **extra)
    return view(application)


def blob_keys(session: Session) -> list[str]:
    return list(session.scalars(select(Document.blob_key).distinct()))
