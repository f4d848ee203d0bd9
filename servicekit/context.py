"""Request context that travels with every RPC and event: correlation id and acting user.

nameko copies custom keys of a worker's context data into the headers of every
downstream RPC call and event, so the gateway sets them once and every service
sees them.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
from dataclasses import dataclass, field

from nameko.extensions import DependencyProvider

from servicekit.errors import Forbidden, Unauthorized

REQUEST_ID_KEY = "request_id"
ACTOR_KEY = "actor"
CALLER_KEY = "caller"  # the process that made a call: "gateway" or a service's name
GATEWAY = "gateway"

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


def new_request_id() -> str:
    """32 hex digits, as a uuid4's: a correlation id, unique but no secret, so from the
    process's random generator (reseeded in every forked worker) rather than os.urandom, a
    system call that was 3 % of a gateway worker's time under /healthz (issue #15)."""
    return f"{random.getrandbits(128):032x}"


UNVERIFIED_EMAIL = (
    "Alamat email Anda belum diverifikasi. Verifikasi email terlebih dahulu: buka tautan yang "
    "kami kirim ke email Anda, atau minta tautan baru di halaman Akun saya."
)


@dataclass(frozen=True)
class Actor:
    """Who is acting: set by the gateway from a verified token, enforced by each service."""

    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    agency: str | None = None
    # Whether the person proved their address (claim "ev" of the token). Contexts from before
    # it existed are of accounts that were all verified then.
    email_verified: bool = True

    @classmethod
    def from_context(cls, data: dict | None) -> Actor:
        if not data:
            return cls()
        return cls(
            user_id=data.get("user_id"),
            roles=frozenset(data.get("roles") or ()),
            agency=data.get("agency"),
            email_verified=data.get("email_verified") is not False,
        )

    def to_context(self) -> dict:
        return {
            "user_id": self.user_id,
            "roles": sorted(self.roles),
            "agency": self.agency,
            "email_verified": self.email_verified,
        }

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require_login(self) -> None:
        if not self.is_authenticated:
            raise Unauthorized("Silakan masuk terlebih dahulu.")

    def require_role(self, *roles: str) -> None:
        self.require_login()
        if not self.has_role(*roles):
            raise Forbidden(
                "Peran Anda tidak diizinkan melakukan tindakan ini.",
                {"roles": [f"diperlukan salah satu dari: {', '.join(roles)}"]},
            )

    def require_verified_email(self) -> None:
        """Applying for aid or a job card needs a proven address (a 403 naming `email`)."""
        self.require_login()
        if not self.email_verified:
            raise Forbidden(UNVERIFIED_EMAIL, {"email": [UNVERIFIED_EMAIL]})


class CallContext(DependencyProvider):
    """Gives a worker its `Actor`, and binds the correlation id for logging.

    A worker started without a request id (a timer, a message from an older
    publisher) gets a fresh one, which then travels downstream.
    """

    def get_dependency(self, worker_ctx):
        return Actor.from_context(worker_ctx.data.get(ACTOR_KEY))

    def worker_setup(self, worker_ctx):
        request_id = worker_ctx.data.get(REQUEST_ID_KEY)
        if not request_id:
            request_id = new_request_id()
            worker_ctx.data[REQUEST_ID_KEY] = request_id
        request_id_var.set(request_id)

    def worker_teardown(self, worker_ctx):
        request_id_var.set(None)


@contextlib.contextmanager
def working_for(request_id: str | None):
    """Inside the block, log and call services under `request_id` (when there is one): a worker
    that takes up stored work, such as a retry of an event, speaks for the request the work came
    from, not for the timer that found it."""
    if not request_id:
        yield
        return
    token = request_id_var.set(request_id)
    try:
        yield
    finally:
        request_id_var.reset(token)


CLIENT_KEY = "client_ip"


class ClientAddress(DependencyProvider):
    """The address the gateway saw the request come from (for per-client limits), or None."""

    def get_dependency(self, worker_ctx) -> str | None:
        return worker_ctx.data.get(CLIENT_KEY)
