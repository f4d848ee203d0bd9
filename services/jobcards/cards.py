"""The issued card: what is printed on it, the holder's six-monthly reports, the public
verification, the sweep that reminds and lapses, and the office's figures."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from servicekit.database import is_postgres
from servicekit.errors import Conflict, Forbidden
from servicekit.payloads import load
from services.jobcards import rules
from services.jobcards.applications import facts, today, view, visible
from services.jobcards.contract import (
    AGENCY,
    APPROVED,
    CARD_NUMBER,
    CLOSED,
    CLOSED_EVENT,
    EDUCATION_LEVELS,
    GENDERS,
    LAPSED,
    LAPSED_EVENT,
    MARITAL,
    REMINDER_EVENT,
    REPORTED_EVENT,
    VERIFY_LABELS,
    FiguresQuerySchema,
    ReportCreateSchema,
    VerificationSchema,
)
from services.jobcards.desk import Desk
from services.jobcards.models import Application, CardReport

_CARD = re.compile(CARD_NUMBER)


def card(desk: Desk, application_id: int) -> dict:
    """What the printed card shows: for its holder or DISNAKER's officers, while it is valid
    or lapsed (a closed or expired card is not printed again)."""
    application = visible(desk, application_id)
    state = rules.verify_state(application.status, application.valid_until, today())
    if state not in ("valid", "lapsed"):
        raise Conflict(
            "Kartu hanya dapat dicetak selama masih berlaku.", {"status": [application.status]}
        )
    photo = next((d for d in application.documents if d.type == "pas_foto"), None)
    education = EDUCATION_LEVELS[application.education_level]
    if application.education_major:
        education += f" – {application.education_major}"
    return {
        "card_number": application.card_number,
        "name": application.name,
        "nik": application.nik,
        "birth_place": application.birth_place,
        "birth_date": application.birth_date.isoformat(),
        "gender": GENDERS[application.gender],
        "marital_status": MARITAL.get(application.marital_status or ""),
        "address": ", ".join(
            part
            for part in (
                application.address,
                application.desa_name and f"Desa {application.desa_name}",
                application.kecamatan_name and f"Kec. {application.kecamatan_name}",
            )
            if part
        ),
        "education": education,
        "work_wanted": application.work_wanted,
        "issued_on": application.issued_on.isoformat(),
        "valid_until": application.valid_until.isoformat(),
        "state": state,
        "photo_key": photo.blob_key if photo else None,
        "photo_type": photo.content_type if photo else None,
    }


def report(desk: Desk, application_id: int, payload: dict) -> dict:
    """The holder reports: still looking (the next report is due in six months; a lapsed card
    is active again), or employed with employer and date (the card is closed)."""
    application = visible(desk, application_id)
    if application.applicant_user_id != desk.actor.user_id:
        raise Forbidden("Hanya pemegang kartu yang melapor.", {"id": ["pemegang kartu"]})
    data = load(ReportCreateSchema(), payload)
    on, now = today(), datetime.now(UTC)
    rules.check_reportable(application.status, application.valid_until, on)
    if data["status"] == "employed" and data["employed_on"] > on:
        raise Conflict("Tanggal mulai bekerja belum lewat.", {"employed_on": [str(on)]})
    employed = data["status"] == "employed"
    values = (
        {"status": CLOSED, "closed_on": data["employed_on"], "report_due": None}
        if employed
        else {"status": APPROVED, "report_due": rules.next_report_due(on), "reminders_sent": 0}
    )
    claimed = desk.db.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == application.status)
        .values(**values, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict("Kartu baru saja berubah; muat ulang.", {"status": ["sudah berubah"]})
    desk.db.add(
        CardReport(
            application_id=application.id,
            status=data["status"],
            employer=(data["employer"] or "").strip() or None if employed else None,
            employed_on=data["employed_on"] if employed else None,
            reported_at=now,
        )
    )
    desk.db.flush()
    desk.db.refresh(application)
    desk.outbox.add(
        REPORTED_EVENT,
        **facts(application),
        report=data["status"],
        report_due=application.report_due,
    )
    if employed:
        desk.outbox.add(CLOSED_EVENT, **facts(application), employed_on=data["employed_on"])
    return view(application)


def verify(desk: Desk, card_number: str) -> dict:
    """Anyone: whether a card number is valid, lapsed, expired, closed or unknown, its dates
    and the holder's initials; nothing else of the holder."""
    number = (card_number or "").strip().upper()[:40]
    found = (
        desk.db.scalar(select(Application).where(Application.card_number == number))
        if _CARD.match(number)
        else None
    )
    state = rules.verify_state(
        found.status if found else None, found and found.valid_until, today()
    )
    known = found is not None and state != "unknown"
    return VerificationSchema().dump(
        {
            "card_number": number,
            "state": state,
            "state_label": VERIFY_LABELS[state],
            "initials": rules.initials(found.name) if known else None,
            "issued_on": found.issued_on if known else None,
            "valid_until": found.valid_until if known else None,
        }
    )


# --- the sweep ----------------------------------------------------------------------------


def sweep(desk: Desk) -> dict:
    """Remind holders before a report is due; mark a card not reported on by its due date
    lapsed. Safe on two replicas: each change is a compare-and-swap on the row (and rows are
    claimed with SKIP LOCKED on PostgreSQL), so one event per reminder and per lapse."""
    on = today()
    # Only the cards with something to do: past their due date (to lapse), or with a reminder
    # reached but not yet sent (the k-th reminder is due k-th largest days before the date).
    # A batch of cards already reminded must not hide the ones after it from every sweep.
    sent = func.coalesce(Application.reminders_sent, 0)
    reminders = [
        and_(Application.report_due <= on + timedelta(days=days), sent < k)
        for k, days in enumerate(sorted(desk.rules.reminder_days, reverse=True), start=1)
    ]
    query = (
        select(Application)
        .where(Application.status == APPROVED, or_(Application.report_due < on, *reminders))
        .order_by(Application.report_due, Application.id)
        .limit(desk.rules.sweep_batch)
    )
    if is_postgres(desk.db):
        query = query.with_for_update(skip_locked=True, of=Application)
    done = {"reminded": 0, "lapsed": 0}
    now = datetime.now(UTC)
    for application in list(desk.db.scalars(query)):
        if application.report_due < on:
            claimed = desk.db.execute(
                update(Application)
                .where(Application.id == application.id, Application.status == APPROVED)
                .values(status=LAPSED, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                desk.db.refresh(application)
                desk.outbox.add(LAPSED_EVENT, **facts(application))
                done["lapsed"] += 1
            continue
        reached = rules.reminders_due(application.report_due, on, desk.rules.reminder_days)
        sent = application.reminders_sent or 0
        if reached > sent:
            claimed = desk.db.execute(
                update(Application)
                .where(
                    Application.id == application.id,
                    Application.status == APPROVED,
                    Application.reminders_sent == sent,
                )
                .values(reminders_sent=reached)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                desk.db.refresh(application)
                desk.outbox.add(
                    REMINDER_EVENT,
                    **facts(application),
                    report_due=application.report_due,
                    days_left=(application.report_due - on).days,
                )
                done["reminded"] += 1
    return done


# --- the office's figures ----------------------------------------------------------------


def figures(desk: Desk, query: dict | None) -> dict:
    """Cards issued, active, lapsed and closed by education level, gender, kecamatan and month
    of issue: for DISNAKER's staff and admins (no personal data in it)."""
    desk.actor.require_login()
    if not (desk.actor.has_role("admin") or desk.actor.agency == AGENCY):
        raise Forbidden("Angka Kartu Kuning untuk staf DISNAKER dan admin.", {"agency": [AGENCY]})
    params = load(FiguresQuerySchema(), query)
    rows = desk.db.execute(
        select(
            Application.status,
            Application.valid_until,
            Application.issued_on,
            Application.education_level,
            Application.gender,
            Application.kecamatan_code,
            Application.kecamatan_name,
        ).where(Application.card_number.is_not(None))
    ).all()
    on = today()
    groups = {name: defaultdict(lambda: defaultdict(int)) for name in ("e", "g", "k", "m")}
    labels: dict[tuple[str, str], str] = {}
    totals: dict[str, int] = defaultdict(int)
    for status, until, issued, level, gender, kec_code, kec_name in rows:
        if params["year"] and issued.year != params["year"]:
            continue
        state = rules.verify_state(status, until, on)
        counted = {
            "issued": 1,
            "active": int(state == "valid"),
            "lapsed": int(state == "lapsed"),
            "closed": int(state == "closed"),
        }
        keys = {
            "e": (level, EDUCATION_LEVELS.get(level, level)),
            "g": (gender, GENDERS.get(gender, gender)),
            "k": (kec_code or "-", kec_name or "Tidak diketahui"),
            "m": (issued.strftime("%Y-%m"), issued.strftime("%Y-%m")),
        }
        for group, (key, label) in keys.items():
            labels[(group, key)] = label
            for name, value in counted.items():
                groups[group][key][name] += value
        for name, value in counted.items():
            totals[name] += value

    def listed(group: str) -> list[dict]:
        return [
            {"key": key, "label": labels[(group, key)], **_counts(counts)}
            for key, counts in sorted(groups[group].items())
        ]

    return {
        "year": params["year"],
        "totals": {"key": "total", "label": "Semua", **_counts(totals)},
        "by_education": listed("e"),
        "by_gender": listed("g"),
        "by_kecamatan": listed("k"),
        "by_month": listed("m"),
    }


def _counts(counts: dict) -> dict:
    return {name: counts.get(name, 0) for name in ("issued", "active", "lapsed", "closed")}
