"""Configuration from environment variables, with documented defaults.

Every variable read here is listed in README.md. A malformed value fails at start-up
with a message naming the variable, never later in a request.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_float(name: str, default: float, minimum: float | None = None) -> float:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value != value or (minimum is not None and value < minimum):
        raise ConfigError(f"{name} must be a number of at least {minimum}, got {raw!r}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def var_dir() -> Path:
    """Where local state lives (SQLite files, generated secrets, outbox, blobs): GAWE_VAR_DIR."""
    path = Path(env_str("GAWE_VAR_DIR", "var")).resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # secrets and personal data: owner only
    return path


def amqp_uri() -> str:
    return env_str("AMQP_URI", DEFAULT_AMQP_URI)


def database_url(service: str) -> str:
    """`<SERVICE>_DATABASE_URL`, or a SQLite file under var/ named for the service."""
    url = env_str(f"{service.upper()}_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{var_dir() / (service + '.db')}"


_MISSING = object()


def setting(config: dict | None, name: str, default=None, cast=str):
    """A value from a nameko container's config (tests set these), else the environment.

    `cast` is applied to environment strings and config values alike; a value that does
    not cast fails loudly with the variable's name.
    """
    value = (config or {}).get(name, _MISSING)
    if value is _MISSING:
        value = env_str(name)
    if value is None or value is _MISSING:
        return default
    if cast is bool:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{name} must be true or false, got {value!r}")
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} has a malformed value {value!r}") from None


def generated_secret(path: Path, make) -> str:
    """The secret kept in `path`, made there by `make()` the first time, with mode 0600.

    Several processes may start at once (gunicorn's workers, a service's replicas): each writes
    a whole file of its own and links it into place, which only one of them can do, so none of
    them ever reads a file another is still writing (an empty secret: with a gateway key, tokens
    anyone could sign)."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        own = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(make() + "\n")
        try:
            os.link(own, path)  # atomic; refused when another process linked first
        except FileExistsError:
            pass
        finally:
            own.unlink()
    value = path.read_text().strip()
    if not value:
        raise ConfigError(f"{path} is empty: remove it to have a new secret made")
    return value
