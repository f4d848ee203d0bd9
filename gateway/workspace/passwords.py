"""/lupa-sandi and /atur-ulang-sandi: asking for a link to set a new password (answered the same
whether or not the address has an account), and setting it with the emailed link's token. The
same calls as the API; the forms are bound to the browser like the sign-in form."""

from __future__ import annotations

from flask import redirect, request
from marshmallow import ValidationError

from gateway.access import PUBLIC, access
from gateway.api import rpc
from gateway.auth import session_versions
from gateway.limits import limited
from gateway.workspace.accounts import form_error, form_page
from gateway.workspace.common import blueprint
from gateway.workspace.session import check_pre_session, sign_out
from servicekit.errors import ServiceError
from services.accounts.contract import (
    AccountsClient,
    PasswordResetRequestSchema,
    PasswordResetSchema,
)

accounts = AccountsClient(rpc)


@blueprint.get("/lupa-sandi")
@access(PUBLIC)
def password_forgotten_form():
    return form_page("password_forgotten.html", values={}, sent=request.args.get("terkirim") == "1")


@blueprint.post("/lupa-sandi")
@access(PUBLIC)
@limited("password")
def password_forgotten():
    check_pre_session()
    values = {"email": request.form.get("email", "")}
    try:
        accounts.request_password_reset(PasswordResetRequestSchema().load(values))
    except ValidationError as exc:
        return form_error("password_forgotten.html", 422, "Periksa isian.", exc.messages, values)
    except ServiceError as exc:
        return form_error("password_forgotten.html", exc.status, exc.message, exc.errors, values)
    return redirect("/lupa-sandi?terkirim=1", 303)  # the same whether or not it is known


@blueprint.get("/atur-ulang-sandi")
@access(PUBLIC)
def password_reset_form():
    return form_page("password_reset.html", values={"token": request.args.get("token", "")})


@blueprint.post("/atur-ulang-sandi")
@access(PUBLIC)
@limited("password")
def password_reset():
    check_pre_session()
    values = {k: request.form.get(k, "") for k in ("token", "password")}
    try:
        ended = accounts.reset_password(PasswordResetSchema().load(values))
    except ValidationError as exc:
        return form_error("password_reset.html", 422, "Periksa isian.", exc.messages, values)
    except ServiceError as exc:
        return form_error("password_reset.html", exc.status, exc.message, exc.errors, values)
    session_versions().ended(ended["user_id"], ended["version"])
    return sign_out(redirect("/masuk?sandi=baru", 303))
