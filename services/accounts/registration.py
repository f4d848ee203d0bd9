"""Self-registration of citizens, without telling anyone whether an address or NIK is taken.

A plain function behind AccountsService.register, given its `Desk`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from servicekit.errors import Conflict
from servicekit.payloads import load
from services.accounts import store, verification
from services.accounts.contract import (
    TAKEN_EMAIL,
    TAKEN_NIK,
    USER_REGISTERED,
    RegisterSchema,
    RegistrationSchema,
)
from services.accounts.desk import Desk
from services.accounts.domain import normalize_email
from services.accounts.models import RegistrationNotice, User

log = logging.getLogger(__name__)

# A sign-up with a taken address or NIK emails someone: at most once an hour per address, and
# the address given is forgotten after a week (the email has long been sent by then).
NOTICE_INTERVAL = timedelta(hours=1)
NOTICE_RETENTION = timedelta(days=7)


def register(desk: Desk, payload: dict) -> dict:
    """Self-registration of a citizen. The answer is the same whether the email or NIK was
    taken (no account enumeration): an email tells the owner of the address that someone
    tried it, or the address given that its NIK belongs to another account."""
    data = load(RegisterSchema(), payload)
    # Hashed either way, so that the answer takes as long whatever happens next.
    password_hash = desk.passwords.hash(data["password"])
    now = datetime.now(UTC)
    taken = store.taken_by(desk.db, data["email"], data.get("nik"))
    if taken is None:
        user = User(
            email=data["email"],
            email_key=normalize_email(data["email"]),
            name=data["name"],
            password_hash=password_hash,
            nik=data.get("nik"),
            created_at=now,
        )
        try:
            store.create_user(desk.db, user, ["citizen"])
        except Conflict:  # a concurrent sign-up took the address or the NIK meanwhile
            taken = store.taken_by(desk.db, data["email"], data.get("nik"))
            if taken is None:
                raise
    if taken is not None:
        _tell_of_taken(desk, taken, data, now)
        return RegistrationSchema().dump({"created": False, "email": data["email"]})
    desk.outbox.add(USER_REGISTERED, user_id=user.id, roles=user.roles, agency=None)
    verification.send_link(desk, user, now)
    log.info("citizen registered", extra={"user_id": user.id})
    return RegistrationSchema().dump({"created": True, "email": data["email"]})


def _tell_of_taken(desk: Desk, taken: str, data: dict, now: datetime) -> None:
    email_key = normalize_email(data["email"])
    kind = f"{taken}_taken"
    log.info("sign-up with a taken %s: answered as accepted, told by email", taken)
    if store.recent_notice(desk.db, kind, email_key, now - NOTICE_INTERVAL):
        return
    notice = RegistrationNotice(kind=kind, email_key=email_key, created_at=now)
    if taken == "nik":
        notice.email, notice.name = data["email"], data["name"]
    store.add_notice(desk.db, notice, keep_since=now - NOTICE_RETENTION)
    if taken == "email":
        owner = store.find_user_by_email(desk.db, email_key)
        desk.outbox.add(TAKEN_EMAIL, user_id=owner.id)
    else:
        desk.outbox.add(TAKEN_NIK, notice_id=notice.id)
