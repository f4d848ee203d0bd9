"""Links emailed to an account's owner (a new password, a proven address): each carries
`<link id>.<secret>`; the secret is made when the notifications service asks for the email's
values, so it is never in an event, a log line or a table: accounts keeps only its SHA-256.
A link works once, until it expires, while its account is active.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from services.accounts import store
from services.accounts.desk import Desk
from services.accounts.models import OneTimeLink

# What a contact RPC answers for a link that may not be sent (nothing is sent then).
NOBODY = {"user_id": None, "email": None, "name": None}


def pending(link: OneTimeLink | None, now: datetime) -> bool:
    return link is not None and link.used_at is None and link.expires_at > now


def new_token(link: OneTimeLink) -> str:
    """The link's token, made now (a token made before stops working): only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    link.token_hash = token_digest(secret)
    return f"{link.id}.{secret}"


def link_of(desk: Desk, model: type[OneTimeLink], token: str, now: datetime):
    """The pending link of an active account a token is of, or None."""
    link_id, _, secret = token.partition(".")
    if not link_id.isdigit() or len(link_id) > 12 or not secret:
        return None
    link = store.get_link(desk.db, model, int(link_id))
    if link is None or link.token_hash is None:
        return None
    if not hmac.compare_digest(link.token_hash, token_digest(secret)):
        return None
    if not pending(link, now):
        return None
    return link if store.get_user(desk.db, link.user_id).is_active else None


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
