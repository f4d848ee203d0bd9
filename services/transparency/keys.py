"""The key that signs the digests (Ed25519, `cryptography`) and the schedule of sealing, as one
dependency of the service: read when the container starts.

TRANSPARENCY_SIGNING_KEY is the base64 of the private key's 32 raw bytes (in a cluster, from
the gawe-secrets Secret); without it, TRANSPARENCY_SIGNING_KEY_FILE holds the same, and a missing
file is made (mode 0600) with a new key on first start. Keep it secret and backed up: a lost key
means a new one, which the published key list then shows from its first digest on."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from nameko.extensions import DependencyProvider

from servicekit.config import ConfigError, generated_secret, setting, var_dir

DAY = 86400


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey
    public_key: str  # base64 of the raw 32 bytes
    key_id: str  # first 16 hex of SHA-256 of the raw public key

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()


def signer_of(private: Ed25519PrivateKey) -> Signer:
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return Signer(private, base64.b64encode(raw).decode(), hashlib.sha256(raw).hexdigest()[:16])


def signer_from_text(text: str, where: str) -> Signer:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
        private = Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError as exc:
        raise ConfigError(f"{where}: not the base64 of a 32-byte Ed25519 key") from exc
    return signer_of(private)


def load_signer(path: Path) -> Signer:
    """The key in `path`, made there first if the file does not exist."""
    made = generated_secret(path, lambda: base64.b64encode(os.urandom(32)).decode())
    return signer_from_text(made, f"TRANSPARENCY_SIGNING_KEY_FILE {path}")


@dataclass(frozen=True)
class Schedule:
    signer: Signer
    period: int  # seconds, dividing a day; DAY: a WIB calendar day
    delay: float  # seconds after a period ends before it is sealed


class Sealing(DependencyProvider):
    """`self.sealing.signer`, `.period`, `.delay` of the transparency service."""

    def setup(self):
        config = self.container.config
        default = var_dir() / "transparency" / "signing.key"
        path = Path(setting(config, "TRANSPARENCY_SIGNING_KEY_FILE", str(default)))
        period = setting(config, "TRANSPARENCY_DIGEST_SECONDS", DAY, int)
        delay = setting(config, "TRANSPARENCY_SEAL_DELAY_SECONDS", 300.0, float)
        if period < 1 or period > DAY or DAY % period:
            raise ConfigError(
                f"TRANSPARENCY_DIGEST_SECONDS must divide a day (86400), got {period}"
            )
        if delay < 0:
            raise ConfigError("TRANSPARENCY_SEAL_DELAY_SECONDS must not be negative")
        given = setting(config, "TRANSPARENCY_SIGNING_KEY")
        signer = signer_from_text(given, "TRANSPARENCY_SIGNING_KEY") if given else load_signer(path)
        self.schedule = Schedule(signer, period, delay)

    def get_dependency(self, worker_ctx):
        return self.schedule
