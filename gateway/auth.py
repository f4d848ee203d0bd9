"""Bearer tokens (JWT, HS256) and the acting user of a request.

A token carries the session version of its user (claim "sv"); signing out raises it, which
ends every token issued before (see gateway/accounts/sessions.py for how each process learns).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from flask import current_app, g, request

from gateway.accounts.sessions import SessionVersions
from gateway.problems import Problem
from servicekit.context import Actor, request_id_var
from services.accounts.contract import AccountsClient

ISSUER = "gawe"
ALGORITHM = "HS256"


def issue_token(claims: dict) -> tuple[str, int]:
    """A signed token for a user (claims from accounts.authenticate) and its lifetime."""
    settings = current_app.config["GAWE"]
    now = datetime.now(UTC)
    payload = {
        "iss": ISSUER,
        "sub": str(claims["id"]),
        "name": claims.get("name"),
        "roles": claims.get("roles", []),
        "agency": claims.get("agency"),
        "sv": int(claims.get("sv") or 0),
        "ev": claims.get("ev") is not False,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=settings.jwt_ttl_seconds),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM), settings.jwt_ttl_seconds


def _invalid(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def decode_token(token: str) -> Actor:
    settings = current_app.config["GAWE"]
    try:
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],  # never "none", never an algorithm the token picks
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise _invalid("Token sudah kedaluwarsa; silakan masuk kembali.") from None
    except jwt.InvalidTokenError:
        raise _invalid("Token tidak valid.") from None
    try:
        user_id = int(payload["sub"])
    except (TypeError, ValueError):
        raise _invalid("Token tidak valid.") from None
    roles = payload.get("roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise _invalid("Token tidak valid.")
    agency = payload.get("agency")
    version = payload.get("sv", 0)  # tokens from before session versions: the first one
    if not isinstance(version, int) or isinstance(version, bool):
        raise _invalid("Token tidak valid.")
    verified = payload.get("ev", True)  # tokens from before it: all accounts were verified
    if not isinstance(verified, bool):
        raise _invalid("Token tidak valid.")
    if not session_versions().accepts(user_id, version):
        raise _invalid("Sesi sudah berakhir; silakan masuk kembali.")
    return Actor(
        user_id=user_id,
        roles=frozenset(roles),
        agency=agency if isinstance(agency, str) else None,
        email_verified=verified,
    )


def session_versions() -> SessionVersions:
    """This process's view of ended sessions (one per app), asking accounts when it needs to."""
    found = current_app.extensions.get("gawe_sessions")
    if found is None:
        app = current_app._get_current_object()
        settings = app.config["GAWE"]

        def call(service: str, method: str, *args):  # as the gateway itself, for no one
            context = {"request_id": request_id_var.get(), "actor": None}
            return app.extensions["gawe_rpc"].call(service, method, *args, context=context)

        accounts = AccountsClient(call)

        def fetch(cursor: str | None) -> dict:
            return accounts.session_versions(cursor, settings.jwt_ttl_seconds)

        found = app.extensions.setdefault(
            "gawe_sessions", SessionVersions(fetch, max_age=settings.jwt_ttl_seconds)
        )
    return found


def current_actor() -> Actor:
    """The acting user: anonymous without an Authorization header; 401 on a bad token."""
    if "actor" in g:
        return g.actor
    header = request.headers.get("Authorization", "")
    if not header:
        g.actor = Actor()
        return g.actor
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _invalid("Header Authorization harus berbentuk 'Bearer <token>'.")
    g.actor = decode_token(token.strip())
    return g.actor


def require(actor: Actor, roles: tuple[str, ...] | None) -> None:
    if not actor.is_authenticated:
        raise Problem(401, "Silakan masuk terlebih dahulu.", headers={"WWW-Authenticate": "Bearer"})
    if roles and not actor.has_role(*roles):
        raise Problem(403, f"Hanya untuk peran: {', '.join(roles)}.", {"roles": list(roles)})
