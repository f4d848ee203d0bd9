"""Gateway settings from the environment (each listed in README.md)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields, replace

from servicekit.apps import app_names
from servicekit.config import amqp_uri, env_float, env_int, env_str, generated_secret, var_dir

# The services /readyz checks: every installed app (GATEWAY_SERVICES overrides).
DEFAULT_SERVICES = app_names()


def load_secret_key() -> str:
    """GATEWAY_SECRET_KEY, else a key generated once into var/ (shared by all local workers)."""
    configured = env_str("GATEWAY_SECRET_KEY")
    if configured:
        return configured
    return generated_secret(var_dir() / "gateway_secret_key", lambda: secrets.token_urlsafe(48))


@dataclass(frozen=True)
class GatewaySettings:
    amqp_uri: str
    secret_key: str
    rpc_timeout: float = 5.0
    rpc_pool_size: int = 8
    jwt_ttl_seconds: int = 3600
    max_body_bytes: int = 1024 * 1024
    services: tuple[str, ...] = DEFAULT_SERVICES
    # Base-map tiles of the maps (a Leaflet URL template); unset: boundaries on a plain
    # background, nothing fetched from outside
    tile_url: str = ""
    tile_attribution: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> GatewaySettings:
        settings = cls(
            amqp_uri=amqp_uri(),
            secret_key=overrides.pop("secret_key", None) or load_secret_key(),
            rpc_timeout=env_float("GATEWAY_RPC_TIMEOUT", 5.0, minimum=0.1),
            rpc_pool_size=env_int("GATEWAY_RPC_POOL_SIZE", 8, minimum=1),
            jwt_ttl_seconds=env_int("GATEWAY_JWT_TTL", 3600, minimum=60),
            max_body_bytes=env_int("GATEWAY_MAX_BODY_BYTES", 1024 * 1024, minimum=1024),
            services=tuple(
                s.strip()
                for s in env_str("GATEWAY_SERVICES", ",".join(DEFAULT_SERVICES)).split(",")
                if s.strip()
            ),
            tile_url=env_str("GAWE_TILE_URL", "") or "",
            tile_attribution=env_str("GAWE_TILE_ATTRIBUTION", "") or "",
        )
        known = {f.name for f in fields(cls)}
        return replace(settings, **{k: v for k, v in overrides.items() if k in known})
