"""Limits per client address on what an attacker repeats: signing in, signing up, the password
flows and anonymous reports.

The address is the peer's, or the client's from X-Forwarded-For when the gateway stands behind
GATEWAY_TRUSTED_PROXIES proxies (werkzeug's ProxyFix; never trusted otherwise, since anyone can
send the header). Counters live in RATELIMIT_STORAGE_URI (e.g. redis://127.0.0.1:6379/0, shared
by every gateway process and replica) or, unset, in each process's memory. Each limit is a
Flask-Limiter string, configurable by its environment variable. Many citizens share one
address behind a mobile carrier's NAT, so the defaults stop repetition, not a crowd.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from servicekit.config import env_int, env_str

LIMITS = {
    "login": ("GATEWAY_LIMIT_LOGIN", "30 per minute;300 per hour"),
    "register": ("GATEWAY_LIMIT_REGISTER", "20 per hour"),
    "password": ("GATEWAY_LIMIT_PASSWORD", "10 per hour"),
    "verify": ("GATEWAY_LIMIT_VERIFY", "30 per hour"),
    "anonymous_report": ("GATEWAY_LIMIT_ANONYMOUS_REPORT", "30 per hour"),
}

limiter = Limiter(
    key_func=get_remote_address,
    headers_enabled=True,  # X-RateLimit-* and Retry-After on every limited answer
    strategy="moving-window",
)


def install(app: Flask) -> None:
    """Trust X-Forwarded-For from the configured proxies only, then count per address."""
    proxies = env_int("GATEWAY_TRUSTED_PROXIES", 0, minimum=0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)
    app.config.setdefault("RATELIMIT_STORAGE_URI", env_str("RATELIMIT_STORAGE_URI", "memory://"))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", env_str("RATELIMIT_KEY_PREFIX", "gawe"))
    # One limiter per process (a gateway process serves one app); init_app binds its storage.
    limiter.init_app(app)
    if not app.config.get("RATELIMIT_DEFAULT") and not app.config.get("RATELIMIT_APPLICATION"):
        # Every limit here is a route's own (@limited), checked by its decorator in the view.
        # The extension's check before every request then finds nothing to count, yet cost a
        # tenth of the gateway's CPU per request (py-spy under `make bench`, issue #15).
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def limited(scope: str, *, exempt_when=None):
    """`@limited("login")` under the route decorator: one counter per address for the scope,
    shared by every route of that scope (the API's and the page's sign-in count together)."""
    variable, default = LIMITS[scope]
    return limiter.shared_limit(
        lambda: env_str(variable, default),
        scope=scope,
        exempt_when=exempt_when,
        error_message=f"Terlalu banyak permintaan dari alamat Anda ({scope}); coba lagi nanti.",
    )


def signed_in() -> bool:
    """Whether a valid token or page session signs this request: the anonymous-report limit
    is for everyone else (a forged cookie or header counts as anonymous)."""
    from gateway.auth import current_actor
    from gateway.problems import Problem
    from gateway.workspace.session import peek_actor

    try:
        if current_actor().is_authenticated:
            return True
    except Problem:
        return False
    return peek_actor().is_authenticated
