"""Open311 api keys: issued by admins to organisations, stored only as hashes.

A mixin of ComplaintsService (its dependencies: db, actor).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from servicekit.entrypoints import rpc
from servicekit.errors import Forbidden
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import ApiKeyCreateSchema
from services.complaints.models import ApiClient


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


class Open311Keys:
    @rpc
    def issue_api_key(self, payload: dict) -> dict:
        """An admin issues an Open311 api_key to an organisation; the key is shown once."""
        self.actor.require_role("admin")
        data = load(ApiKeyCreateSchema(), payload)
        key = secrets.token_urlsafe(24)
        client = ApiClient(
            organisation=data["organisation"],
            key_hash=hash_key(key),
            key_prefix=key[:8],
            active=True,
            created_at=datetime.now(UTC),
            created_by=self.actor.user_id,
        )
        self.db.add(client)
        self.db.flush()
        return _api_client(client) | {"api_key": key}

    @rpc
    def list_api_keys(self) -> list[dict]:
        self.actor.require_role("admin")
        return [_api_client(c) for c in store.fetch_api_clients(self.db)]

    def _api_client(self, api_key: str) -> ApiClient:
        client = store.find_api_client(self.db, hash_key(api_key or ""))
        if client is None:
            raise Forbidden(
                "api_key tidak valid.", {"api_key": ["api_key tidak dikenal atau sudah dicabut."]}
            )
        return client


def _api_client(client: ApiClient) -> dict:
    return {
        "id": client.id,
        "organisation": client.organisation,
        "key_prefix": client.key_prefix,
        "active": client.active,
        "created_at": client.created_at.isoformat(),
    }
