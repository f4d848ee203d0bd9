"""Open311 api keys: issued by admins to organisations, stored only as hashes.

Plain functions behind ComplaintsService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from servicekit.errors import Forbidden
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import ApiKeyCreateSchema
from services.complaints.desk import Desk
from services.complaints.models import ApiClient


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def issue_api_key(desk: Desk, payload: dict) -> dict:
    """An admin issues an Open311 api_key to an organisation; the key is shown once."""
    desk.actor.require_role("admin")
    data = load(ApiKeyCreateSchema(), payload)
    key = secrets.token_urlsafe(24)
    client = ApiClient(
        organisation=data["organisation"],
        key_hash=hash_key(key),
        key_prefix=key[:8],
        active=True,
        created_at=datetime.now(UTC),
        created_by=desk.actor.user_id,
    )
    desk.db.add(client)
    desk.db.flush()
    return _described(client) | {"api_key": key}


def list_api_keys(desk: Desk) -> list[dict]:
    desk.actor.require_role("admin")
    return [_described(c) for c in store.fetch_api_clients(desk.db)]


def api_client(db: Session, api_key: str) -> ApiClient:
    """The organisation an Open311 api_key belongs to; Forbidden for an unknown or revoked key."""
    client = store.find_api_client(db, hash_key(api_key or ""))
    if client is None:
        raise Forbidden(
            "api_key tidak valid.", {"api_key": ["api_key tidak dikenal atau sudah dicabut."]}
        )
    return client


def _described(client: ApiClient) -> dict:
    return {
        "id": client.id,
        "organisation": client.organisation,
        "key_prefix": client.key_prefix,
        "active": client.active,
        "created_at": client.created_at.isoformat(),
    }
