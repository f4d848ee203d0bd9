"""Signing in and out: the login lockout, ending sessions, and the gateway's session check.

Plain functions behind AccountsService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from servicekit.errors import TooManyRequests, Unauthorized
from servicekit.payloads import load
from services.accounts import store
from services.accounts.contract import ClaimsSchema, LoginSchema
from services.accounts.desk import Desk
from services.accounts.schemas import SessionVersionsQuerySchema

log = logging.getLogger(__name__)

BAD_LOGIN = "Email atau kata sandi salah."
TOO_MANY_LOGINS = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
# Sign-outs are read again this far back: a transaction may commit a little after its time.
SESSION_CURSOR_OVERLAP = timedelta(seconds=10)


def authenticate(desk: Desk, payload: dict) -> dict:
    """Check credentials; returns the claims for a token. Slows down, then locks, on failures.

    Every attempt is counted before the password is checked, atomically (a concurrent attempt
    on the same account is refused, not counted twice), so parallel guesses get no more
    password checks than the policy allows.
    """
    data = load(LoginSchema(), payload)
    now = datetime.now(UTC)
    user = store.find_user_by_email(desk.db, data["email"])
    if user is None:
        desk.passwords.verify(None, data["password"])
        raise Unauthorized(BAD_LOGIN)
    policy = desk.login_policy
    wait = policy.wait_seconds(user.failed_logins, user.last_failed_at, user.locked_until, now)
    if wait:
        raise TooManyRequests(TOO_MANY_LOGINS, retry_after=wait)
    if not store.claim_login_attempt(desk.db, user, policy, now):
        raise TooManyRequests(TOO_MANY_LOGINS, retry_after=1)
    desk.db.commit()  # counted before the (slow) check, so concurrent attempts see it
    if not desk.passwords.verify(user.password_hash, data["password"]) or not user.is_active:
        if user.locked_until is not None and user.locked_until > now:
            log.warning("account locked after repeated failed logins", extra={"user_id": user.id})
        raise Unauthorized(BAD_LOGIN)
    if desk.passwords.needs_rehash(user.password_hash):
        user.password_hash = desk.passwords.hash(data["password"])
    store.clear_login_failures(desk.db, user)
    desk.db.commit()
    return claims_of(user, user.session_version)


def claims_of(user, session_version: int) -> dict:
    """What a token of `user` carries (ClaimsSchema), issued under `session_version`."""
    return ClaimsSchema().dump(
        {
            "id": user.id,
            "name": user.name,
            "roles": user.roles,
            "agency": user.agency.code if user.agency else None,
            "sv": session_version,
            "ev": user.email_verified_at is not None,
        }
    )


def end_sessions(desk: Desk) -> dict:
    """Sign the caller out everywhere: every token issued to them until now stops working."""
    desk.actor.require_login()
    version = store.end_sessions(desk.db, desk.actor.user_id, datetime.now(UTC))
    log.info("sessions ended", extra={"user_id": desk.actor.user_id})
    return {"user_id": desk.actor.user_id, "version": version}


def session_versions(desk: Desk, since: str | None, max_age: int) -> dict:
    """The session version of every user who signed out since `since` (read again a little
    further back) but not more than `max_age` seconds ago, and the cursor for the next call."""
    query = load(SessionVersionsQuerySchema(), {"since": since, "max_age": max_age})
    now = datetime.now(UTC)
    oldest = now - timedelta(seconds=query["max_age"])
    if query["since"] is not None:
        oldest = max(oldest, query["since"] - SESSION_CURSOR_OVERLAP)
    ended = store.sessions_ended_since(desk.db, oldest)
    return {"cursor": now.isoformat(), "versions": [list(pair) for pair in ended]}
