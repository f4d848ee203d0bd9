"""The browser session of the web pages: the same signed JWT as the API, in an HttpOnly cookie.

Only the pages of this package read the cookie; the JSON API keeps to the Authorization
header, so a page on another site can never act through the API with a visitor's cookie.
Forms that change something carry a CSRF token derived from the session (HMAC of the cookie
with the gateway's secret key), checked on every POST; the cookie is also SameSite=Lax.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import unquote, urlencode, urlsplit

from flask import current_app, g, redirect, request

from gateway.auth import decode_token
from gateway.problems import Problem
from servicekit.config import env_bool
from servicekit.context import Actor

COOKIE = "gawe_sesi"
PRE_COOKIE = "gawe_pra"  # before a session exists: binds the login and sign-up forms
PRE_TTL = 2 * 3600


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
    """Only a path of this site is followed after login (never //other.host or a scheme).

    Judged as a browser reads it: browsers drop tabs and newlines from a URL and treat a
    backslash as a slash, so `/\t/evil.example` and `/\\evil.example` both mean
    `//evil.example`. A value holding any control character or backslash is refused whole.
    """
    if not value or any(ord(ch) < 0x20 or ch in "\x7f\\" for ch in value):
        return default
    decoded = unquote(value)  # a %09 or %5C that a server or browser may decode later
    if any(ord(ch) < 0x20 or ch in "\x7f\\" for ch in decoded):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return default
    return value


def pre_session_token() -> str:
    """The token of this browser before it signs in (kept, or a new one): login and sign-up
    forms carry it, so another site cannot sign a visitor in to an account of its choosing."""
    return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)


def keep_pre_session(response, token: str):
    response.set_cookie(
        PRE_COOKIE,
        token,
        max_age=PRE_TTL,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure or env_bool("GATEWAY_COOKIE_SECURE", False),
        path="/",
    )
    return response


def check_pre_session() -> None:
    expected = request.cookies.get(PRE_COOKIE, "")
    given = request.form.get("pra", "")
    if not expected or not hmac.compare_digest(expected, given):
        raise Problem(
            403,
            "Formulir kedaluwarsa atau bukan dari halaman ini; muat ulang halaman lalu coba lagi.",
            {"pra": ["Token formulir tidak cocok."]},
        )
