"""Demo accounts for a newcomer: `python -m services.accounts.demo` (run by `make run`).

Idempotent: running it again resets the demo accounts' roles, agency and password
to what is listed here, and creates nothing twice. The password is DEMO_PASSWORD,
or one generated on the first run and kept in var/demo_password.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import database_url, env_str, var_dir
from servicekit.database import make_engine
from servicekit.roles import installed_agencies, installed_demo_accounts
from services.accounts.domain import normalize_email
from services.accounts.models import Agency, User, UserRole
from services.accounts.store import add_missing_agencies

# The demo logins of every installed app (`AppSpec.demo_accounts`, servicekit.roles.DemoAccount):
# the platform's own are in the accounts manifest, an app's staff in its own.
DEMO_ACCOUNTS = tuple((a.email, a.name, a.role, a.agency) for a in installed_demo_accounts())


def demo_password() -> str:
    configured = env_str("DEMO_PASSWORD")
    if configured:
        return configured
    path = var_dir() / "demo_password"
    if path.exists():
        return path.read_text().strip()
    password = "gawe-" + secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password


def load_demo_accounts(session: Session, password: str) -> list[tuple[str, str, str | None]]:
    hasher = PasswordHasher()
    # the apps' agencies (their manifests), as the service adds them on start: the demo runs first
    add_missing_agencies(session, installed_agencies())
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    loaded = []
    for email, name, role, agency_code in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email_key == normalize_email(email)))
        if user is None:
            user = User(email=email, email_key=normalize_email(email), created_at=datetime.now(UTC))
            session.add(user)
        agency = agencies[agency_code] if agency_code else None
        user.name = name
        user.agency_id = agency.id if agency else None
        user.is_active = True
        user.email_verified_at = user.email_verified_at or user.created_at
        user.failed_logins, user.last_failed_at, user.locked_until = 0, None, None
        if not user.password_hash or not _matches(hasher, user.password_hash, password):
            user.password_hash = hasher.hash(password)
        user.role_rows = [UserRole(role=role)]
        loaded.append((email, role, agency_code))
    session.commit()
    return loaded


def _matches(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except Exception:
        return False


def user_id_of(email: str) -> int | None:
    engine = make_engine(database_url("accounts"))
    with Session(engine) as session:
        found = session.scalar(select(User.id).where(User.email_key == normalize_email(email)))
    engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the demo accounts and print the logins.")
    parser.add_argument(
        "--user-id", metavar="EMAIL", help="only print the id of this account (for other demos)"
    )
    args = parser.parse_args(argv)
    if args.user_id:
        found = user_id_of(args.user_id)
        if found is None:
            print(f"no account {args.user_id}; run the accounts demo first", file=sys.stderr)
            return 1
        print(found)
        return 0
    engine = make_engine(database_url("accounts"))
    password = demo_password()
    with Session(engine) as session:
        loaded = load_demo_accounts(session, password)
    engine.dispose()
    print("\nAkun demo (kata sandi untuk semua: %s)" % password)
    for email, role, agency in loaded:
        print(f"  {email:<34} {role:<12} {agency or ''}")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
