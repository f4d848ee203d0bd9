"""Bearer tokens (JWT, HS256) and the acting user of a request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from flask import current_app, g, request

from gateway.problems import Problem
from servicekit.context import Actor

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
    return Actor(
        user_id=user_id, roles=frozenset(roles), agency=agency if isinstance(agency, str) else None
    )


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
