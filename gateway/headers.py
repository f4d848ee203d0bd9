"""Security headers of every answer: no framing by another site (clickjacking), a Content
Security Policy on pages (scripts only from this site or with the page's own nonce), no
referrer leaking a report's or proposal's path to other sites, and HSTS over TLS."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request

from servicekit.config import env_bool

PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"  # JSON, files: nothing runs


def csp_nonce() -> str:
    """The nonce of this answer's inline scripts (`<script nonce="{{ csp_nonce() }}">`)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_source(url: str) -> str:
    """The origin of a base-map tile URL template (GAWE_TILE_URL) as a CSP source: its
    `{s}` subdomain a wildcard (`https://{s}.tile.example/{z}/{x}/{y}.png` gives
    `https://*.tile.example`); "" when unset or not an http(s) URL."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if not re.fullmatch(r"(\*\.)?[A-Za-z0-9.-]+(:\d+)?", host):
        return ""
    return f"{parts.scheme}://{host}"


def page_policy() -> str:
    settings = current_app.config.get("GAWE")
    tiles = tile_source(getattr(settings, "tile_url", ""))
    return PAGE_POLICY.format(nonce=csp_nonce(), tiles=f" {tiles}" if tiles else "")


def install(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        if headers.get("Content-Type", "").startswith("text/html"):
            headers["Content-Security-Policy"] = page_policy()
        else:
            headers.setdefault("Content-Security-Policy", DATA_POLICY)
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if request.is_secure or env_bool("GATEWAY_COOKIE_SECURE", False):
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
