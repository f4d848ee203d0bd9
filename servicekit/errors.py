"""Typed errors that cross RPC as themselves, not as nameko's RemoteError.

Each class is registered with nameko's exception registry, so a caller receives
an instance of the same class with the same message and per-field errors. The
gateway maps `status` to the HTTP status of its problem response.
"""

from __future__ import annotations

from typing import Any

from nameko.exceptions import deserialize_to_instance


class ServiceError(Exception):
    status = 500
    title = "Kesalahan layanan"

    def __init__(
        self,
        message: str,
        errors: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        **more: Any,
    ):
        # Everything lives in positional args: nameko rebuilds the instance on the
        # caller's side as `cls(*exc.args)`.
        super().__init__(message, errors or {}, {**(extra or {}), **more})

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def errors(self) -> dict[str, Any]:
        return self.args[1] if len(self.args) > 1 and self.args[1] else {}

    @property
    def extra(self) -> dict[str, Any]:
        return self.args[2] if len(self.args) > 2 and self.args[2] else {}

    def __str__(self) -> str:
        return self.message


@deserialize_to_instance
class Invalid(ServiceError):
    status = 422
    title = "Data tidak valid"


@deserialize_to_instance
class NotFound(ServiceError):
    status = 404
    title = "Tidak ditemukan"


@deserialize_to_instance
class Forbidden(ServiceError):
    status = 403
    title = "Tidak diizinkan"


@deserialize_to_instance
class Conflict(ServiceError):
    status = 409
    title = "Konflik data"


@deserialize_to_instance
class Unauthorized(ServiceError):
    status = 401
    title = "Autentikasi gagal"


@deserialize_to_instance
class TooManyRequests(ServiceError):
    """Carries `retry_after` (seconds) in `extra`."""

    status = 429
    title = "Terlalu banyak percobaan"


@deserialize_to_instance
class Unavailable(ServiceError):
    """A service this one depends on did not answer in time."""

    status = 503
    title = "Layanan tidak tersedia"


EXPECTED_ERRORS = (ServiceError,)
