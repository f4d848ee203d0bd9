"""The typed client of the proposals service: one method per RPC other processes call."""

from __future__ import annotations

from servicekit.client import Client


class ProposalsClient(Client):
    service = "proposals"

    # --- applicants -------------------------------------------------------------------------

    def save_applicant(self, kind: str, payload: dict, applicant_id: int | None = None) -> dict:
        """Create (no applicant_id) or replace an organisation's or individual's profile."""
        return self._call("save_applicant", kind, payload, applicant_id)

    def my_applicants(self) -> list[dict]:
        """The profiles the caller may act for."""
        return self._call("my_applicants")

    def get_applicant(self, applicant_id: int) -> dict:
        """One profile, for its members and the staff who may see it."""
        return self._call("get_applicant", applicant_id)

    def add_member(self, applicant_id: int, payload: dict) -> dict:
        """Let another citizen account act for an organisation."""
        return self._call("add_member", applicant_id, payload)

    # --- an organisation's standing documents -------------------------------------------------

    def standing_documents(self, applicant_id: int) -> dict:
        """The profile's standing documents now and their history (StandingDocumentsSchema)."""
        return self._call("standing_documents", applicant_id)

    def check_standing_upload(self, applicant_id: int, payload: dict) -> dict:
        """May the caller keep this standing document (StandingUploadSchema)? Asked before the
        file is stored; raises what add_standing_document would."""
        return self._call("check_standing_upload", applicant_id, payload)

    def add_standing_document(self, applicant_id: int, payload: dict, blob: dict) -> dict:
        """Keep a stored file (DocumentSchema) as the kind's new version; the old one stays as
        history."""
        return self._call("add_standing_document", applicant_id, payload, blob)

    def get_standing_document(self, applicant_id: int, document_id: int) -> dict:
        """Where a standing document's file (any version) is, for those who may see it."""
        return self._call("get_standing_document", applicant_id, document_id)

    # --- proposals --------------------------------------------------------------------------

    def create_draft(self, payload: dict) -> dict:
        """A new draft for one of the caller's applicants."""
        return self._call("create_draft", payload)

    def update_draft(self, public_id: str, payload: dict) -> dict:
        """Replace a draft or a returned proposal."""
        return self._call("update_draft", public_id, payload)

    def open_emergency(self, payload: dict) -> dict:
        """Staff open an unplanned (emergency) bansos."""
        return self._call("open_emergency", payload)

    def get_proposal(self, public_id: str) -> dict:
        """A proposal with its private details (applicant and handling staff)."""
        return self._call("get_proposal", public_id)

    def my_proposals(self, query: dict | None = None) -> dict:
        """A page of the proposals of the caller's applicants."""
        return self._call("my_proposals", query)

    def queue(self, query: dict | None = None) -> dict:
        """A page of what waits for the caller's role and agency."""
        return self._call("queue", query)

    def transition(self, public_id: str, payload: dict) -> dict:
        """Move a proposal on (ProposalTransitionSchema)."""
        return self._call("transition", public_id, payload)

    def record_field_check(self, public_id: str, payload: dict) -> dict:
        """The responsible OPD verifier's field check."""
        return self._call("record_field_check", public_id, payload)

    def declare(self, public_id: str, payload: dict) -> dict:
        """A no-conflict declaration, or a recusal."""
        return self._call("declare", public_id, payload)

    def audit_log(self, public_id: str) -> dict:
        """Every audit entry of a proposal, with its hash chain."""
        return self._call("audit_log", public_id)

    def verify_audit(self, public_id: str) -> dict:
        """Recompute a proposal's hash chain."""
        return self._call("verify_audit", public_id)

    # --- documents --------------------------------------------------------------------------

    def check_document_upload(self, public_id: str, doc_type: str, count: int = 1) -> dict:
        """May the caller add `count` files of `doc_type` now? (Asked before storing any.)"""
        return self._call("check_document_upload", public_id, doc_type, count)

    def add_documents(self, public_id: str, doc_type: str, blobs: list[dict]) -> dict:
        """Attach stored files (DocumentSchema each) as one checklist item."""
        return self._call("add_documents", public_id, doc_type, blobs)

    def get_document(self, public_id: str, document_id: int) -> dict:
        """Where a document's file is, for those who may see it."""
        return self._call("get_document", public_id, document_id)

    def printable(self, public_id: str, document: str) -> dict:
        """What a printable document (berita-acara, nphd, kuitansi) shows, for those who may
        see the proposal, once it exists."""
        return self._call("printable", public_id, document)

    def blob_keys(self) -> list[str]:
        """Every blob key a document refers to (the gateway's blob sweeper only)."""
        return self._call("blob_keys")

    # --- the public registry ----------------------------------------------------------------

    def registry(self, query: dict | None = None) -> dict:
        """A page of submitted proposals with totals (public fields)."""
        return self._call("registry", query)

    def registry_entry(self, public_id: str) -> dict:
        """One submitted proposal as the public sees it."""
        return self._call("registry_entry", public_id)

    def trail(self, public_id: str) -> dict:
        """Anyone: the hash chain of a submitted proposal's public steps."""
        return self._call("trail", public_id)

    def trails(self, query: dict | None = None) -> dict:
        """Anyone: every proposal's chain, a page at a time."""
        return self._call("trails", query)

    def registry_export(self, query: dict | None = None, shape: str = "csv") -> dict:
        """The open-data export: 360Giving rows (csv) or grants (json)."""
        return self._call("registry_export", query, shape)

    # --- application rounds -----------------------------------------------------------------

    def rounds(self, budget_year: int | None = None) -> list[dict]:
        """Every application round (or one budget year's) with its dates and status."""
        return self._call("rounds", budget_year)

    def open_round(self, payload: dict) -> dict:
        """Open the round of a budget year and kind (RoundSchema)."""
        return self._call("open_round", payload)

    def change_round(self, round_id: int, payload: dict) -> dict:
        """Change a round's dates (RoundDatesSchema)."""
        return self._call("change_round", round_id, payload)

    # --- the conversation -------------------------------------------------------------------

    def messages(self, public_id: str) -> list[dict]:
        """A proposal's conversation, oldest first (MessageOutSchema each)."""
        return self._call("messages", public_id)

    def post_message(self, public_id: str, payload: dict) -> dict:
        """Add a message to a proposal's conversation (MessageInSchema)."""
        return self._call("post_message", public_id, payload)
