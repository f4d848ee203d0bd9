"""Supporters who chose status emails: a signed-in citizen opts in when supporting a report,
and stops by the link in every such email (a token of their support, no sign-in needed)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from servicekit.errors import Invalid
from services.complaints.desk import Desk
from services.complaints.models import Report, Support

STOPPED = "Tautan ini tidak berlaku."


def follow(desk: Desk, report: Report, supporter_key: str) -> None:
    """The support of `supporter_key` asks for status emails from now on."""
    support = desk.db.scalar(
        select(Support).where(
            Support.report_id == report.id, Support.supporter_key == supporter_key
        )
    )
    if support is not None and not support.notify:
        support.notify = True
        support.optout_token = secrets.token_urlsafe(24)


def contacts(desk: Desk, report_id: int) -> list[dict]:
    """The supporters following a report (user ids), each with their own opt-out link."""
    report = desk.db.get(Report, report_id)
    if report is None:
        return []
    rows = desk.db.scalars(
        select(Support).where(Support.report_id == report_id, Support.notify.is_(True))
    )
    return [
        {
            "user_id": int(s.supporter_key.removeprefix("user:")),
            "values": {"tautan_berhenti": f"/pengaduan/berhenti-mengikuti?token={s.optout_token}"},
        }
        for s in rows
        if s.supporter_key.startswith("user:")
    ]


def stop(desk: Desk, token: str) -> dict:
    """No more status emails for the support this token belongs to (a second use is harmless)."""
    support = desk.db.scalar(select(Support).where(Support.optout_token == (token or "")))
    if support is None or not token:
        raise Invalid(STOPPED, {"token": [STOPPED]})
    support.notify = False
    report = desk.db.get(Report, support.report_id)
    return {"public_id": report.public_id, "notify": False}
