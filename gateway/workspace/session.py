"""The browser session of the web pages: the same signed JWT as the API, in an HttpOnly cookie.

Only the pages of this package read the cookie; the JSON API keeps to the Authorization
header, so a page on another site can never act through the API with a visitor's cookie.
Forms that change something carry a CSRF token derived from the session (HMAC of the cookie
with the gateway's secret key), checked on every POST; the cookie is also SameSite=Lax.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from flask import current_app, g, redirect, request

from gateway.auth import decode_token
from gateway.problems import Problem
from servicekit.config import env_bool
from servicekit.context import Actor

COOKIE = "gawe_sesi"


def load_actor() -> Actor:
    """The signed-in person of this page (anonymous without a valid cookie); sets g.actor."""
    token = request.cookies.get(COOKIE)
    actor = Actor()
    if token:
        try:
            actor = decode_token(token)
            g.session_token = token
        except Problem:  # expired or forged: treated as signed out, the cookie is dropped
            g.drop_session = True
    g.actor = g.web_actor = actor
    return actor


def peek_actor() -> Actor:
    """Who is signed in, for the header of a public page (which acts as nobody)."""
    token = request.cookies.get(COOKIE)
    if token:
        try:
            return decode_token(token)
        except Problem:
            pass
    return Actor()


def sign_in(response, token: str, ttl: int):
    response.set_cookie(
        COOKIE,
        token,
        max_age=ttl,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure or env_bool("GATEWAY_COOKIE_SECURE", False),
        path="/",
    )
    return response


def sign_out(response):
    response.delete_cookie(COOKIE, path="/")
    return response


def csrf_token() -> str:
    token = g.get("session_token") or request.cookies.get(COOKIE)
    if not token:
        return ""
    key = current_app.config["GAWE"].secret_key.encode()
    return hmac.new(key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def check_csrf() -> None:
    """The form's `csrf` field, or the X-CSRF-Token header of a page's own script."""
    expected = csrf_token()
    given = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
    if not expected or not hmac.compare_digest(expected, given):
        raise Problem(
            403,
            "Formulir kedaluwarsa atau bukan dari halaman ini; muat ulang halaman lalu coba lagi.",
            {"csrf": ["Token formulir tidak cocok."]},
        )


def to_login():
    """Send a signed-out visitor to the login page, and back here afterwards."""
    return redirect("/masuk?" + urlencode({"next": request.full_path.rstrip("?")}), 303)


def safe_next(value: str | None, default: str) -> str:
    """Only a path of this site (never //other.host or a scheme) is followed after login."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return default
