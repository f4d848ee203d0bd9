"""What the verifier keeps of a site between runs (`--state DIR`, one JSON file): the hash of
every digest it has verified, by date, and the first signing key it saw (trust on first use).

A digest, once published, never changes: a kept digest whose hash is now different, or that is
no longer listed, is a failure, even when the site re-signed it with its own key. Only digests
whose signature held are kept, and a kept hash is never overwritten, so a changed digest keeps
failing on every later run.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from gawe_verify.keys import Key

FILE = "state.json"


class StateError(Exception):
    """The state directory cannot be read or written."""


def default_directory(site_name: str) -> Path:
    return Path.home() / ".cache" / "gawe_verify" / site_name


class State:
    def __init__(self, directory: Path):
        self.directory = directory
        self.digests: dict[str, str] = {}
        self.key: Key | None = None
        self.key_seen: str | None = None

    @classmethod
    def load(cls, directory: Path) -> State:
        state = cls(directory)
        try:
            kept = json.loads((directory / FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as error:
            raise StateError(f"{directory / FILE} tidak terbaca: {error}") from None
        if not isinstance(kept, dict) or not isinstance(kept.get("digests", {}), dict):
            raise StateError(f"{directory / FILE} tidak terbaca: format tidak dikenal")
        state.digests = {str(d): str(h) for d, h in kept.get("digests", {}).items()}
        key = kept.get("key")
        if isinstance(key, dict) and key.get("key_id") and key.get("public_key"):
            state.key = Key(key["key_id"], key["public_key"], key.get("since"))
            state.key_seen = key.get("first_seen")
        return state

    def compare(self, listed: set[str], current: dict[str, str]) -> list[tuple[str, str]]:
        """(date, why) of each kept digest that changed (`current`: date -> hash now) or that
        the site no longer lists."""
        found = []
        for date, kept in sorted(self.digests.items()):
            if date not in listed:
                found.append((date, f"hilang: pernah diterbitkan (hash {kept[:16]}…), kini tidak"))
            elif date in current and current[date] != kept:
                found.append(
                    (
                        date,
                        f"berubah setelah diterbitkan: hash {kept[:16]}…, kini {current[date][:16]}…",
                    )
                )
        return found

    def save(self, authentic: dict[str, str], key: Key | None) -> None:
        """Keep the digests seen for the first time (whose signature held) and, on a first
        run, the key."""
        for date, digest_hash in authentic.items():
            self.digests.setdefault(date, digest_hash)
        if self.key is None and key is not None:
            self.key, self.key_seen = key, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        kept = {
            "version": 1,
            "key": None
            if self.key is None
            else {
                "key_id": self.key.key_id,
                "public_key": self.key.public_key,
                "since": self.key.since,
                "first_seen": self.key_seen,
            },
            "digests": dict(sorted(self.digests.items())),
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.directory, suffix=".tmp", delete=False
            ) as out:
                json.dump(kept, out, indent=1)
            os.replace(out.name, self.directory / FILE)
        except OSError as error:
            raise StateError(f"{self.directory / FILE} tidak dapat ditulis: {error}") from None
