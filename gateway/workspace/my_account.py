"""/saya/akun: one's own account: name and phone, and a new password (given the current one),
which ends every other session; this browser gets a session of the new password at once; while
the address is not verified, a button that emails its link again. The same calls as the API
(PATCH /api/v1/me, POST /api/v1/me/password, POST /api/v1/me/verify-email, whose per-address
limit this button shares)."""

from __future__ import annotations

import functools

from flask import g, redirect, render_template, request
from flask_limiter.errors import RateLimitExceeded
from marshmallow import ValidationError

from gateway.access import SIGNED_IN, access
from gateway.accounts.schemas import (
    ALREADY_VERIFIED,
    LINKS_WAITING,
    VERIFICATION_SENT,
    verification_answer,
)
from gateway.api import rpc
from gateway.auth import issue_token, session_versions
from gateway.limits import limited
from gateway.workspace.common import blueprint, signed_in_only
from gateway.workspace.session import sign_in
from servicekit.errors import ServiceError
from services.accounts.contract import AccountsClient, PasswordChangeSchema, ProfileUpdateSchema

accounts = AccountsClient(rpc)
DONE = {
    "profil": "Profil tersimpan.",
    "sandi": "Kata sandi diganti; sesi lain sudah berakhir.",
    "tautan": VERIFICATION_SENT,
    "terverifikasi": ALREADY_VERIFIED,
}
# What asking for an address link did -> the ?ok= of the page it leads back to; a link not
# sent (too many wait unused) is told apart from a sent one (NOTICE, not a confirmation).
ASKED = {VERIFICATION_SENT: "tautan", ALREADY_VERIFIED: "terverifikasi", LINKS_WAITING: "tunggu"}
NOTICE = {"tunggu": LINKS_WAITING}
TOO_OFTEN = (
    "Terlalu banyak permintaan tautan verifikasi dari alamat internet Anda. Coba lagi nanti; "
    "tautan yang sudah terkirim tetap berlaku."
)


@blueprint.get("/saya/akun")
@access(SIGNED_IN)
@signed_in_only
def my_account():
    return _page()


@blueprint.post("/saya/akun")
@access(SIGNED_IN)
@signed_in_only
def my_account_save():
    values = {"name": request.form.get("name", ""), "phone": request.form.get("phone", "")}
    values["phone"] = values["phone"].strip() or None
    try:
        accounts.update_profile(ProfileUpdateSchema().load(values))
    except ValidationError as exc:
        return _page("Periksa isian.", exc.messages, 422, values)
    except ServiceError as exc:
        return _page(exc.message, exc.errors, exc.status, values)
    return redirect("/saya/akun?ok=profil", 303)


@blueprint.post("/saya/akun/sandi")
@access(SIGNED_IN)
@signed_in_only
@limited("password")
def my_password_save():
    values = {k: request.form.get(k, "") for k in ("current_password", "new_password")}
    try:
        claims = accounts.change_password(PasswordChangeSchema().load(values))
    except ValidationError as exc:
        return _page("Periksa isian.", exc.messages, 422)
    except ServiceError as exc:
        return _page(exc.message, exc.errors, exc.status)
    session_versions().ended(claims["id"], claims["sv"])
    token, ttl = issue_token(claims)
    return sign_in(redirect("/saya/akun?ok=sandi", 303), token, ttl)


def _limit_as_page(view):
    """The per-address limit refused the request: this page again, saying so (429), instead of
    the API's problem document."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except RateLimitExceeded:
            return _page(TOO_OFTEN, status=429)

    return wrapper


@blueprint.post("/saya/akun/verifikasi-email")
@access(SIGNED_IN)
@signed_in_only
@_limit_as_page
@limited("verify")
def my_email_verification():
    """ "Kirim ulang tautan verifikasi": a new link to the account's address, once its owner
    asks (the page says whether one was sent)."""
    answer = verification_answer(accounts.request_email_verification())
    return redirect(f"/saya/akun?ok={ASKED[answer]}", 303)


def _page(error=None, errors=None, status=200, values=None):
    profile = accounts.get_user(g.actor.user_id)
    ok = request.args.get("ok", "")
    page = render_template(
        "my_account.html",
        profile=profile,
        values=values if values is not None else profile,
        done=DONE.get(ok),
        notice=NOTICE.get(ok),
        error=error,
        errors=errors or {},
    )
    return page, status
