"""Demo data of the complaints service: `python -m services.complaints.demo` (run by `make run`).

An Open311 api_key for a demo organisation: OPEN311_DEMO_API_KEY when set, otherwise one
generated on the first run and kept in var/open311_demo_api_key. Idempotent.
"""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import database_url, env_str, var_dir
from servicekit.database import make_engine
from services.complaints.api_keys import hash_key
from services.complaints.models import ApiClient

DEMO_ORGANISATION = "Organisasi Demo (Open311)"


def demo_api_key() -> str:
    configured = env_str("OPEN311_DEMO_API_KEY")
    if configured:
        return configured
    path = var_dir() / "open311_demo_api_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(24)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_demo_api_client(session: Session, key: str) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.organisation == DEMO_ORGANISATION))
    if client is None:
        client = ApiClient(organisation=DEMO_ORGANISATION, created_at=datetime.now(UTC))
        session.add(client)
    client.key_hash, client.key_prefix, client.active = hash_key(key), key[:8], True
    session.commit()
    return client


def main() -> int:
    engine = make_engine(database_url("complaints"))
    key = demo_api_key()
    with Session(engine) as session:
        load_demo_api_client(session, key)
    engine.dispose()
    print(f"Open311 api_key untuk {DEMO_ORGANISATION}: {key}")
    print(
        "  contoh: curl -s -X POST 127.0.0.1:8000/open311/v2/requests.json -d api_key=... "
        "-d service_code=lampu-jalan -d lat=-6.1405 -d long=106.2213 -d 'description=Lampu mati' "
        "-d 'attribute[jumlah_lampu_mati]=3'"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
