"""The proposals service ("Serang Open"): hibah and bansos from draft to verified LPJ, in public view.

Every entrypoint of the service is declared here, and each hands a `Desk` (its dependencies)
to a plain module that holds the rules: applicants, drafting, reading, acting, documents,
registry, moving (the LPJ sweep). What other processes may know of it is its contract
(services.proposals.contract): the schemas, stages, events and `ProposalsClient`.
"""

from __future__ import annotations

from nameko.timer import timer

from servicekit.context import GATEWAY, CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.health import health_report
from servicekit.leases import leased_timer
from servicekit.outbox import READ_MODELS, RELAY_INTERVAL, Outbox
from servicekit.rpc import ServiceRpc
from services.proposals import (
    acting,
    applicants,
    conversation,
    documents,
    drafting,
    moving,
    printing,
    reading,
    registry,
    rounds,
    standing,
    trails,
)
from services.proposals.dependencies import Rules
from services.proposals.desk import Desk
from services.proposals.models import outbox


class ProposalsService:
    name = "proposals"

    db = Database("proposals")
    outbox = Outbox(outbox)
    actor = CallContext()
    rules = Rules()
    gis = ServiceRpc("gis")

    def _desk(self) -> Desk:
        return Desk(self.db, self.actor, self.rules, self.outbox, self.gis.locate)

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

    # --- applicants ---------------------------------------------------------------------------

    @rpc
    def save_applicant(self, kind: str, payload: dict, applicant_id: int | None = None) -> dict:
        """Create (applicant_id None) or replace an organisation's or an individual's profile,
        located on the map (whether it lies in the regency decides the hibah domicile rule)."""
        return applicants.save_applicant(self._desk(), kind, payload, applicant_id)

    @rpc
    def my_applicants(self) -> list[dict]:
        """The organisations and individual profiles the caller may act for."""
        return applicants.my_applicants(self._desk())

    @rpc
    def get_applicant(self, applicant_id: int) -> dict:
        """A profile: for its members, an admin, and staff while one of its submitted proposals
        is theirs to handle (access.py); anyone else is told it does not exist."""
        return applicants.get_applicant(self._desk(), applicant_id)

    @rpc
    def add_member(self, applicant_id: int, payload: dict) -> dict:
        """A member lets another citizen account act for the organisation too."""
        return applicants.add_member(self._desk(), applicant_id, payload)

    # --- an organisation's standing documents -------------------------------------------------

    @rpc
    def standing_documents(self, applicant_id: int) -> dict:
        """The profile's standing documents (akta, SK, NPWP, KTP ketua, domisili): each kind's
        version now and whether it holds, and the replaced versions; for its members and the
        staff who may see the applicant."""
        return standing.standing_documents(self._desk(), applicant_id)

    @rpc
    def check_standing_upload(self, applicant_id: int, payload: dict) -> dict:
        """May the caller keep this standing document on the profile? Raises the refusal
        add_standing_document would (404, 403, 409, 422); asked before the file is stored."""
        return standing.check_standing_upload(self._desk(), applicant_id, payload)

    @rpc
    def add_standing_document(self, applicant_id: int, payload: dict, blob: dict) -> dict:
        """Keep a stored file (checked by the gateway) as its kind's version now; the one
        before stays as history."""
        return standing.add_standing_document(self._desk(), applicant_id, payload, blob)

    @rpc
    def get_standing_document(self, applicant_id: int, document_id: int) -> dict:
        """Where a standing document's file is (any version), for those who may see it."""
        return standing.get_standing_document(self._desk(), applicant_id, document_id)

    # --- drafting -----------------------------------------------------------------------------

    @rpc
    def create_draft(self, payload: dict) -> dict:
        """A new draft for one of the caller's applicants; located on the map (must be in the regency)."""
        return drafting.create_draft(self._desk(), payload)

    @rpc
    def update_draft(self, public_id: str, payload: dict) -> dict:
        """Replace a draft (or a returned proposal being fixed) with a new version."""
        return drafting.update_draft(self._desk(), public_id, payload)

    @rpc
    def open_emergency(self, payload: dict) -> dict:
        """Unplanned bansos opened by staff on a report from a kepala desa, camat or agency."""
        return drafting.open_emergency(self._desk(), payload)

    # --- reading ------------------------------------------------------------------------------

    @rpc
    def get_proposal(self, public_id: str) -> dict:
        """A proposal with its private details: its applicant's members and the staff handling it."""
        return reading.get_proposal(self._desk(), public_id)

    @rpc
    def my_proposals(self, query: dict | None = None) -> dict:
        """The proposals of every applicant the caller may act for, newest first."""
        return reading.my_proposals(self._desk(), query)

    @rpc
    def queue(self, query: dict | None = None) -> dict:
        """What waits for the caller's role and agency, longest waiting first."""
        return reading.queue(self._desk(), query)

    @rpc
    def audit_log(self, public_id: str) -> dict:
        """Every entry of a proposal's log, with its hash chain (staff and auditors)."""
        return reading.audit_log(self._desk(), public_id)

    @rpc
    def verify_audit(self, public_id: str) -> dict:
        """Recompute the proposal's hash chain: ok, or the first entry that does not verify."""
        return reading.verify_audit(self._desk(), public_id)

    # --- acting -------------------------------------------------------------------------------

    @rpc
    def transition(self, public_id: str, payload: dict) -> dict:
        """Move a proposal on: only the role and agency each step allows, from the right stage."""
        return acting.transition(self._desk(), public_id, payload)

    @rpc
    def record_field_check(self, public_id: str, payload: dict) -> dict:
        """The responsible OPD's verifier records the field check (signed by a content hash)."""
        return acting.record_field_check(self._desk(), public_id, payload)

    @rpc
    def declare(self, public_id: str, payload: dict) -> dict:
        """A verifier or budget-team member declares no conflict of interest, or recuses."""
        return acting.declare(self._desk(), public_id, payload)

    # --- documents ----------------------------------------------------------------------------

    @rpc
    def check_document_upload(self, public_id: str, doc_type: str, count: int = 1) -> dict:
        """May the caller upload `count` files of `doc_type` to this proposal now? Raises the
        refusal add_documents would (404, 403, 409, 422); asked before any file is stored."""
        return documents.check_document_upload(self._desk(), public_id, doc_type, count)

    @rpc
    def add_documents(self, public_id: str, doc_type: str, blobs: list[dict]) -> dict:
        """Attach stored files (checked by the gateway) as one checklist item."""
        return documents.add_documents(self._desk(), public_id, doc_type, blobs)

    @rpc
    def get_document(self, public_id: str, document_id: int) -> dict:
        """Where a document's file is: for the applicant and the staff who may see the
        applicant's details at this stage only."""
        return documents.get_document(self._desk(), public_id, document_id)

    @rpc
    def printable(self, public_id: str, document: str) -> dict:
        """What a printable document (berita-acara, nphd, kuitansi) of the proposal shows, for
        its applicant and the staff who may see it, once the proposal has reached its stage."""
        return printing.printable(self._desk(), public_id, document)

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a document (a proposal's or an organisation's standing one) refers
        to, for the blob sweeper (gateway.blobs): a stored
        file not named here belongs to nothing and may be deleted after a grace period."""
        return documents.blob_keys(self._desk())

    # --- the public registry ------------------------------------------------------------------

    @rpc
    def registry(self, query: dict | None = None) -> dict:
        """Submitted proposals, newest first, with totals per year, kind, agency and kecamatan."""
        return registry.registry(self._desk(), query)

    @rpc
    def registry_entry(self, public_id: str) -> dict:
        """One submitted proposal as the public sees it."""
        return registry.registry_entry(self._desk(), public_id)

    @rpc
    def registry_export(self, query: dict | None = None, shape: str = "csv") -> dict:
        """The open-data export: 360Giving flat rows (csv) or 360Giving JSON grants (json)."""
        return registry.registry_export(self._desk(), query, shape)

    # --- the public trail (docs/transparency.md) ----------------------------------------------

    @rpc
    def trail(self, public_id: str) -> dict:
        """Anyone: the hash chain of a submitted proposal's public steps."""
        return trails.trail(self._desk(), public_id)

    @rpc
    def trails(self, query: dict | None = None) -> dict:
        """Anyone: every proposal's chain, a page at a time (for verifiers)."""
        return trails.trails(self._desk(), query)

    @rpc(callers=("transparency",))
    def trail_heads(self, query: dict) -> list:
        """Each chain's head before a time, for the transparency app's daily digest."""
        return trails.heads(self._desk(), query)

    # --- application rounds -------------------------------------------------------------------

    @rpc
    def rounds(self, budget_year: int | None = None) -> list[dict]:
        """Every application round (or one budget year's) with its dates and status: public."""
        return rounds.list_rounds(self._desk(), budget_year)

    @rpc
    def open_round(self, payload: dict) -> dict:
        """Bagian Kesra's staff or an admin open the round of a budget year and kind."""
        return rounds.open_round(self._desk(), payload)

    @rpc
    def change_round(self, round_id: int, payload: dict) -> dict:
        """Bagian Kesra's staff or an admin change a round's opening and closing dates."""
        return rounds.change_round(self._desk(), round_id, payload)

    # --- the conversation -----------------------------------------------------------------------

    @rpc
    def messages(self, public_id: str) -> list[dict]:
        """A proposal's conversation, oldest first: for its applicant and the staff who may see
        its applicant (403 for anyone else)."""
        return conversation.messages(self._desk(), public_id)

    @rpc
    def post_message(self, public_id: str, payload: dict) -> dict:
        """Add a message to a proposal's conversation; the other side hears of it."""
        return conversation.post_message(self._desk(), public_id, payload)

    # --- timers -------------------------------------------------------------------------------

    @leased_timer("PROPOSALS_LPJ_SWEEP_INTERVAL", 3600.0)
    def sweep_lpj(self) -> None:
        """Remind recipients before the LPJ deadline; mark the LPJ overdue once it has passed."""
        moving.sweep_lpj(self._desk())
