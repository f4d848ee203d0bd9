"""Accounts over HTTP: sign-up, login, the caller's profile, staff administration."""

from __future__ import annotations

from flask import Blueprint, Response

from gateway.access import ADMIN_ONLY, PUBLIC, SIGNED_IN
from gateway.accounts.schemas import (
    EMAIL_VERIFIED,
    PASSWORD_RESET_DONE,
    PASSWORD_RESET_SENT,
    REGISTRATION_ACCEPTED,
    DetailSchema,
    RegistrationAcceptedSchema,
    TokenSchema,
    verification_answer,
)
from gateway.api import endpoint, rpc
from gateway.auth import current_actor, issue_token, session_versions
from gateway.limits import limited
from services.accounts.contract import (
    AccountsClient,
    AgencySchema,
    EmailVerificationSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    ProfileUpdateSchema,
    RegisterSchema,
    StaffCreateSchema,
    StaffQuerySchema,
    UserPageSchema,
    UserSchema,
)

blueprint = Blueprint("accounts", __name__, url_prefix="/api/v1")
accounts = AccountsClient(rpc)


@blueprint.post("/auth/register")
@limited("register")
@endpoint(
    "Daftar sebagai warga",
    tags=("Akun",),
    body=RegisterSchema,
    response=RegistrationAcceptedSchema,
    status=202,
    errors=(422,),
    access=PUBLIC,
)
def register(body):
    """Self-registration of a citizen: name, email, password, optional NIK (16 digits).

    The answer (202) is the same whether or not the email or NIK already has an account:
    nobody learns from it who is registered. When no account was made, an email says why: to
    the owner of a taken address, that someone tried it; to the address given with a taken
    NIK, to contact the office. Then sign in with `POST /api/v1/auth/login`.
    """
    accounts.register(body)
    return {"detail": REGISTRATION_ACCEPTED, "email": body["email"]}


@blueprint.post("/auth/login")
@limited("login")
@endpoint(
    "Masuk",
    tags=("Akun",),
    body=LoginSchema,
    response=TokenSchema,
    errors=(401, 422, 429),
    access=PUBLIC,
)
def login(body):
    """Exchange email and password for a bearer token (JWT with user id, roles and agency).

    Repeated failures slow the account down and then lock it for a while (429 with Retry-After).
    """
    claims = accounts.authenticate(body)
    token, ttl = issue_token(claims)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "user": claims}


@blueprint.post("/auth/logout")
@endpoint("Keluar", tags=("Akun",), status=204, auth=True, access=SIGNED_IN)
def logout():
    """End every session of the caller: this token and every other one issued to them until now
    stop working (on the web pages too). Other gateway processes learn of it within about a
    second."""
    ended = accounts.end_sessions()
    session_versions().ended(ended["user_id"], ended["version"])
    return Response(status=204)


@blueprint.post("/auth/password-reset")
@limited("password")
@endpoint(
    "Lupa kata sandi: minta tautan",
    tags=("Akun",),
    body=PasswordResetRequestSchema,
    response=DetailSchema,
    status=202,
    errors=(422,),
    access=PUBLIC,
)
def request_password_reset(body):
    """Email a link to set a new password (valid one hour, once) to the account of `email`.

    The answer (202) is the same whether or not the address has an account: nobody learns
    from it who is registered. The link opens `/atur-ulang-sandi?token=...`."""
    accounts.request_password_reset(body)
    return {"detail": PASSWORD_RESET_SENT}


@blueprint.post("/auth/password-reset/confirm")
@limited("password")
@endpoint(
    "Atur ulang kata sandi",
    tags=("Akun",),
    body=PasswordResetSchema,
    response=DetailSchema,
    errors=(422,),
    access=PUBLIC,
)
def reset_password(body):
    """Set a new password (8 to 128 characters, as on sign-up) with the `token` of an emailed
    link: once, within its hour. Every session of the account ends; the old password and
    every other link stop working.

    Aturan keadaan (422 naming `token`): the token is one an emailed link carries, not used
    yet, not expired, and its account's password has not changed since it was sent."""
    ended = accounts.reset_password(body)
    session_versions().ended(ended["user_id"], ended["version"])
    return {"detail": PASSWORD_RESET_DONE}


@blueprint.post("/auth/verify-email")
@limited("verify")
@endpoint(
    "Verifikasi alamat email",
    tags=("Akun",),
    body=EmailVerificationSchema,
    response=DetailSchema,
    errors=(422,),
    access=PUBLIC,
)
def verify_email(body):
    """Prove an account's address with the `token` of the link emailed at sign-up (or asked
    for again): once, within a week. Applying for hibah/bansos or a job card needs it; tokens
    issued before carry the old state, so sign in again afterwards.

    Aturan keadaan (422 naming `token`): the token is one an emailed link carries, not used
    yet, not expired."""
    accounts.verify_email(body)
    return {"detail": EMAIL_VERIFIED}


@blueprint.post("/me/verify-email")
@limited("verify")
@endpoint(
    "Kirim ulang tautan verifikasi email",
    tags=("Akun",),
    response=DetailSchema,
    status=202,
    auth=True,
    access=SIGNED_IN,
)
def request_email_verification():
    """Email the caller a new link to prove their address (valid a week, once); nothing is
    sent when it is proven already, nor while five links of the last week wait unused (the
    answer says which)."""
    return {"detail": verification_answer(accounts.request_email_verification())}


@blueprint.get("/me")
@endpoint("Profil saya", tags=("Akun",), response=UserSchema, auth=True, access=SIGNED_IN)
def me():
    """The caller's own profile."""
    return accounts.get_user(current_actor().user_id)


@blueprint.patch("/me")
@endpoint(
    "Ubah profil saya",
    tags=("Akun",),
    body=ProfileUpdateSchema,
    response=UserSchema,
    errors=(422,),
    auth=True,
    access=SIGNED_IN,
)
def update_me(body):
    """Change one's own name or phone (`phone: null` removes it); email and NIK stay.

    Aturan antar-kolom (422 naming `name`): at least one of `name` and `phone` is given."""
    return accounts.update_profile(body)


@blueprint.post("/me/password")
@limited("password")
@endpoint(
    "Ganti kata sandi saya",
    tags=("Akun",),
    body=PasswordChangeSchema,
    response=TokenSchema,
    errors=(422,),
    auth=True,
    access=SIGNED_IN,
)
def change_password(body):
    """Change one's own password, given the current one (the new one 8 to 128 characters, as
    on sign-up). Every other session ends (on the web pages too) and so does this token: the
    answer carries a new one.

    Aturan keadaan (422 naming `current_password`): it is the account's password now."""
    claims = accounts.change_password(body)
    session_versions().ended(claims["id"], claims["sv"])
    token, ttl = issue_token(claims)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "user": claims}


@blueprint.get("/agencies")
@endpoint(
    "Daftar perangkat daerah (OPD)", tags=("Akun",), response=AgencySchema, many=True, access=PUBLIC
)
def agencies():
    """Every agency (OPD) of the regency with its code: public."""
    return accounts.list_agencies()


@blueprint.get("/admin/agencies")
@endpoint(
    "Daftar OPD (admin)",
    tags=("Admin",),
    response=AgencySchema,
    many=True,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def admin_agencies():
    """Every agency (OPD), for the admin console."""
    return accounts.list_agencies()


@blueprint.post("/admin/staff")
@endpoint(
    "Buat akun staf (ASN)",
    tags=("Admin",),
    body=StaffCreateSchema,
    response=UserSchema,
    status=201,
    roles=("admin",),
    errors=(409, 422),
    access=ADMIN_ONLY,
)
def create_staff(body):
    """Create a staff account with its roles, bound to an agency (budget_team: BPKAD).

    Aturan antar-kolom (422 naming the field): `agency` is required with any role that works
    at an agency's desk (every staff role but admin and leader), is a known agency's code, and
    is BPKAD with `budget_team`; the email is not yet registered (409)."""
    return accounts.create_staff(body)


@blueprint.get("/admin/staff")
@endpoint(
    "Daftar akun staf",
    tags=("Admin",),
    query=StaffQuerySchema,
    response=UserPageSchema,
    roles=("admin",),
    access=ADMIN_ONLY,
)
def list_staff(query):
    """Staff accounts filtered by agency and role, 50 per page by default."""
    return accounts.list_staff(query)


def _staff_active(user_id: int, active: bool) -> dict:
    user = accounts.set_staff_active(user_id, active)
    session_versions().ended(user["id"], user["sv"])
    return user


@blueprint.post("/admin/users/<int:user_id>/deactivate")
@endpoint(
    "Nonaktifkan akun staf",
    tags=("Admin",),
    response=UserSchema,
    roles=("admin",),
    errors=(404, 409),
    access=ADMIN_ONLY,
)
def deactivate_user(user_id: int):
    """A staff account can no longer sign in and every session of it ends at once; the
    account and everything it did stay (reactivate it with `.../reactivate`). Not a citizen's
    account, nor one's own (409)."""
    return _staff_active(user_id, False)


@blueprint.post("/admin/users/<int:user_id>/reactivate")
@endpoint(
    "Aktifkan kembali akun staf",
    tags=("Admin",),
    response=UserSchema,
    roles=("admin",),
    errors=(404, 409),
    access=ADMIN_ONLY,
)
def reactivate_user(user_id: int):
    """A deactivated staff account may sign in again (with its old password)."""
    return _staff_active(user_id, True)
