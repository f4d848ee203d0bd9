"""/verifikasi-email: following the link emailed at sign-up proves the account's address. The
link opens a page with one button (a POST, so that a mail scanner fetching the link does not
use it up); the same call as `POST /api/v1/auth/verify-email`. A session of this browser ends
then: its token still says unverified, the next sign-in's does not."""

from __future__ import annotations

from flask import request
from marshmallow import ValidationError

from gateway.access import PUBLIC, access
from gateway.api import rpc
from gateway.limits import limited
from gateway.workspace.accounts import form_error, form_page
from gateway.workspace.common import blueprint
from gateway.workspace.session import check_pre_session, sign_out
from servicekit.errors import ServiceError
from services.accounts.contract import AccountsClient, EmailVerificationSchema

accounts = AccountsClient(rpc)
PAGE = "email_verification.html"


@blueprint.get("/verifikasi-email")
@access(PUBLIC)
def email_verification_form():
    return form_page(PAGE, values={"token": request.args.get("token", "")})


@blueprint.post("/verifikasi-email")
@access(PUBLIC)
@limited("verify")
def email_verification():
    check_pre_session()
    values = {"token": request.form.get("token", "")}
    try:
        accounts.verify_email(EmailVerificationSchema().load(values))
    except ValidationError as exc:
        return form_error(PAGE, 422, "Periksa tautan.", exc.messages, values)
    except ServiceError as exc:
        return form_error(PAGE, exc.status, exc.message, exc.errors, values)
    return sign_out(form_page(PAGE, values={}, done=True))
