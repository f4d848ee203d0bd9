"""Factories for users and tokens through the real API (no fixtures that build the world)."""

from __future__ import annotations

import itertools
import time
import uuid

from sqlalchemy import text

from servicekit.database import make_engine
from services.accounts.dependencies import Passwords

PASSWORD = "rahasia-Serang-2026"
_seq = itertools.count(1)


def unique_email(prefix: str = "warga") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.id"


def register_citizen(client, *, verified: bool = True, **overrides) -> dict:
    """A new citizen through the API: their profile (id, name, email, nik, roles...) and
    password; with their address verified by following the link of the sign-up's email (its
    token asked of accounts as notifications asks it), unless `verified=False`."""
    body = {
        "name": f"Warga Uji {next(_seq)}",
        "email": unique_email(),
        "password": PASSWORD,
    } | overrides
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 202, response.get_json()
    # The sign-up's answer says nothing of the account (no enumeration): read it as its owner.
    headers = auth(login(client, body["email"], body["password"]))
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.get_json()
    if verified:
        follow_verification_link(client, me.get_json()["id"])
        me = client.get("/api/v1/me", headers=headers)
    return me.get_json() | {"password": body["password"]}


def verification_token(client, user_id: int) -> str:
    """The token of the newest pending address link of a user, made by accounts for the one
    who asks, as it makes it for the email (a later ask makes a new one: the older stops)."""
    from nameko.standalone.rpc import ServiceRpcProxy

    config = client.application.extensions["gawe_test_config"]
    engine = make_engine(config["ACCOUNTS_DATABASE_URL"])
    with engine.connect() as conn:
        link_id = conn.execute(
            text("SELECT max(id) FROM email_verifications WHERE user_id = :u AND used_at IS NULL"),
            {"u": user_id},
        ).scalar_one()
    engine.dispose()
    assert link_id is not None, "no pending verification link"
    notifications = {"caller": "notifications"}
    with ServiceRpcProxy("accounts", config, context_data=notifications, timeout=10) as rpc:
        return rpc.email_verification_contact(link_id)["values"]["token_verifikasi"]


def follow_verification_link(client, user_id: int) -> None:
    """Verify a user's address through the API with the token of their link. Where the
    notifications service runs it may ask for the link after us (its token replaces ours):
    then asked again."""
    for _ in range(5):
        token = verification_token(client, user_id)
        response = client.post("/api/v1/auth/verify-email", json={"token": token})
        if response.status_code == 200:
            return
        assert response.status_code == 422, response.get_json()
        time.sleep(0.2)
    raise AssertionError(f"address not verified: {response.get_json()}")


def login(client, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def create_admin(accounts_db_url: str, email: str | None = None) -> str:
    """The one account no API can create: the first admin (ops create it with the demo loader)."""
    from argon2 import PasswordHasher

    email = email or unique_email("admin")
    hashed = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)).hash(PASSWORD)
    engine = make_engine(accounts_db_url)
    with engine.begin() as conn:
        user_id = conn.execute(
            text(
                "INSERT INTO users (email, email_key, name, password_hash, is_active, created_at,"
                " failed_logins) VALUES (:e, :e, 'Admin Uji', :h, true, CURRENT_TIMESTAMP, 0) RETURNING id"
            ),
            {"e": email, "h": hashed},
        ).scalar_one()
        conn.execute(
            text("INSERT INTO user_roles (user_id, role) VALUES (:u, 'admin')"), {"u": user_id}
        )
    engine.dispose()
    return email
