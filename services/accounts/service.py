"""The accounts service: registration, login, staff accounts, agencies.

Every entrypoint of the service is declared here, and each hands a `Desk` (its dependencies)
to a plain module that holds the rules: registration, signing_in, people. What other
processes may know of it is its contract (services.accounts.contract).
"""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import CallContext
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.outbox import RELAY_INTERVAL, Outbox
from services.accounts import passwords, people, registration, signing_in, verification
from services.accounts.dependencies import (
    AccountsDatabase,
    LoginPolicyProvider,
    PasswordHashing,
)
from services.accounts.desk import Desk
from services.accounts.models import outbox


class AccountsService:
    name = "accounts"

    db = AccountsDatabase("accounts")
    outbox = Outbox(outbox)
    actor = CallContext()
    passwords = PasswordHashing()
    login_policy = LoginPolicyProvider()

    def _desk(self) -> Desk:
        return Desk(self.db, self.actor, self.passwords, self.login_policy, self.outbox)

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- signing up, in and out ---------------------------------------------------------------

    @rpc(sensitive_arguments=("payload.password", "payload.email", "payload.nik"))
    def register(self, payload: dict) -> dict:
        """Self-registration of a citizen. The answer is the same whether the email or NIK was
        taken (no account enumeration): an email tells the owner of the address that someone
        tried it, or the address given that its NIK belongs to another account."""
        return registration.register(self._desk(), payload)

    @rpc(sensitive_arguments=("payload.password",))
    def authenticate(self, payload: dict) -> dict:
        """Check credentials; returns the claims for a token. Slows down, then locks, on failures.

        Every attempt is counted before the password is checked, atomically (a concurrent
        attempt on the same account is refused, not counted twice), so parallel guesses get
        no more password checks than the policy allows.
        """
        return signing_in.authenticate(self._desk(), payload)

    @rpc
    def end_sessions(self) -> dict:
        """Sign the caller out everywhere: every token issued to them until now stops working."""
        return signing_in.end_sessions(self._desk())

    # --- forgotten passwords ------------------------------------------------------------------

    @rpc(sensitive_arguments=("payload.email",))
    def request_password_reset(self, payload: dict) -> dict:
        """Email a link to set a new password to the account of an address, if there is one;
        answered alike either way."""
        return passwords.request_reset(self._desk(), payload)

    @rpc(sensitive_arguments=("payload.token", "payload.password"))
    def reset_password(self, payload: dict) -> dict:
        """Set a new password with an emailed link's token (once, within an hour); every
        session of the account ends."""
        return passwords.reset_password(self._desk(), payload)

    @rpc(sensitive_arguments=("payload.current_password", "payload.new_password"))
    def change_password(self, payload: dict) -> dict:
        """The caller's new password, given the current one; every session ends (the claims
        of the caller's new token are returned)."""
        return passwords.change_password(self._desk(), payload)

    # --- proving an address -------------------------------------------------------------------

    @rpc(sensitive_arguments=("payload.token",))
    def verify_email(self, payload: dict) -> dict:
        """Prove an account's address with an emailed link's token (once, within a week)."""
        return verification.verify_email(self._desk(), payload)

    @rpc
    def request_email_verification(self) -> dict:
        """Email the caller a new link to prove their address (none if it is proven)."""
        return verification.request_again(self._desk())

    # --- users, staff, agencies ---------------------------------------------------------------

    @rpc
    def get_user(self, user_id: int) -> dict:
        """A user's own profile; admins may read anyone's."""
        return people.get_user(self._desk(), user_id)

    @rpc(sensitive_arguments=("payload.phone",))
    def update_profile(self, payload: dict) -> dict:
        """The caller changes their own name or phone."""
        return people.update_profile(self._desk(), payload)

    @rpc
    def set_staff_active(self, user_id: int, active: bool) -> dict:
        """An admin deactivates or reactivates a staff account (its sessions end)."""
        return people.set_staff_active(self._desk(), user_id, active)

    @rpc(sensitive_arguments=("payload.password", "payload.email", "payload.nik"))
    def create_staff(self, payload: dict) -> dict:
        """An admin creates a staff (ASN) account bound to an agency."""
        return people.create_staff(self._desk(), payload)

    @rpc
    def list_staff(self, query: dict | None = None) -> dict:
        """Staff accounts, for admins, filtered by agency and role, paginated."""
        return people.list_staff(self._desk(), query)

    @rpc
    def list_agencies(self) -> list[dict]:
        """Every agency (OPD) with its code and name: public knowledge."""
        return people.list_agencies(self._desk())

    # --- for other services (not exposed through the gateway) ----------------------

    @rpc(callers=("notifications",))
    def contacts(self, user_ids: list[int]) -> list[dict]:
        """Names and addresses of the given users, for notifications."""
        return people.contacts(self._desk(), user_ids)

    @rpc(callers=("notifications", "letters"))
    def agency_staff(self, agency: str, roles: list[str] | None = None) -> list[dict]:
        """Active staff of an agency (optionally with some roles), for notifications; and for
        Sisumaker (letters), whose dispositions go to staff of the letter's own agency."""
        return people.agency_staff(self._desk(), agency, roles)

    @rpc(callers=("notifications",))
    def registration_notice_contact(self, notice_id: int) -> dict:
        """Whom to tell that the NIK of their sign-up belongs to another account (FiledBy)."""
        return people.registration_notice_contact(self._desk(), notice_id)

    @rpc(callers=("notifications",))
    def password_reset_contact(self, reset_id: int) -> dict:
        """The account a password link goes to, and the link's token (made now, only its hash
        kept), for notifications (FiledBy)."""
        return passwords.reset_contact(self._desk(), reset_id)

    @rpc(callers=("notifications",))
    def email_verification_contact(self, verification_id: int) -> dict:
        """The account an address link goes to, and the link's token (made now, only its hash
        kept), for notifications (FiledBy)."""
        return verification.verification_contact(self._desk(), verification_id)

    @rpc(callers=("gateway",))
    def session_versions(self, since: str | None, max_age: int) -> dict:
        """For the gateway's token check: the session version of every user who signed out
        since `since` (a cursor this method returned; read again a little further back) but
        not more than `max_age` seconds ago (tokens older than that have expired anyway)."""
        return signing_in.session_versions(self._desk(), since, max_age)
