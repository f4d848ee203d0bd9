"""The accounts service: registration, login, staff accounts, agencies."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Forbidden, Invalid, TooManyRequests, Unauthorized
from servicekit.health import HealthRpc
from servicekit.outbox import Outbox, OutboxRelay
from servicekit.payloads import load
from services.accounts import store
from services.accounts.dependencies import LoginPolicyProvider, PasswordHashing
from services.accounts.domain import normalize_email, staff_problems
from services.accounts.models import User, outbox
from services.accounts.schemas import (
    AgencySchema,
    ClaimsSchema,
    ContactSchema,
    LoginSchema,
    RegisterSchema,
    StaffCreateSchema,
    StaffQuerySchema,
    UserPageSchema,
    UserSchema,
)

log = logging.getLogger(__name__)

BAD_LOGIN = "Email atau kata sandi salah."


class AccountsService(HealthRpc, OutboxRelay):
    name = "accounts"

    db = Database("accounts")
    outbox = Outbox(outbox)
    actor = CallContext()
    passwords = PasswordHashing()
    login_policy = LoginPolicyProvider()

    @rpc(sensitive_arguments=("payload.password",))
    def register(self, payload: dict) -> dict:
        """Self-registration of a citizen."""
        data = load(RegisterSchema(), payload)
        user = User(
            email=data["email"],
            email_key=normalize_email(data["email"]),
            name=data["name"],
            password_hash=self.passwords.hash(data["password"]),
            nik=data.get("nik"),
            created_at=datetime.now(UTC),
        )
        store.create_user(self.db, user, ["citizen"])
        self.outbox.add("accounts.user_registered", user_id=user.id, roles=user.roles, agency=None)
        log.info("citizen registered", extra={"user_id": user.id})
        return UserSchema().dump(user)

    @rpc(sensitive_arguments=("payload.password",))
    def authenticate(self, payload: dict) -> dict:
        """Check credentials; returns the claims for a token. Slows down, then locks, on failures."""
        data = load(LoginSchema(), payload)
        now = datetime.now(UTC)
        user = store.find_user_by_email(self.db, data["email"])
        if user is None:
            self.passwords.verify(None, data["password"])
            raise Unauthorized(BAD_LOGIN)
        wait = self.login_policy.wait_seconds(
            user.failed_logins, user.last_failed_at, user.locked_until, now
        )
        if wait:
            raise TooManyRequests(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.", retry_after=wait
            )
        if not self.passwords.verify(user.password_hash, data["password"]) or not user.is_active:
            user.failed_logins, locked_until = self.login_policy.after_failure(
                user.failed_logins, now
            )
            user.last_failed_at = now
            if locked_until is not None:
                user.locked_until = locked_until
                log.warning(
                    "account locked after repeated failed logins", extra={"user_id": user.id}
                )
            # The failure must be recorded even though the call fails.
            self.db.commit()
            raise Unauthorized(BAD_LOGIN)
        user.failed_logins, user.last_failed_at, user.locked_until = 0, None, None
        if self.passwords.needs_rehash(user.password_hash):
            user.password_hash = self.passwords.hash(data["password"])
        return ClaimsSchema().dump(
            {
                "id": user.id,
                "name": user.name,
                "roles": user.roles,
                "agency": user.agency.code if user.agency else None,
            }
        )

    @rpc
    def get_user(self, user_id: int) -> dict:
        """A user's own profile; admins may read anyone's."""
        self.actor.require_login()
        if self.actor.user_id != user_id and not self.actor.has_role("admin"):
            raise Forbidden("Anda hanya dapat melihat profil Anda sendiri.")
        return UserSchema().dump(store.get_user(self.db, user_id))

    @rpc(sensitive_arguments=("payload.password",))
    def create_staff(self, payload: dict) -> dict:
        """An admin creates a staff (ASN) account bound to an agency."""
        self.actor.require_role("admin")
        data = load(StaffCreateSchema(), payload)
        agency_code = data["agency"].upper() if data.get("agency") else None
        errors = staff_problems(data["roles"], agency_code)
        agency = store.get_agency(self.db, agency_code) if agency_code else None
        if agency_code and agency is None:
            errors["agency"] = [f"OPD dengan kode {agency_code} tidak dikenal."]
        if errors:
            raise Invalid("Data staf tidak valid.", errors)
        user = User(
            email=data["email"],
            email_key=normalize_email(data["email"]),
            name=data["name"],
            password_hash=self.passwords.hash(data["password"]),
            nik=data.get("nik"),
            agency_id=agency.id if agency else None,
            agency=agency,
            created_at=datetime.now(UTC),
            created_by=self.actor.user_id,
        )
        store.create_user(self.db, user, data["roles"])
        self.outbox.add(
            "accounts.staff_created",
            user_id=user.id,
            roles=user.roles,
            agency=agency_code or "",
            created_by=self.actor.user_id,
        )
        return UserSchema().dump(user)

    @rpc
    def list_staff(self, query: dict | None = None) -> dict:
        """Staff accounts, for admins, filtered by agency and role, paginated."""
        self.actor.require_role("admin")
        params = load(StaffQuerySchema(), query)
        users, total = store.fetch_staff(self.db, **params)
        return UserPageSchema().dump(
            {"items": users, "page": params["page"], "per_page": params["per_page"], "total": total}
        )

    @rpc
    def list_agencies(self) -> list[dict]:
        """Every agency (OPD) with its code and name: public knowledge."""
        return AgencySchema(many=True).dump(store.fetch_agencies(self.db))

    # --- for other services (not exposed through the gateway) ----------------------

    @rpc
    def contacts(self, user_ids: list[int]) -> list[dict]:
        """Names and addresses of the given users, for notifications."""
        return [_contact(u) for u in store.fetch_users_by_ids(self.db, list(user_ids)[:1000])]

    @rpc
    def agency_staff(self, agency: str, roles: list[str] | None = None) -> list[dict]:
        """Active staff of an agency (optionally with some roles), for notifications."""
        return [_contact(u) for u in store.fetch_agency_staff(self.db, agency, roles or [])]


def _contact(user: User) -> dict:
    return ContactSchema().dump(
        {
            "user_id": user.id,
            "name": user.name,
            "email": user.email,
            "agency": user.agency.code if user.agency else None,
            "roles": user.roles,
        }
    )
