"""A secret made into var/ on first start (the gateway's token key, the digests' signing key) is
the same whole value for every process that starts at once: none reads the file half-written.
Before, a gunicorn worker could read the gateway's key file while another was still writing it,
and signed tokens with an empty key (found by bench.proposals: "HMAC key must not be empty")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from servicekit.config import ConfigError, generated_secret

RACE = """
import sys, time
from pathlib import Path
from servicekit.config import generated_secret
start = float(sys.argv[2])
while time.time() < start:
    pass
print(generated_secret(Path(sys.argv[1]), lambda: __import__("secrets").token_urlsafe(48)))
"""


def test_processes_starting_at_once_all_read_the_one_whole_secret(tmp_path):
    import time

    path = tmp_path / "var" / "gateway_secret_key"
    start = str(time.time() + 1.5)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(path), start], stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    values = {racer.communicate(timeout=30)[0].strip() for racer in racers}
    assert len(values) == 1 and len(values.pop()) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in path.parent.iterdir()] == ["gateway_secret_key"]  # no leftovers


def test_a_kept_secret_is_read_back_and_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "key"
    first = generated_secret(path, lambda: "rahasia")
    assert first == "rahasia" and generated_secret(path, lambda: "lain") == "rahasia"
    path.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        generated_secret(path, lambda: "lain")
