"""What every service's `health` RPC answers; each service declares the RPC itself:

@rpc
def health(self) -> dict:
    return health_report(self.name, self.db)
"""

from __future__ import annotations

from servicekit import __version__
from servicekit.database import database_answers


def health_report(service: str, db) -> dict:
    """Name, version and whether the service's own database (a servicekit Database) answers."""
    db_ok = database_answers(db)
    return {
        "service": service,
        "version": __version__,
        "database": "ok" if db_ok else "unavailable",
        "status": "ok" if db_ok else "degraded",
    }
