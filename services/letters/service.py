"""The letters service (Sisumaker): incoming official letters of an agency, their dispositions
and follow-up. Thin entrypoints: each builds a `Desk` and delegates to a plain module
(registering, disposing, reading), where the actor is checked on every call."""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import GATEWAY, CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.outbox import READ_MODELS, RELAY_INTERVAL, Outbox
from servicekit.rpc import ServiceRpc
from services.accounts.contract import AccountsClient
from services.letters import disposing, reading, registering, store
from services.letters.desk import Desk
from services.letters.models import outbox


class LettersService:
    name = "letters"

    db = Database("letters")
    outbox = Outbox(outbox)
    actor = CallContext()
    accounts = ServiceRpc("accounts")

    def _desk(self) -> Desk:
        return Desk(self.db, self.actor, self.outbox, AccountsClient.over(self.accounts))

    # --- platform -----------------------------------------------------------------------------

    @rpc
    def health(self) -> dict:
        """Name, version and whether this service's own database answers."""
        return health_report(self.name, self.db)

    @timer(interval=RELAY_INTERVAL)
    def relay_outbox(self) -> None:
        """Publish the events whose change was committed but which did not leave at once."""
        self.outbox.relay()

    @rpc(callers=READ_MODELS)
    def outbox_events(self, after_id: int = 0, limit: int = 500, event_types=None) -> dict:
        """Every event this service recorded, oldest first, in pages: a read model (the
        leaders' dashboard) empties itself and refills from them (servicekit.outbox)."""
        return self.outbox.page(after_id, limit, event_types)

    # --- registering (the clerk) --------------------------------------------------------------

    @rpc
    def register_letter(self, payload: dict) -> dict:
        """The agency's clerk registers an incoming letter; it gets its agenda number."""
        return registering.register(self._desk(), payload)

    @rpc
    def check_scan(self, letter_id: int) -> None:
        """Whether the caller may attach a scan now; nothing changes (asked before storing)."""
        registering.check_scan(self._desk(), letter_id)

    @rpc
    def attach_scan(self, letter_id: int, scan: dict) -> dict:
        """Attach the stored scan (a PDF's blob key) to the letter."""
        return registering.attach_scan(self._desk(), letter_id, scan)

    # --- reading ------------------------------------------------------------------------------

    @rpc
    def list_letters(self, query: dict | None = None) -> dict:
        """The caller's agency's letters they may see, searched and filtered, overdue first."""
        return reading.list_letters(self._desk(), query)

    @rpc
    def get_letter(self, letter_id: int) -> dict:
        """One letter with its dispositions; another agency's or a hidden rahasia one: 404."""
        return reading.get_letter(self._desk(), letter_id)

    @rpc
    def get_scan(self, letter_id: int) -> dict:
        """The blob key of the letter's scan, for whoever may see the letter."""
        return reading.get_scan(self._desk(), letter_id)

    # --- dispositions -------------------------------------------------------------------------

    @rpc
    def recipients(self, query: dict | None = None) -> dict:
        """Staff of the caller's agency who may receive a disposition from them."""
        return disposing.recipients(self._desk(), query)

    @rpc
    def dispose(self, letter_id: int, payload: dict) -> dict:
        """The head (or a recipient passing theirs down) gives a disposition to staff."""
        return disposing.dispose(self._desk(), letter_id, payload)

    @rpc
    def complete_disposition(self, letter_id: int, disposition_id: int, payload: dict) -> dict:
        """The recipient reports and completes their disposition."""
        return disposing.complete(self._desk(), letter_id, disposition_id, payload)

    # --- for other services -------------------------------------------------------------------

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a letter refers to, for the blob sweeper (gateway.blobs)."""
        return store.fetch_blob_keys(self.db)
