"""Proving an account's address: a link by email at sign-up (and again when its owner asks),
used once within a week; following it marks the account verified, which applying for aid or a
job card needs (the token's claim "ev", checked by those services).

The link carries `<verification id>.<secret>`, made when the notifications service asks for
the email's values (`verification_contact`), as a password link's: accounts keeps only its
SHA-256, never the secret. Plain functions behind AccountsService's entrypoints.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta

from servicekit.errors import Invalid
from servicekit.payloads import load
from services.accounts import store
from services.accounts.contract import EMAIL_VERIFICATION_REQUESTED, EmailVerificationSchema
from services.accounts.desk import Desk
from services.accounts.models import EmailVerification, User
from services.accounts.passwords import token_digest

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(days=7)
MAX_PENDING_LINKS = 5  # per lifetime; more requests send nothing
BAD_TOKEN = (
    "Tautan verifikasi email tidak valid, sudah dipakai, atau kedaluwarsa. Masuk lalu minta "
    "tautan baru di halaman Akun saya."
)


def send_link(desk: Desk, user: User, now: datetime) -> None:
    """A new link for `user` (its email leaves through the outbox), unless too many wait."""
    if store.count_verifications_since(desk.db, user.id, now - LINK_LIFETIME) >= MAX_PENDING_LINKS:
        log.info("email verification not sent: too many pending", extra={"user_id": user.id})
        return
    link = EmailVerification(user_id=user.id, created_at=now, expires_at=now + LINK_LIFETIME)
    store.add_verification(desk.db, link)
    desk.outbox.add(EMAIL_VERIFICATION_REQUESTED, verification_id=link.id)


def request_again(desk: Desk) -> dict:
    """The signed-in caller asks for a new link (nothing is sent to a verified address)."""
    desk.actor.require_login()
    user = store.get_user(desk.db, desk.actor.user_id)
    if user.email_verified_at is None:
        send_link(desk, user, datetime.now(UTC))
        log.info("email verification asked again", extra={"user_id": user.id})
    return {"verified": user.email_verified_at is not None}


def verification_contact(desk: Desk, verification_id: int) -> dict:
    """For notifications: the account to email and the link's token, made now (only its hash
    is kept). A link used, expired, or of an inactive or verified account gets nobody."""
    link = store.get_verification(desk.db, int(verification_id))
    now = datetime.now(UTC)
    nobody = {"user_id": None, "email": None, "name": None}
    if link is None or link.used_at is not None or link.expires_at <= now:
        return nobody
    user = store.get_user(desk.db, link.user_id)
    if not user.is_active or user.email_verified_at is not None:
        return nobody
    secret = secrets.token_urlsafe(32)
    link.token_hash = token_digest(secret)
    return {"user_id": user.id, "values": {"token_verifikasi": f"{link.id}.{secret}"}}


def verify_email(desk: Desk, payload: dict) -> dict:
    """Follow a link: once, within its lifetime; the account's address is proven then."""
    data = load(EmailVerificationSchema(), payload)
    now = datetime.now(UTC)
    link = _link_of(desk, data["token"], now)
    if link is None or not store.claim_verification(desk.db, link.id, now):
        raise Invalid(BAD_TOKEN, {"token": [BAD_TOKEN]})
    user = store.get_user(desk.db, link.user_id)
    if user.email_verified_at is None:
        user.email_verified_at = now
    log.info("email verified", extra={"user_id": user.id})
    return {"user_id": user.id}


def _link_of(desk: Desk, token: str, now: datetime) -> EmailVerification | None:
    link_id, _, secret = token.partition(".")
    if not link_id.isdigit() or len(link_id) > 12 or not secret:
        return None
    link = store.get_verification(desk.db, int(link_id))
    if link is None or link.token_hash is None:
        return None
    if not hmac.compare_digest(link.token_hash, token_digest(secret)):
        return None
    if link.used_at is not None or link.expires_at <= now:
        return None
    return link if store.get_user(desk.db, link.user_id).is_active else None
