"""Blob housekeeping: delete stored uploads that no service refers to any more.

The gateway stores a file before the service records its key, so a refusal in between, a
crash, or a row removed later leaves files that belong to nothing; uploads are personal data
(UU 27/2022) and must not outlive their purpose. Run it from cron or a timer:

    python -m gateway.blobs sweep --older-than 3600 [--services complaints,proposals]

(by default every app whose manifest says `uploads=True`)

It asks each service for the keys its rows refer to (RPC `blob_keys`), then deletes the files
under that service's folder (its key prefix) that are not referred to and are older than the
grace period (a file stored moments ago may be about to be recorded). A service that cannot
tell (stopped, or without `blob_keys`) is skipped and all its files are kept.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nameko.exceptions import MethodNotFound

from gateway.rpc import GatewayUnavailable, RpcPool
from gateway.uploads import blob_root
from servicekit.config import amqp_uri, env_float

log = logging.getLogger(__name__)


def upload_services() -> tuple[str, ...]:
    """The apps whose manifests say they store uploads (each under its own name)."""
    from servicekit.apps import installed_apps

    return tuple(spec.name for spec in installed_apps() if spec.uploads)


class CannotTell(Exception):
    """A service could not say which blobs it refers to: none of its files may be deleted."""


@dataclass
class SweepResult:
    deleted: list[str] = field(default_factory=list)
    kept: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # service -> why


def sweep(
    root: Path,
    keys_of: Callable[[str], set[str]],
    services: Iterable[str],
    older_than: float,
    now: float | None = None,
) -> SweepResult:
    """Delete files under root/<service> that `keys_of(service)` does not name and that were
    last written more than `older_than` seconds before `now`."""
    now = time.time() if now is None else now
    result = SweepResult()
    for service in services:
        try:
            referenced = keys_of(service)  # before listing: a key recorded later is fresh
        except CannotTell as exc:
            result.skipped[service] = str(exc)
            continue
        for folder, _, names in os.walk(root / service):
            for name in names:
                path = Path(folder, name)
                key = path.relative_to(root).as_posix()
                if key in referenced or path.lstat().st_mtime > now - older_than:
                    result.kept += 1
                    continue
                path.unlink(missing_ok=True)
                result.deleted.append(key)
    return result


def keys_over_rpc(pool: RpcPool) -> Callable[[str], set[str]]:
    def keys_of(service: str) -> set[str]:
        try:
            return set(pool.call(service, "blob_keys"))
        except MethodNotFound:
            raise CannotTell(f"{service} has no blob_keys RPC") from None
        except GatewayUnavailable as exc:
            raise CannotTell(exc.detail) from None

    return keys_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.blobs", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("sweep", help="delete stored files no service refers to")
    run.add_argument("--older-than", type=float, default=3600.0, help="grace period (s)")
    run.add_argument("--services", default=",".join(upload_services()), help="comma-separated")
    args = parser.parse_args(argv)
    if args.older_than < 0:
        parser.error("--older-than must not be negative")
    services = [s.strip() for s in args.services.split(",") if s.strip()]
    pool = RpcPool(amqp_uri(), env_float("GATEWAY_RPC_TIMEOUT", 5.0, minimum=0.1), size=1)
    try:
        result = sweep(blob_root(), keys_over_rpc(pool), services, args.older_than)
    finally:
        pool.close()
    for service, why in result.skipped.items():
        log.warning("blob sweep skipped a service", extra={"service": service, "reason": why})
    summary = {"deleted": len(result.deleted), "kept": result.kept, "skipped": result.skipped}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
