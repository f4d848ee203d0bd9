"""Factories for users and tokens through the real API (no fixtures that build the world)."""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy import text

from servicekit.database import make_engine
from services.accounts.dependencies import Passwords

PASSWORD = "rahasia-Serang-2026"
_seq = itertools.count(1)


def unique_email(prefix: str = "warga") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.id"


def register_citizen(client, **overrides) -> dict:
    """A new citizen through the API: their profile (id, name, email, nik, roles...) and password."""
    body = {
        "name": f"Warga Uji {next(_seq)}",
        "email": unique_email(),
        "password": PASSWORD,
    } | overrides
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 202, response.get_json()
    # The sign-up's answer says nothing of the account (no enumeration): read it as its owner.
    me = client.get("/api/v1/me", headers=auth(login(client, body["email"], body["password"])))
    assert me.status_code == 200, me.get_json()
    return me.get_json() | {"password": body["password"]}


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
