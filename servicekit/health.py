"""The `health` RPC every service answers."""

from __future__ import annotations

from servicekit import __version__
from servicekit.database import database_answers
from servicekit.entrypoints import rpc


class HealthRpc:
    """Mixin for a service class with `name` and a `db` (servicekit.database.Database)."""

    version = __version__

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        db_ok = database_answers(self.db)
        return {
            "service": self.name,
            "version": self.version,
            "database": "ok" if db_ok else "unavailable",
            "status": "ok" if db_ok else "degraded",
        }
