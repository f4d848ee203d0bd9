"""Forged, expired and otherwise invalid bearer tokens are all a 401, never a 500."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.support.factories import auth, login, register_citizen

SECRET = "test-secret-key-with-enough-entropy-0123456789"


def claims(**overrides):
    now = datetime.now(UTC)
    return {
        "iss": "gawe",
        "sub": "1",
        "roles": ["admin"],
        "agency": None,
        "iat": now,
        "exp": now + timedelta(hours=1),
    } | overrides


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


FORGERIES = {
    "bad signature": lambda: jwt.encode(
        claims(), "another-secret-entirely-0123456789abcdef", algorithm="HS256"
    ),
    "expired": lambda: jwt.encode(
        claims(exp=datetime.now(UTC) - timedelta(seconds=5)), SECRET, algorithm="HS256"
    ),
    "alg none": lambda: (
        b64({"alg": "none", "typ": "JWT"})
        + "."
        + b64({"sub": "1", "roles": ["admin"], "iss": "gawe", "exp": 9999999999, "iat": 1})
        + "."
    ),
    "wrong algorithm": lambda: jwt.encode(claims(), SECRET, algorithm="HS512"),
    "wrong issuer": lambda: jwt.encode(claims(iss="someone-else"), SECRET, algorithm="HS256"),
    "no expiry": lambda: jwt.encode(
        {k: v for k, v in claims().items() if k != "exp"}, SECRET, algorithm="HS256"
    ),
    "non-numeric subject": lambda: jwt.encode(claims(sub="admin"), SECRET, algorithm="HS256"),
    "roles not a list": lambda: jwt.encode(claims(roles="admin"), SECRET, algorithm="HS256"),
    "session version not a number": lambda: jwt.encode(claims(sv="9"), SECRET, algorithm="HS256"),
    "garbage": lambda: "not.a.token",
}


@pytest.mark.parametrize("kind", sorted(FORGERIES))
def test_invalid_token_is_401_problem(client, kind):
    response = client.get("/api/v1/admin/staff", headers=auth(FORGERIES[kind]()))
    assert response.status_code == 401, kind
    assert response.mimetype == "application/problem+json"
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_non_bearer_scheme_is_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert response.status_code == 401


def test_a_correctly_signed_token_with_escalated_roles_cannot_be_made_without_the_key(client):
    user = register_citizen(client)
    token = login(client, user["email"])
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    decoded["roles"] = ["admin"]
    tampered = f"{header}.{b64(decoded)}.{signature}"
    assert client.get("/api/v1/admin/staff", headers=auth(tampered)).status_code == 401
