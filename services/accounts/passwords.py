"""Forgotten and changed passwords: a link by email to set a new one, used once within an hour;
a signed-in person's own change, given the current one.

The link carries `<reset id>.<secret>` (services.accounts.links), made when the notifications
service asks for the email's values (`reset_contact`): accounts keeps only its SHA-256. Setting a new password ends every session of the account and
every other link still pending. Plain functions behind AccountsService's entrypoints, given
its `Desk`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from servicekit.errors import Invalid
from servicekit.payloads import load
from services.accounts import links, store
from services.accounts.contract import (
    PASSWORD_RESET_REQUESTED,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
)
from services.accounts.desk import Desk
from services.accounts.models import PasswordReset, User
from services.accounts.signing_in import claims_of

log = logging.getLogger(__name__)

RESET_LIFETIME = timedelta(hours=1)
# Links one account may be sent per lifetime: more requests are answered alike and send nothing.
MAX_PENDING_RESETS = 5
BAD_TOKEN = "Tautan untuk mengatur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."
ASK_AGAIN = "Minta tautan baru di halaman Lupa kata sandi."
WRONG_PASSWORD = "Kata sandi saat ini salah."


def request_reset(desk: Desk, payload: dict) -> dict:
    """Send a link to the account of this address, if there is an active one; the answer is
    the same either way (nobody learns from it whether an address is registered)."""
    data = load(PasswordResetRequestSchema(), payload)
    now = datetime.now(UTC)
    user = store.find_user_by_email(desk.db, data["email"])
    if user is None or not user.is_active:
        return {}
    recent = store.count_links_since(desk.db, PasswordReset, user.id, now - RESET_LIFETIME)
    if recent >= MAX_PENDING_RESETS:
        log.info("password reset not sent: too many pending", extra={"user_id": user.id})
        return {}
    reset = PasswordReset(user_id=user.id, created_at=now, expires_at=now + RESET_LIFETIME)
    store.add_link(desk.db, reset)
    desk.outbox.add(PASSWORD_RESET_REQUESTED, reset_id=reset.id)
    log.info("password reset requested", extra={"user_id": user.id})
    return {}


def reset_contact(desk: Desk, reset_id: int) -> dict:
    """For notifications: the account to email and the link's token, made now (only its hash
    is kept). A link used, expired or of an inactive account gets nobody (nothing is sent)."""
    reset = store.get_link(desk.db, PasswordReset, int(reset_id))
    if not links.pending(reset, datetime.now(UTC)):
        return links.NOBODY
    user = store.get_user(desk.db, reset.user_id)
    if not user.is_active:
        return links.NOBODY
    return {"user_id": user.id, "values": {"token_sandi": links.new_token(reset)}}


def reset_password(desk: Desk, payload: dict) -> dict:
    """Set a new password with a link's token: once, within its hour, while the password it
    was sent for has not changed. Every session of the account ends: {user_id, version}."""
    data = load(PasswordResetSchema(), payload)
    # hashed first, outside any write transaction (it yields), and as long for a bad token
    password_hash = desk.passwords.hash(data["password"])
    now = datetime.now(UTC)
    reset = links.link_of(desk, PasswordReset, data["token"], now)
    if reset is None or not store.claim_link(desk.db, PasswordReset, reset.id, now):
        raise Invalid(BAD_TOKEN, {"token": [BAD_TOKEN + " " + ASK_AGAIN]})
    user = store.get_user(desk.db, reset.user_id)
    version = set_password(desk, user, password_hash, now)
    log.info("password reset", extra={"user_id": user.id})
    return {"user_id": user.id, "version": version}


def change_password(desk: Desk, payload: dict) -> dict:
    """The caller's new password, given the current one: every session ends (the gateway
    gives the caller a token of the new one: the claims returned)."""
    desk.actor.require_login()
    data = load(PasswordChangeSchema(), payload)
    user = store.get_user(desk.db, desk.actor.user_id)
    if not desk.passwords.verify(user.password_hash, data["current_password"]):
        raise Invalid(WRONG_PASSWORD, {"current_password": [WRONG_PASSWORD]})
    password_hash = desk.passwords.hash(data["new_password"])
    version = set_password(desk, user, password_hash, datetime.now(UTC))
    log.info("password changed", extra={"user_id": user.id})
    return claims_of(user, version)


def set_password(desk: Desk, user: User, password_hash: str, now: datetime) -> int:
    """A new password: the old one stops working, as do every session and pending link; a
    lock from failed sign-ins is lifted. The new session version."""
    user.password_hash = password_hash
    store.clear_login_failures(desk.db, user)
    store.end_password_resets(desk.db, user.id, now)
    return store.end_sessions(desk.db, user.id, now)
