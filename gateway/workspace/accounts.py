"""/masuk, /daftar, /keluar: sign in (the accounts service's lockout applies as on the API),
sign up as a citizen (answered the same whether or not the account is new: an email tells),
sign out (every session of the person ends, as with the API's logout)."""

from __future__ import annotations

import logging

from flask import g, make_response, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import PUBLIC, access
from gateway.api import rpc
from gateway.auth import issue_token, session_versions
from gateway.limits import limited
from gateway.rpc import GatewayUnavailable
from gateway.workspace.common import (
    blueprint,
    home_of,
)
from gateway.workspace.session import (
    check_csrf,
    check_pre_session,
    keep_pre_session,
    pre_session_token,
    safe_next,
    sign_in,
    sign_out,
)
from servicekit.errors import ServiceError
from services.accounts.contract import AccountsClient, LoginSchema, RegisterSchema

log = logging.getLogger(__name__)
accounts = AccountsClient(rpc)

# --- signing in and out -----------------------------------------------------------------------


@blueprint.get("/masuk")
@access(PUBLIC)
def login_form():
    if g.actor.is_authenticated:
        return redirect(safe_next(request.args.get("next"), home_of(g.actor.roles)), 303)
    return form_page(
        "login.html",
        next=request.args.get("next", ""),
        values={},
        registered=request.args.get("terdaftar") == "1",
        new_password=request.args.get("sandi") == "baru",
    )


@blueprint.post("/masuk")
@access(PUBLIC)
@limited("login")
def login():
    check_pre_session()
    values = {"email": request.form.get("email", ""), "password": request.form.get("password", "")}
    following = request.form.get("next", "")
    try:
        body = LoginSchema().load(values)
        claims = accounts.authenticate(body)
    except ValidationError as exc:
        return form_error("login.html", 422, "Periksa isian.", exc.messages, values, following)
    except ServiceError as exc:
        headers = {}
        if exc.status == 429 and exc.extra.get("retry_after"):
            headers["Retry-After"] = str(int(exc.extra["retry_after"]))
        return form_error(
            "login.html", exc.status, exc.message, exc.errors, values, following, headers
        )
    token, ttl = issue_token(claims)
    target = safe_next(following, home_of(claims.get("roles", [])))
    return sign_in(redirect(target, 303), token, ttl)


@blueprint.get("/daftar")
@access(PUBLIC)
def register_form():
    return form_page("register.html", values={})


@blueprint.post("/daftar")
@access(PUBLIC)
@limited("register")
def register():
    check_pre_session()
    values = {k: request.form.get(k, "") for k in ("name", "email", "password", "nik")}
    values["nik"] = values["nik"].strip() or None
    try:
        accounts.register(RegisterSchema().load(values))
    except ValidationError as exc:
        return form_error("register.html", 422, "Periksa isian.", exc.messages, values)
    except ServiceError as exc:
        return form_error("register.html", exc.status, exc.message, exc.errors, values)
    # Never signed in from here: that would tell whether the account was new. The email says
    # what happened; the login page says to read it, then sign in.
    return redirect("/masuk?terdaftar=1", 303)


@blueprint.post("/keluar")
@access(PUBLIC)
def logout():
    if g.actor.is_authenticated:
        check_csrf()
        try:
            ended = accounts.end_sessions()
        except (GatewayUnavailable, ServiceError) as exc:
            # This browser is signed out all the same; the person is told the rest is not.
            log.warning("sessions not ended", extra={"error": type(exc).__name__})
            page = render_template("error.html", status=503, message=SESSIONS_NOT_ENDED, errors={})
            return sign_out(make_response(page, 503))
        session_versions().ended(ended["user_id"], ended["version"])
    return sign_out(redirect("/", 303))


SESSIONS_NOT_ENDED = (
    "Anda sudah keluar di browser ini, tetapi sesi Anda di perangkat lain belum dapat diakhiri "
    "karena layanan akun sedang terganggu. Masuk lalu keluar lagi nanti untuk mengakhirinya."
)


def form_error(template, status, message, errors, values, following="", headers=None):
    """The form again, with what was typed (never the password) and what to fix."""
    shown = {k: v for k, v in values.items() if k != "password"}
    page = form_page(template, error=message, errors=errors or {}, values=shown, next=following)
    page.status_code = status
    page.headers.update(headers or {})
    return page


def form_page(template: str, **context):
    """A login or sign-up form, bound to this browser (see pre_session_token)."""
    token = pre_session_token()
    response = make_response(render_template(template, pra=token, **context))
    return keep_pre_session(response, token)
