"""The transparency service (docs/transparency.md): seals each period's digest of every public
trail's heads, signed, and answers anyone who reads them, or asks for the proof that one
chain's head is in a digest. Thin entrypoints over sealing, reading and proofs."""

from __future__ import annotations

from nameko.timer import timer

from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.leases import leased_timer
from servicekit.outbox import RELAY_INTERVAL, Outbox
from servicekit.rpc import AppsRpc
from services.transparency import proofs, reading, sealing
from services.transparency.keys import Sealing
from services.transparency.models import outbox


class TransparencyService:
    name = "transparency"

    db = Database("transparency")
    outbox = Outbox(outbox)
    schedule = Sealing()
    # each call within SERVICE_RPC_TIMEOUT: a page of heads is small (servicekit.trail), and a
    # reply lost at start (the eager first tick can beat the reply queue) costs one deadline
    apps = AppsRpc()

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    # --- sealing ------------------------------------------------------------------------------

    @leased_timer("TRANSPARENCY_SEAL_INTERVAL", 60.0, eager=True)
    def seal(self) -> None:
        """Publish the digest of every period that has ended since the last one."""
        sealing.seal_due(
            self.db,
            self.schedule,
            lambda app, query: self.apps(app).trail_heads(query),
            self.outbox,
        )

    # --- reading (anyone) ---------------------------------------------------------------------

    @rpc
    def digests(self, query: dict | None = None) -> dict:
        """Published digests, newest first, a page at a time."""
        return reading.digests(self.db, query)

    @rpc
    def digest(self, date: str) -> dict:
        """One published digest, whole."""
        return reading.digest(self.db, date)

    @rpc
    def key(self) -> dict:
        """The signing key, and every key that signed a digest."""
        return reading.key(self.db, self.schedule)

    @rpc
    def proof(self, query: dict | None = None) -> dict:
        """A chain's head in the latest digest that committed it, with its inclusion proof and
        the digest's signed header."""
        return proofs.proof(self.db, query)
