"""/saya/akun: one's own account: name and phone, and a new password (given the current one),
which ends every other session; this browser gets a session of the new password at once. The
same calls as the API (PATCH /api/v1/me, POST /api/v1/me/password)."""

from __future__ import annotations

from flask import g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import SIGNED_IN, access
from gateway.api import rpc
from gateway.auth import issue_token, session_versions
from gateway.limits import limited
from gateway.workspace.common import blueprint, signed_in_only
from gateway.workspace.session import sign_in
from servicekit.errors import ServiceError
from services.accounts.contract import AccountsClient, PasswordChangeSchema, ProfileUpdateSchema

accounts = AccountsClient(rpc)
DONE = {"profil": "Profil tersimpan.", "sandi": "Kata sandi diganti; sesi lain sudah berakhir."}


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


def _page(error=None, errors=None, status=200, values=None):
    profile = accounts.get_user(g.actor.user_id)
    page = render_template(
        "my_account.html",
        profile=profile,
        values=values if values is not None else profile,
        done=DONE.get(request.args.get("ok", "")),
        error=error,
        errors=errors or {},
    )
    return page, status
