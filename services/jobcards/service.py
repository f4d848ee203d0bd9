"""The jobcards service (Kartu Kuning, DISNAKER): thin entrypoints, each checking the actor in
the module it delegates to (applications, cards)."""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import GATEWAY, CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.leases import leased_timer
from servicekit.outbox import READ_MODELS, RELAY_INTERVAL, Outbox
from servicekit.rpc import ServiceRpc
from services.gis.contract import GisClient
from services.jobcards import applications, cards
from services.jobcards.desk import Desk, Rules
from services.jobcards.models import outbox


class JobcardsService:
    name = "jobcards"

    db = Database("jobcards")
    outbox = Outbox(outbox)
    actor = CallContext()
    rules = Rules()
    gis = ServiceRpc("gis")

    def _desk(self) -> Desk:
        return Desk(self.db, self.actor, self.rules, self.outbox, GisClient.over(self.gis))

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

    # --- a citizen's application --------------------------------------------------------------

    @rpc
    def create_application(self, payload: dict) -> dict:
        """A signed-in person starts an application (a draft): identity checked against the
        NIK, 18 or over, domicile in Kabupaten Serang."""
        return applications.create(self._desk(), payload)

    @rpc
    def update_application(self, application_id: int, payload: dict) -> dict:
        """The applicant corrects a draft or a returned application, checked as on creation."""
        return applications.correct(self._desk(), application_id, payload)

    @rpc
    def document(self, application_id: int, document_id: int) -> dict:
        """A document and its stored file's key: the applicant or DISNAKER's officers."""
        return applications.document(self._desk(), application_id, document_id)

    @rpc
    def my_applications(self, query: dict | None = None) -> dict:
        """The caller's own applications and cards."""
        return applications.mine(self._desk(), query)

    @rpc
    def get_application(self, application_id: int) -> dict:
        """One application: its applicant or DISNAKER's officers; 404 for anyone else."""
        return applications.get(self._desk(), application_id)

    @rpc
    def check_document(self, application_id: int, doc_type: str) -> None:
        """Whether the caller may add a document now; nothing changes (asked before storing)."""
        applications.check_document(self._desk(), application_id, doc_type)

    @rpc
    def add_document(self, application_id: int, doc_type: str, blob: dict) -> dict:
        """Attach a stored file, checked by the gateway, as the document of its type."""
        return applications.add_document(self._desk(), application_id, doc_type, blob)

    @rpc
    def submit(self, application_id: int) -> dict:
        """The applicant submits a complete draft or a returned application."""
        return applications.submit(self._desk(), application_id)

    # --- DISNAKER's desk ----------------------------------------------------------------------

    @rpc
    def queue(self, query: dict | None = None) -> dict:
        """Submitted applications, oldest first: DISNAKER's officers only."""
        return applications.queue(self._desk(), query)

    @rpc
    def transition(self, application_id: int, payload: dict) -> dict:
        """A DISNAKER officer approves, returns or rejects; the second of two at once gets 409."""
        return applications.transition(self._desk(), application_id, payload)

    @rpc
    def figures(self, query: dict | None = None) -> dict:
        """Cards by education, gender, kecamatan and month: DISNAKER staff and admins."""
        return cards.figures(self._desk(), query)

    # --- the card -----------------------------------------------------------------------------

    @rpc
    def card(self, application_id: int) -> dict:
        """What the printed card shows: its holder or DISNAKER's officers."""
        return cards.card(self._desk(), application_id)

    @rpc
    def report(self, application_id: int, payload: dict) -> dict:
        """The holder's six-monthly report (employed closes the card)."""
        return cards.report(self._desk(), application_id, payload)

    @rpc
    def verify(self, card_number: str) -> dict:
        """Anyone: the state of a card number, its dates and the holder's initials only."""
        return cards.verify(self._desk(), card_number)

    @leased_timer("JOBCARDS_SWEEP_INTERVAL", 3600.0)
    def sweep(self) -> None:
        """Remind holders before a report is due; lapse cards not reported on in time."""
        cards.sweep(self._desk())

    # --- for other services -------------------------------------------------------------------

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a document refers to, for the blob sweeper (gateway.blobs)."""
        return applications.blob_keys(self.db)
