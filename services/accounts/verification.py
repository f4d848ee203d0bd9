"""Proving an account's address: a link by email at sign-up (and again when its owner asks),
used once within a week; following it marks the account verified, which applying for aid or a
job card needs (the token's claim "ev", checked by those services).

The link carries `<verification id>.<secret>` (services.accounts.links), made when the
notifications service asks for the email's values (`verification_contact`), as a password
link's: accounts keeps only its SHA-256, never the secret. Plain functions behind
AccountsService's entrypoints.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from servicekit.errors import Invalid
from servicekit.payloads import load
from services.accounts import links, store
from services.accounts.contract import EMAIL_VERIFICATION_REQUESTED, EmailVerificationSchema
from services.accounts.desk import Desk
from services.accounts.models import EmailVerification, User

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(days=7)
MAX_PENDING_LINKS = 5  # per lifetime; more requests send nothing
BAD_TOKEN = (
    "Tautan verifikasi email tidak valid, sudah dipakai, atau kedaluwarsa. Masuk lalu minta "
    "tautan baru di halaman Akun saya."
)


def send_link(desk: Desk, user: User, now: datetime) -> bool:
    """A new link for `user` (its email leaves through the outbox), unless too many wait:
    whether one was made."""
    recent = store.count_links_since(desk.db, EmailVerification, user.id, now - LINK_LIFETIME)
    if recent >= MAX_PENDING_LINKS:
        log.info("email verification not sent: too many pending", extra={"user_id": user.id})
        return False
    link = EmailVerification(user_id=user.id, created_at=now, expires_at=now + LINK_LIFETIME)
    store.add_link(desk.db, link)
    desk.outbox.add(EMAIL_VERIFICATION_REQUESTED, verification_id=link.id)
    return True


def request_again(desk: Desk) -> dict:
    """The signed-in caller asks for a new link (nothing is sent to a verified address, nor
    while MAX_PENDING_LINKS of the last week wait unused): whether the address is verified
    and whether a link was sent, so that its owner is told which."""
    desk.actor.require_login()
    user = store.get_user(desk.db, desk.actor.user_id)
    sent = False
    if user.email_verified_at is None:
        sent = send_link(desk, user, datetime.now(UTC))
        log.info("email verification asked again", extra={"user_id": user.id, "sent": sent})
    return {"verified": user.email_verified_at is not None, "sent": sent}


def verification_contact(desk: Desk, verification_id: int) -> dict:
    """For notifications: the account to email and the link's token, made now (only its hash
    is kept). A link used, expired, or of an inactive or verified account gets nobody."""
    link = store.get_link(desk.db, EmailVerification, int(verification_id))
    if not links.pending(link, datetime.now(UTC)):
        return links.NOBODY
    user = store.get_user(desk.db, link.user_id)
    if not user.is_active or user.email_verified_at is not None:
        return links.NOBODY
    return {"user_id": user.id, "values": {"token_verifikasi": links.new_token(link)}}


def verify_email(desk: Desk, payload: dict) -> dict:
    """Follow a link: once, within its lifetime; the account's address is proven then."""
    data = load(EmailVerificationSchema(), payload)
    now = datetime.now(UTC)
    link = links.link_of(desk, EmailVerification, data["token"], now)
    if link is None or not store.claim_link(desk.db, EmailVerification, link.id, now):
        raise Invalid(BAD_TOKEN, {"token": [BAD_TOKEN]})
    user = store.get_user(desk.db, link.user_id)
    if user.email_verified_at is None:
        user.email_verified_at = now
    log.info("email verified", extra={"user_id": user.id})
    return {"user_id": user.id}
