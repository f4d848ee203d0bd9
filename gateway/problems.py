"""Errors as application/problem+json (RFC 9457), from one table registered once."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, json
from werkzeug.exceptions import HTTPException

from gateway.rpc import GatewayUnavailable
from servicekit.errors import ServiceError

log = logging.getLogger(__name__)
UNAVAILABLE_RETRY_AFTER = 5  # seconds: a service that is down or slow, worth asking again

PROBLEM_MIMETYPE = "application/problem+json"

# HTTP status -> (slug, Indonesian title). Slugs are documented on /api/docs.
PROBLEM_TYPES = {
    400: ("bad-request", "Permintaan tidak valid"),
    401: ("unauthorized", "Autentikasi diperlukan"),
    403: ("forbidden", "Tidak diizinkan"),
    404: ("not-found", "Tidak ditemukan"),
    405: ("method-not-allowed", "Metode tidak diizinkan"),
    409: ("conflict", "Konflik data"),
    413: ("payload-too-large", "Data terlalu besar"),
    415: ("unsupported-media-type", "Jenis konten tidak didukung"),
    422: ("validation-error", "Data tidak valid"),
    429: ("too-many-requests", "Terlalu banyak permintaan"),
    500: ("internal-error", "Kesalahan internal"),
    503: ("service-unavailable", "Layanan tidak tersedia"),
    504: ("gateway-timeout", "Layanan tidak menjawab tepat waktu"),
}


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem body."""

    def __init__(
        self, status: int, detail: str, errors: dict | None = None, headers: dict | None = None
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    errors: dict | None = None,
    headers: dict | None = None,
    title: str | None = None,
    extra: dict | None = None,
) -> Response:
    """A problem body; `extra` adds extension members (RFC 9457 section 3.2)."""
    slug, default_title = PROBLEM_TYPES.get(status, ("error", "Kesalahan"))
    body = {
        "type": f"/api/docs#problem-{slug}",
        "title": title or default_title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    request_id = getattr(g, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = str(value)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(exc: Problem):
        return problem_response(exc.status, exc.detail, exc.errors, exc.headers)

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        headers = {}
        if exc.status == 429 and exc.extra.get("retry_after"):
            headers["Retry-After"] = int(exc.extra["retry_after"])
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return problem_response(exc.status, exc.message, exc.errors or None, headers)

    @app.errorhandler(GatewayUnavailable)
    def _unavailable(exc: GatewayUnavailable):
        errors = {"service": [exc.service]} if exc.service else None
        g.unavailable_retry_after = UNAVAILABLE_RETRY_AFTER
        return problem_response(
            exc.status, exc.detail, errors, {"Retry-After": UNAVAILABLE_RETRY_AFTER}
        )

    @app.after_request  # registered before the rate limiter's, so it runs after it
    def _keep_unavailable_retry_after(response):
        """Flask-Limiter writes, on every answer of a limited route, the seconds until its
        window resets; a 503/504 says when the service is worth asking again."""
        if (after := g.get("unavailable_retry_after")) is not None:
            response.headers["Retry-After"] = str(after)
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        detail = {
            404: "Alamat yang diminta tidak ada.",
            405: "Metode HTTP ini tidak diizinkan untuk alamat ini.",
            413: "Isi permintaan melebihi batas ukuran.",
            429: "Terlalu banyak permintaan dari alamat Anda; coba lagi nanti.",
        }.get(exc.code, exc.description or "")
        headers = {}
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return problem_response(exc.code or 500, detail, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return problem_response(
            500, "Terjadi kesalahan internal. Laporkan request_id ini kepada admin."
        )
