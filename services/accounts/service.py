"""The accounts service: registration, login, staff accounts, agencies."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from nameko.timer import timer

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.payloads import load
from services.accounts import store
from services.accounts.contract import (
    STAFF_CREATED,
    TAKEN_EMAIL,
    TAKEN_NIK,
    USER_REGISTERED,
    AgencySchema,
    ClaimsSchema,
    ContactSchema,
    LoginSchema,
    RegisterSchema,
    RegistrationSchema,
    StaffCreateSchema,
    StaffQuerySchema,
    UserPageSchema,
    UserSchema,
)
from services.accounts.dependencies import LoginPolicyProvider, PasswordHashing
from services.accounts.domain import normalize_email, staff_problems
from services.accounts.models import RegistrationNotice, User, outbox
from services.accounts.schemas import SessionVersionsQuerySchema

log = logging.getLogger(__name__)

BAD_LOGIN = "Email atau kata sandi salah."
TOO_MANY_LOGINS = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
# A sign-up with a taken address or NIK emails someone: at most once an hour per address, and
# the address given is forgotten after a week (the email has long been sent by then).
NOTICE_INTERVAL = timedelta(hours=1)
NOTICE_RETENTION = timedelta(days=7)
# Sign-outs are read again this far back: a transaction may commit a little after its time.
SESSION_CURSOR_OVERLAP = timedelta(seconds=10)


class AccountsService:
    name = "accounts"

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    db = Database("accounts")
    outbox = Outbox(outbox)
    actor = CallContext()
    passwords = PasswordHashing()
    login_policy = LoginPolicyProvider()

    @rpc(sensitive_arguments=("payload.password", "payload.email", "payload.nik"))
    def register(self, payload: dict) -> dict:
        """Self-registration of a citizen. The answer is the same whether the email or NIK was
        taken (no account enumeration): an email tells the owner of the address that someone
        tried it, or the address given that its NIK belongs to another account."""
        data = load(RegisterSchema(), payload)
        # Hashed either way, so that the answer takes as long whatever happens next.
        password_hash = self.passwords.hash(data["password"])
        now = datetime.now(UTC)
        taken = store.taken_by(self.db, data["email"], data.get("nik"))
        if taken is None:
            user = User(
                email=data["email"],
                email_key=normalize_email(data["email"]),
                name=data["name"],
                password_hash=password_hash,
                nik=data.get("nik"),
                created_at=now,
            )
            try:
                store.create_user(self.db, user, ["citizen"])
            except Conflict:  # a concurrent sign-up took the address or the NIK meanwhile
                taken = store.taken_by(self.db, data["email"], data.get("nik"))
                if taken is None:
                    raise
        if taken is not None:
            self._tell_of_taken(taken, data, now)
            return RegistrationSchema().dump({"created": False, "email": data["email"]})
        self.outbox.add(USER_REGISTERED, user_id=user.id, roles=user.roles, agency=None)
        log.info("citizen registered", extra={"user_id": user.id})
        return RegistrationSchema().dump({"created": True, "email": data["email"]})

    def _tell_of_taken(self, taken: str, data: dict, now: datetime) -> None:
        email_key = normalize_email(data["email"])
        kind = f"{taken}_taken"
        log.info("sign-up with a taken %s: answered as accepted, told by email", taken)
        if store.recent_notice(self.db, kind, email_key, now - NOTICE_INTERVAL):
            return
        notice = RegistrationNotice(kind=kind, email_key=email_key, created_at=now)
        if taken == "nik":
            notice.email, notice.name = data["email"], data["name"]
        store.add_notice(self.db, notice, keep_since=now - NOTICE_RETENTION)
        if taken == "email":
            owner = store.find_user_by_email(self.db, email_key)
            self.outbox.add(TAKEN_EMAIL, user_id=owner.id)
        else:
            self.outbox.add(TAKEN_NIK, notice_id=notice.id)

    @rpc(sensitive_arguments=("payload.password",))
    def authenticate(self, payload: dict) -> dict:
        """Check credentials; returns the claims for a token. Slows down, then locks, on failures.

        Every attempt is counted before the password is checked, atomically (a concurrent
        attempt on the same account is refused, not counted twice), so parallel guesses get
        no more password checks than the policy allows.
        """
        data = load(LoginSchema(), payload)
        now = datetime.now(UTC)
        user = store.find_user_by_email(self.db, data["email"])
        if user is None:
            self.passwords.verify(None, data["password"])
            raise Unauthorized(BAD_LOGIN)
        policy = self.login_policy
        wait = policy.wait_seconds(user.failed_logins, user.last_failed_at, user.locked_until, now)
        if wait:
            raise TooManyRequests(TOO_MANY_LOGINS, retry_after=wait)
        if not store.claim_login_attempt(self.db, user, policy, now):
            raise TooManyRequests(TOO_MANY_LOGINS, retry_after=1)
        self.db.commit()  # counted before the (slow) check, so concurrent attempts see it
        if not self.passwords.verify(user.password_hash, data["password"]) or not user.is_active:
            if user.locked_until is not None and user.locked_until > now:
                log.warning(
                    "account locked after repeated failed logins", extra={"user_id": user.id}
                )
            raise Unauthorized(BAD_LOGIN)
        if self.passwords.needs_rehash(user.password_hash):
            user.password_hash = self.passwords.hash(data["password"])
        store.clear_login_failures(self.db, user)
        self.db.commit()
        return ClaimsSchema().dump(
            {
                "id": user.id,
                "name": user.name,
                "roles": user.roles,
                "agency": user.agency.code if user.agency else None,
                "sv": user.session_version,
            }
        )

    @rpc
    def end_sessions(self) -> dict:
        """Sign the caller out everywhere: every token issued to them until now stops working."""
        self.actor.require_login()
        version = store.end_sessions(self.db, self.actor.user_id, datetime.now(UTC))
        log.info("sessions ended", extra={"user_id": self.actor.user_id})
        return {"user_id": self.actor.user_id, "version": version}

    @rpc
    def get_user(self, user_id: int) -> dict:
        """A user's own profile; admins may read anyone's."""
        self.actor.require_login()
        if self.actor.user_id != user_id and not self.actor.has_role("admin"):
            raise Forbidden("Anda hanya dapat melihat profil Anda sendiri.")
        return UserSchema().dump(store.get_user(self.db, user_id))

    @rpc(sensitive_arguments=("payload.password", "payload.email", "payload.nik"))
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
            STAFF_CREATED,
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

    @rpc(callers=("notifications",))
    def contacts(self, user_ids: list[int]) -> list[dict]:
        """Names and addresses of the given users, for notifications."""
        return [_contact(u) for u in store.fetch_users_by_ids(self.db, list(user_ids)[:1000])]

    @rpc(callers=("notifications",))
    def agency_staff(self, agency: str, roles: list[str] | None = None) -> list[dict]:
        """Active staff of an agency (optionally with some roles), for notifications."""
        return [_contact(u) for u in store.fetch_agency_staff(self.db, agency, roles or [])]

    @rpc(callers=("notifications",))
    def registration_notice_contact(self, notice_id: int) -> dict:
        """Whom to tell that the NIK of their sign-up belongs to another account (FiledBy)."""
        notice = store.get_notice(self.db, int(notice_id))
        if notice.kind != "nik_taken" or not notice.email:
            raise NotFound("Pemberitahuan pendaftaran tidak ditemukan.")
        return {"user_id": None, "email": notice.email, "name": notice.name}

    @rpc(callers=("gateway",))
    def session_versions(self, since: str | None, max_age: int) -> dict:
        """For the gateway's token check: the session version of every user who signed out
        since `since` (a cursor this method returned; read again a little further back) but
        not more than `max_age` seconds ago (tokens older than that have expired anyway)."""
        query = load(SessionVersionsQuerySchema(), {"since": since, "max_age": max_age})
        now = datetime.now(UTC)
        oldest = now - timedelta(seconds=query["max_age"])
        if query["since"] is not None:
            oldest = max(oldest, query["since"] - SESSION_CURSOR_OVERLAP)
        ended = store.sessions_ended_since(self.db, oldest)
        return {"cursor": now.isoformat(), "versions": [list(pair) for pair in ended]}


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
