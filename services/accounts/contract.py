"""The published contract of the accounts service: what any other process may know of it.

Its RPC request and reply schemas (the gateway validates HTTP bodies with these same schemas,
so the OpenAPI document and the service agree by construction), the events it publishes and
`AccountsClient`, the typed client of its RPCs. Depends only on the standard library,
marshmallow and servicekit.
"""

from __future__ import annotations

import re
from datetime import date

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.client import Client
from servicekit.events import EventSchema, event
from servicekit.roles import staff_roles  # the platform's and the installed apps' roles
from servicekit.schema_fields import LengthDeclared, OneOfDeclared

# --- the NIK, as a request may carry it ---------------------------------------------------

# Province codes of Indonesia (Kemendagri), the first two digits of a NIK.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)


def nik_problems(nik: str) -> list[str]:
    """Why a NIK (Nomor Induk Kependudukan) is implausible; empty when it is plausible.

    Layout: PP KK CC DDMMYY SSSS: province, regency/city, district, date of birth
    (day + 40 for women), sequence.
    """
    if not re.fullmatch(r"\d{16}", nik or ""):
        return ["NIK harus terdiri dari 16 angka."]
    problems = []
    province, regency, district = int(nik[0:2]), int(nik[2:4]), int(nik[4:6])
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sequence = int(nik[12:16])
    if province not in PROVINCE_CODES:
        problems.append("Kode provinsi pada NIK tidak dikenal.")
    if regency == 0:
        problems.append("Kode kabupaten/kota pada NIK tidak valid.")
    if district == 0:
        problems.append("Kode kecamatan pada NIK tidak valid.")
    if day > 40:
        day -= 40
    if not _plausible_birth_date(day, month, year):
        problems.append("Tanggal lahir pada NIK tidak valid.")
    if sequence == 0:
        problems.append("Nomor urut pada NIK tidak valid.")
    return problems


def _plausible_birth_date(day: int, month: int, two_digit_year: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + two_digit_year, month, day)
            return True
        except ValueError:
            continue
    return False


def _plausible_nik(value: str) -> None:
    problems = nik_problems(value)
    if problems:
        raise ValidationError(problems)


# --- RPC payloads -------------------------------------------------------------------------

PASSWORD_LENGTH = validate.Length(min=8, max=128, error="Kata sandi harus 8 sampai 128 karakter.")
NAME_LENGTH = validate.Length(min=2, max=120, error="Nama harus 2 sampai 120 karakter.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Nomor telepon tidak valid.")


class _Stripped(Schema):
    @pre_load
    def strip_strings(self, data, **_):
        if isinstance(data, dict):
            return {
                k: v.strip() if isinstance(v, str) and k != "password" else v
                for k, v in data.items()
            }
        return data


class RegisterSchema(_Stripped):
    """A citizen signing up."""

    name = fields.String(required=True, validate=NAME_LENGTH, metadata={"example": "Siti Aminah"})
    email = fields.Email(
        required=True, validate=validate.Length(max=254), metadata={"example": "siti@example.id"}
    )
    password = fields.String(required=True, load_only=True, validate=PASSWORD_LENGTH)
    nik = fields.String(
        load_default=None,
        allow_none=True,
        validate=_plausible_nik,
        metadata={
            "description": "Nomor Induk Kependudukan, 16 angka (opsional)",
            "example": "3604054107900003",
        },
    )


class LoginSchema(_Stripped):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=128)
    )


class PasswordResetRequestSchema(_Stripped):
    """Asking for a link to set a new password (answered the same whether or not it is known)."""

    email = fields.Email(
        required=True, validate=validate.Length(max=254), metadata={"example": "siti@example.id"}
    )


class EmailVerificationSchema(Schema):
    """A link's token that proves an account's address."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PasswordResetSchema(Schema):
    """Setting a new password with the token of an emailed link (the registration's rules)."""

    token = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "token dari tautan di email"},
    )
    password = fields.String(required=True, load_only=True, validate=PASSWORD_LENGTH)


class PasswordChangeSchema(Schema):
    """A signed-in person changing their own password (the registration's rules)."""

    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=128)
    )
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD_LENGTH)


class ProfileUpdateSchema(_Stripped):
    """What a person may change of their own account: name and phone (at least one)."""

    name = fields.String(validate=NAME_LENGTH, metadata={"example": "Siti Aminah"})
    phone = fields.String(
        allow_none=True,
        validate=PHONE,
        metadata={"description": "nomor telepon; null menghapusnya", "example": "0812 3456 7890"},
    )

    @validates_schema
    def something_to_change(self, data, **_):
        if not data:
            raise ValidationError("Isi nama atau telepon.", "name")


class StaffCreateSchema(RegisterSchema):
    """A staff (ASN) account, created by an admin and bound to an agency."""

    roles = fields.List(
        fields.String(validate=OneOfDeclared(staff_roles)),
        required=True,
        validate=LengthDeclared(min=1, max=lambda: len(staff_roles())),
        metadata={"example": ["verifier"]},
    )
    agency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "Kode OPD, mis. DINSOS", "example": "DINSOS"},
    )


class AgencySchema(Schema):
    code = fields.String(metadata={"example": "DPUPR"})
    name = fields.String(metadata={"example": "Dinas Pekerjaan Umum dan Penataan Ruang"})


class UserSchema(Schema):
    """A user as the user (or an admin) sees it."""

    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    nik = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    agency = fields.Nested(AgencySchema, allow_none=True)
    is_active = fields.Boolean(metadata={"description": "false: dinonaktifkan admin"})
    created_at = fields.DateTime(format="iso")
    email_verified_at = fields.DateTime(
        format="iso", allow_none=True, metadata={"description": "null: email belum diverifikasi"}
    )


class StaffQuerySchema(Schema):
    agency = fields.String(load_default=None, validate=validate.Length(max=32))
    role = fields.String(load_default=None, validate=OneOfDeclared(staff_roles))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class UserPageSchema(Schema):
    items = fields.List(fields.Nested(UserSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ClaimsSchema(Schema):
    """What the gateway puts in a token after a successful login."""

    id = fields.Integer()
    name = fields.String()
    roles = fields.List(fields.String())
    agency = fields.String(allow_none=True)
    sv = fields.Integer(metadata={"description": "versi sesi; keluar menaikkannya"})
    ev = fields.Boolean(metadata={"description": "alamat email sudah diverifikasi"})


class RegistrationSchema(Schema):
    """What a sign-up tells the gateway (never the caller: the answer is the same either way)."""

    created = fields.Boolean()
    email = fields.String()


class ContactSchema(Schema):
    """An addressee for other services (notifications); never published."""

    user_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    agency = fields.String(allow_none=True)
    roles = fields.List(fields.String())


# --- events -------------------------------------------------------------------------------
# Payloads carry ids only: whom to write to is asked of accounts.

USER_REGISTERED = "accounts.user_registered"
STAFF_CREATED = "accounts.staff_created"
TAKEN_EMAIL = "accounts.taken_email_registered"
TAKEN_NIK = "accounts.taken_nik_registered"
PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested"
EMAIL_VERIFICATION_REQUESTED = "accounts.email_verification_requested"


@event(USER_REGISTERED)
class UserRegistered(EventSchema):
    user_id = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    agency = fields.String(allow_none=True, load_default=None)


@event(STAFF_CREATED)
class StaffCreated(EventSchema):
    user_id = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    agency = fields.String(required=True)
    created_by = fields.Integer(required=True)


@event(TAKEN_EMAIL)
class TakenEmailRegistered(EventSchema):
    """Someone signed up with the address of an existing account: its owner is told (the
    sign-up's answer never says so; an email does)."""

    user_id = fields.Integer(required=True)  # the owner of the address


@event(TAKEN_NIK)
class TakenNikRegistered(EventSchema):
    """Someone signed up with a NIK another account holds: the address given is told
    (asked of `AccountsClient.registration_notice_contact` with `notice_id`)."""

    notice_id = fields.Integer(required=True)


@event(PASSWORD_RESET_REQUESTED)
class PasswordResetRequested(EventSchema):
    """Someone asked for a link to set a new password of an account: the link is asked of
    `AccountsClient.password_reset_contact` with `reset_id` (never in the payload)."""

    reset_id = fields.Integer(required=True)


@event(EMAIL_VERIFICATION_REQUESTED)
class EmailVerificationRequested(EventSchema):
    """An account's address is to be proven (a sign-up, or its owner asked again): the link is
    asked of `AccountsClient.email_verification_contact` with `verification_id`."""

    verification_id = fields.Integer(required=True)


# --- the typed client ---------------------------------------------------------------------


class AccountsClient(Client):
    service = "accounts"

    def register(self, payload: dict) -> dict:
        """Sign a citizen up (RegisterSchema); a RegistrationSchema, the same answer either way."""
        return self._call("register", payload)

    def authenticate(self, payload: dict) -> dict:
        """Check credentials (LoginSchema); the ClaimsSchema of a token."""
        return self._call("authenticate", payload)

    def end_sessions(self) -> dict:
        """Sign the caller out everywhere: {user_id, version}."""
        return self._call("end_sessions")

    def change_password(self, payload: dict) -> dict:
        """The caller's new password (PasswordChangeSchema); every session ends, and the
        ClaimsSchema of a token for the caller's new one."""
        return self._call("change_password", payload)

    def update_profile(self, payload: dict) -> dict:
        """The caller changes their name or phone (ProfileUpdateSchema); their UserSchema."""
        return self._call("update_profile", payload)

    def set_staff_active(self, user_id: int, active: bool) -> dict:
        """An admin deactivates or reactivates a staff account: its UserSchema, and `sv`, its
        session version (deactivating ends every session)."""
        return self._call("set_staff_active", user_id, active)

    def get_user(self, user_id: int) -> dict:
        """A user's profile (UserSchema): one's own, or anyone's for an admin."""
        return self._call("get_user", user_id)

    def create_staff(self, payload: dict) -> dict:
        """An admin creates a staff account (StaffCreateSchema); its UserSchema."""
        return self._call("create_staff", payload)

    def list_staff(self, query: dict | None = None) -> dict:
        """Staff accounts for admins (StaffQuerySchema); a UserPageSchema."""
        return self._call("list_staff", query)

    def list_agencies(self) -> list[dict]:
        """Every agency (OPD), AgencySchema each."""
        return self._call("list_agencies")

    def contacts(self, user_ids: list[int]) -> list[dict]:
        """Names and addresses of users (ContactSchema each), for notifications only."""
        return self._call("contacts", user_ids)

    def agency_staff(self, agency: str, roles: list[str] | None = None) -> list[dict]:
        """Active staff of an agency with one of `roles` (ContactSchema each), for notifications."""
        return self._call("agency_staff", agency, roles)

    def registration_notice_contact(self, notice_id: int) -> dict:
        """Whom to tell that the NIK of their sign-up belongs to another account."""
        return self._call("registration_notice_contact", notice_id)

    def request_password_reset(self, payload: dict) -> dict:
        """Email a link to set a new password (PasswordResetRequestSchema); {} either way."""
        return self._call("request_password_reset", payload)

    def reset_password(self, payload: dict) -> dict:
        """Set a new password with an emailed token (PasswordResetSchema); every session of
        the account ends: {user_id, version}."""
        return self._call("reset_password", payload)

    def verify_email(self, payload: dict) -> dict:
        """Prove an account's address with an emailed token (EmailVerificationSchema):
        {user_id}; a 422 naming `token` for a bad, used or expired one."""
        return self._call("verify_email", payload)

    def request_email_verification(self) -> dict:
        """Email the caller a new link to prove their address: {"verified": bool, "sent":
        bool} (none is sent to a verified address, nor while five links of the last week
        wait unused)."""
        return self._call("request_email_verification")

    def email_verification_contact(self, verification_id: int) -> dict:
        """For notifications: the account an address link goes to, and its token (made now)."""
        return self._call("email_verification_contact", verification_id)

    def password_reset_contact(self, reset_id: int) -> dict:
        """Whom to send a password link to, and the link's values, for notifications only."""
        return self._call("password_reset_contact", reset_id)

    def session_versions(self, since: str | None, max_age: int) -> dict:
        """Sessions ended since the cursor `since`: {cursor, versions: [[user, version]]}."""
        return self._call("session_versions", since, max_age)
