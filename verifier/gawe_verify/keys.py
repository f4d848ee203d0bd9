"""The signing keys: the one `/api/v1/transparency/key` publishes now, the history it lists in
`keys`, and the key this verifier trusts (the first one it ever saw of the site, or `--key`).

A key must say who it is: its `key_id` is the first 16 hex digits of SHA-256 of its raw 32
bytes. The site may change its key (a lost key file means a new one) but must then list the old
one in `keys`: a published key other than the trusted one is a warning when the trusted key is
in that history (the change was announced), a failure when it is not (the key was swapped
quietly: a new key could sign anything, and so prove nothing).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass(frozen=True)
class Key:
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    since: str | None = None

    def verifies(self, signature: str, message: bytes) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
            Ed25519PublicKey.from_public_bytes(_raw(self.public_key)).verify(raw, message)
        except (InvalidSignature, ValueError, TypeError, binascii.Error):
            return False
        return True


@dataclass
class Keys:
    current: Key | None
    by_id: dict[str, Key] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def key_id_of(public_key: str) -> str:
    return hashlib.sha256(_raw(public_key)).hexdigest()[:16]


def read_keys(document: dict, trusted: Key | None) -> Keys:
    """The keys the site publishes, each checked against its id, and the trusted key's fate."""
    found = Keys(current=None)
    if document.get("algorithm") != "Ed25519":
        found.failures.append(f"algoritme kunci {document.get('algorithm')!r} bukan Ed25519")
        return found
    found.current = _checked(document, "kunci yang diterbitkan", found.failures)
    history = document.get("keys") or []
    if not isinstance(history, list):
        found.failures.append("riwayat kunci (keys) bukan daftar")
        history = []
    for listed in history:
        key = _checked(listed, "kunci di riwayat keys", found.failures)
        if key and found.by_id.get(key.key_id, key) != key:
            found.failures.append(f"riwayat keys mencantumkan kunci {key.key_id} dua kali, berbeda")
        elif key:
            found.by_id[key.key_id] = key
    if found.current:
        found.by_id.setdefault(found.current.key_id, found.current)
    if trusted and found.current:
        _judge_change(found, trusted)
    return found


def _judge_change(found: Keys, trusted: Key) -> None:
    current = found.current
    if current.public_key == trusted.public_key:
        return
    listed = found.by_id.get(trusted.key_id)
    if listed is not None and listed.public_key == trusted.public_key:
        found.warnings.append(
            f"kunci penanda tangan berganti: dari {trusted.key_id} yang dipercaya ke "
            f"{current.key_id}{_since(found.by_id[current.key_id])}; pergantian ini diumumkan "
            f"di riwayat keys"
        )
        return
    found.failures.append(
        f"kunci penanda tangan diganti diam-diam: kunci {current.key_id} diterbitkan, "
        f"sedangkan kunci {trusted.key_id} yang dipercaya tidak tercantum di riwayat keys"
    )


def _checked(document, what: str, failures: list[str]) -> Key | None:
    if not isinstance(document, dict):
        failures.append(f"{what}: format tidak sah")
        return None
    key_id, public_key = document.get("key_id"), document.get("public_key")
    try:
        actual = key_id_of(public_key)
    except (ValueError, TypeError, binascii.Error):
        failures.append(f"{what} {key_id}: public_key bukan base64 dari 32 bita Ed25519")
        return None
    if actual != key_id:
        failures.append(f"{what}: key_id {key_id} bukan SHA-256 kuncinya ({actual})")
        return None
    since = document.get("since") or document.get("first_used") or document.get("date")
    return Key(key_id, public_key, since if isinstance(since, str) else None)


def _raw(public_key: str) -> bytes:
    raw = base64.b64decode(public_key, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return raw


def _since(key: Key) -> str:
    return f" (dipakai sejak {key.since})" if key.since else ""
