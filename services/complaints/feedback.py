"""After a report is resolved its reporter is asked "Sudah diperbaiki?" by email, with two
links: confirm (the report is closed) or reopen (back to the agency's queue). Each link carries
a single-use token (only its hash is stored), valid while the report may be reopened, so
neither needs a sign-in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update

from servicekit.errors import Conflict, Invalid
from servicekit.payloads import load
from services.complaints import history, store
from services.complaints.contract import (
    CLOSED,
    CONFIRM,
    FEEDBACK_REQUESTED,
    FORWARDED,
    RESOLVED,
    FeedbackAnswerSchema,
)
from services.complaints.desk import Desk
from services.complaints.models import FeedbackToken, Report
from services.complaints.queries import reporter_contact
from services.complaints.views import event_facts, public_view

NOBODY = {"user_id": None, "email": None, "name": None}
EXPIRED = "Tautan ini sudah tidak berlaku atau sudah dipakai."


def ask(desk: Desk, report: Report) -> bool:
    """On resolving: the reporter, if reachable, is asked (the notifications service sends it);
    whether they were."""
    reachable = report.reporter_user_id is not None or bool(report.contact_email)
    if reachable:
        desk.outbox.add(FEEDBACK_REQUESTED, **event_facts(report))
    return reachable


def contact(desk: Desk, report_id: int) -> dict:
    """Who to ask about a resolved report, and the paths of the email's two links (under
    `values`, with fresh single-use tokens); nobody once the report is no longer resolved."""
    report = desk.db.get(Report, report_id)
    if report is None or report.status != RESOLVED or report.resolved_at is None:
        return NOBODY
    token, now = secrets.token_urlsafe(24), datetime.now(UTC)
    desk.db.add(
        FeedbackToken(
            report_id=report.id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=report.resolved_at + timedelta(days=desk.rules.reopen_days),
        )
    )
    path = f"/pengaduan/{report.public_id}/tanggapan?"
    return reporter_contact(desk, report_id) | {
        "values": {
            "tautan_sudah": path + urlencode({"token": token, "jawaban": "sudah"}),
            "tautan_belum": path + urlencode({"token": token, "jawaban": "belum"}),
        }
    }


def answer(desk: Desk, public_id: str, payload: dict) -> dict:
    """Confirm (closed) or reopen (forwarded, the agency's response deadline from now), by the
    token of the email's link; the token is spent, and so are the report's other ones."""
    data = load(FeedbackAnswerSchema(), payload)
    report = store.get_report(desk.db, public_id, for_update=True)
    now = datetime.now(UTC)
    token = desk.db.scalar(
        select(FeedbackToken).where(
            FeedbackToken.token_hash == _hash(data["token"]),
            FeedbackToken.report_id == report.id,
        )
    )
    if token is None or token.used_at is not None or token.expires_at < now:
        raise Invalid(EXPIRED, {"token": [EXPIRED]})
    if report.status != RESOLVED:
        raise Conflict(
            "Laporan ini tidak sedang menunggu tanggapan pelapor.", {"status": [report.status]}
        )
    desk.db.execute(
        update(FeedbackToken)
        .where(FeedbackToken.report_id == report.id, FeedbackToken.used_at.is_(None))
        .values(used_at=now)
    )
    note = (data["note"] or "").strip() or None
    confirmed = data["answer"] == CONFIRM
    history.move(
        desk,
        report,
        CLOSED if confirmed else FORWARDED,
        CONFIRM if confirmed else "reopen",
        note
        or (
            "Pelapor menyatakan sudah diperbaiki."
            if confirmed
            else "Pelapor menyatakan belum beres."
        ),
        now,
        history.By("Pelapor", report.reporter_user_id, None),
        {"answer": data["answer"], "via": "tautan surel pelapor"},
    )
    desk.db.flush()
    timeline = store.fetch_timeline(desk.db, [report.id])[report.id]
    return public_view(report, [e for e in timeline if not e.staff_only], now)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
