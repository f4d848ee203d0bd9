"""The proposals service ("Serang Open"): hibah and bansos from draft to verified LPJ, in public view."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from servicekit.context import CallContext
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Conflict, Forbidden, Invalid
from servicekit.health import HealthRpc
from servicekit.outbox import Outbox, OutboxRelay
from servicekit.payloads import load
from servicekit.rpc import ServiceRpc
from servicekit.timers import configured_timer
from services.proposals import store
from services.proposals.access import staff_sees_applicant
from services.proposals.applicants import ApplicantRpc
from services.proposals.audit import verify_chain
from services.proposals.catalogue import (
    CATEGORIES,
    DOCUMENT_TYPES,
    INDIVIDUAL,
    LPJ_DOCUMENTS,
    PLANNED,
    checklist,
)
from services.proposals.dependencies import Rules
from services.proposals.documents import DocumentRpc
from services.proposals.eligibility import Facts, as_errors, check
from services.proposals.lifecycle import (
    DECISIONS_WITH_AMOUNT,
    DRAFT,
    EVALUATION,
    RETURNED,
    SUBMITTED,
    SYSTEM,
    TRANSITIONS,
    Transition,
    authorize,
    available_actions,
    plan,
    queue_routing,
    queue_stages,
)
from services.proposals.models import (
    Applicant,
    Declaration,
    FieldCheck,
    Proposal,
    StageChange,
    outbox,
)
from services.proposals.registry import RegistryRpc
from services.proposals.schemas import (
    DeclarationSchema,
    EmergencySchema,
    FieldCheckSchema,
    PageQuerySchema,
    ProposalDraftSchema,
    ProposalTransitionSchema,
    QueueQuerySchema,
)
from services.proposals.views import event_facts, private_view

log = logging.getLogger(__name__)

WIB = ZoneInfo("Asia/Jakarta")
STAFF = ("verifier", "officer", "budget_team")
DECLARING_ROLES = ("verifier", "budget_team")
EDITABLE = frozenset({DRAFT, RETURNED})
EMERGENCY_NOTE = "Dibuka oleh petugas atas laporan kepala desa, camat atau OPD."


class ProposalsService(ApplicantRpc, DocumentRpc, RegistryRpc, HealthRpc, OutboxRelay):
    name = "proposals"

    db = Database("proposals")
    outbox = Outbox(outbox)
    actor = CallContext()
    rules = Rules()
    gis = ServiceRpc("gis")

    # --- drafting -----------------------------------------------------------------------

    @rpc
    def create_draft(self, payload: dict) -> dict:
        """A new draft for one of the caller's applicants; located on the map (must be in the regency)."""
        self.actor.require_login()
        data = self._checked_draft(payload)
        applicant = self._own_applicant(data["applicant_id"])
        now = datetime.now(UTC)
        proposal = Proposal(
            applicant_id=applicant.id,
            applicant=applicant,
            stage=DRAFT,
            stage_since=now,
            created_by=self.actor.user_id,
            created_at=now,
            updated_at=now,
        )
        self._fill(proposal, data)
        store.create_proposal(self.db, proposal)
        store.append_audit(self.db, proposal, "create_draft", self.actor, _audit_data(data))
        return self._private(proposal)

    @rpc
    def update_draft(self, public_id: str, payload: dict) -> dict:
        """Replace a draft (or a returned proposal being fixed) with a new version."""
        self.actor.require_login()
        data = self._checked_draft(payload)
        proposal = store.get_proposal(self.db, public_id, for_update=True)
        self._require_member(proposal)
        if proposal.stage not in EDITABLE:
            raise Conflict(
                "Usulan hanya dapat diubah selama masih draf atau dikembalikan.",
                {"stage": [proposal.stage]},
            )
        if data["applicant_id"] != proposal.applicant_id:
            self._own_applicant(data["applicant_id"])
            proposal.applicant = store.get_applicant(self.db, data["applicant_id"])
        self._fill(proposal, data)
        proposal.updated_at = datetime.now(UTC)
        store.append_audit(self.db, proposal, "update_draft", self.actor, _audit_data(data))
        return self._private(proposal)

    @rpc
    def open_emergency(self, payload: dict) -> dict:
        """Unplanned bansos opened by staff on a report from a kepala desa, camat or agency."""
        self.actor.require_role("officer", "verifier")
        data = load(EmergencySchema(), payload)
        category = CATEGORIES[data["category"]]
        if self.actor.agency not in (category.agency, self.rules.agencies.admin):
            raise Forbidden(
                f"Hanya staf {category.agency} atau {self.rules.agencies.admin} yang dapat "
                "membuka bansos tidak terencana.",
                {"agency": [category.agency]},
            )
        self._check_amount_and_year(data)
        place = self._locate(data["lat"], data["lon"])
        now = datetime.now(UTC)
        person = data["beneficiary"]
        applicant = Applicant(kind=INDIVIDUAL, created_at=now, updated_at=now, **person)
        applicant.domicile_inside = True
        self.db.add(applicant)
        self.db.flush()
        proposal = Proposal(
            applicant_id=applicant.id,
            applicant=applicant,
            kind="bansos",
            bansos_type="unplanned",
            budget_year=data["budget_year"],
            title=data["title"],
            purpose=data["purpose"],
            activities="",
            category=category.code,
            agency_code=category.agency,
            requested_amount=data["requested_amount"],
            cost_lines=data["cost_lines"],
            lat=data["lat"],
            lon=data["lon"],
            source_note=data["reported_by"],
            stage=SUBMITTED,
            stage_since=now,
            submitted_at=now,
            created_at=now,
            updated_at=now,
        )
        self._place(proposal, place)
        store.create_proposal(self.db, proposal)
        # The reporter (a name, an office, a phone) is private: the public timeline says only
        # that staff opened it; who reported it stays in source_note and the audit log.
        self._record(proposal, "open_emergency", None, SUBMITTED, EMERGENCY_NOTE, None, now)
        store.append_audit(
            self.db, proposal, "open_emergency", self.actor, {"reported_by": data["reported_by"]}
        )
        self._publish_submitted(proposal, "open_emergency")
        return self._private(proposal)

    # --- reading --------------------------------------------------------------------------

    @rpc
    def get_proposal(self, public_id: str) -> dict:
        """A proposal with its private details: its applicant's members and the staff handling it."""
        proposal = store.get_proposal(self.db, public_id)
        self._require_private_access(proposal)
        return self._private(proposal)

    @rpc
    def my_proposals(self, query: dict | None = None) -> dict:
        """The proposals of every applicant the caller may act for, newest first."""
        self.actor.require_login()
        params = load(PageQuerySchema(), query, "Parameter kueri tidak valid.")
        applicants = store.fetch_applicants_of(self.db, self.actor.user_id)
        proposals, total = store.fetch_of_applicants(
            self.db, [a.id for a in applicants], params["page"], params["per_page"]
        )
        return self._page(proposals, total, params)

    @rpc
    def queue(self, query: dict | None = None) -> dict:
        """What waits for the caller's role and agency, longest waiting first."""
        self.actor.require_role(*STAFF)
        if not self.actor.agency:
            raise Forbidden("Akun staf Anda tidak terikat pada OPD.")
        params = load(QueueQuerySchema(), query, "Parameter kueri tidak valid.")
        pairs = queue_stages(self.actor, self.rules.agencies)
        proposals, total = store.fetch_queue(
            self.db, pairs, params["stage"], params["page"], params["per_page"]
        )
        return self._page(proposals, total, params)

    # --- acting -----------------------------------------------------------------------------

    @rpc
    def transition(self, public_id: str, payload: dict) -> dict:
        """Move a proposal on: only the role and agency each step allows, from the right stage."""
        data = load(ProposalTransitionSchema(), payload)
        proposal = store.get_proposal(self.db, public_id, for_update=True)
        transition = plan(data["action"], proposal.stage, data["note"])
        authorize(
            transition,
            self.actor,
            self.rules.agencies,
            proposal.agency_code,
            store.is_member(proposal.applicant, self.actor.user_id),
        )
        if transition.needs_declaration:
            self._require_declaration(proposal)
        now = datetime.now(UTC)
        details = self._apply_requirements(transition, proposal, data, now)
        if transition.action in ("submit", "resubmit"):
            self._check_eligibility(proposal)
        personal = self._sees_applicant(proposal)  # as the actor saw it when acting
        self._move(proposal, transition, data["note"], details, now)
        return self._private(proposal, personal)

    @rpc
    def record_field_check(self, public_id: str, payload: dict) -> dict:
        """The responsible OPD's verifier records the field check (signed by a content hash)."""
        data = load(FieldCheckSchema(), payload)
        proposal = store.get_proposal(self.db, public_id, for_update=True)
        authorize(
            TRANSITIONS["recommend"], self.actor, self.rules.agencies, proposal.agency_code, False
        )
        if proposal.stage != EVALUATION:
            raise Conflict(
                "Verifikasi lapangan hanya pada tahap evaluasi.", {"stage": [proposal.stage]}
            )
        self._require_declaration(proposal)
        photos = {d.id for d in proposal.documents if d.doc_type == "foto_verifikasi"}
        unknown = [p for p in data["photo_ids"] if p not in photos]
        if unknown:
            raise Invalid(
                "Foto verifikasi tidak dikenal.",
                {"photo_ids": [f"Bukan foto verifikasi usulan ini: {unknown}."]},
            )
        now = datetime.now(UTC)
        content = {
            "public_id": proposal.public_id,
            "checked_on": data["checked_on"].isoformat(),
            "findings": data["findings"],
            "photo_ids": sorted(data["photo_ids"]),
            "officer_user_id": self.actor.user_id,
            "signed_at": now.isoformat(),
        }
        signature = hashlib.sha256(
            json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        self.db.add(
            FieldCheck(
                proposal_id=proposal.id,
                checked_on=data["checked_on"],
                findings=data["findings"],
                photo_ids=sorted(data["photo_ids"]),
                officer_user_id=self.actor.user_id,
                officer_agency=self.actor.agency,
                signature=signature,
                created_at=now,
            )
        )
        store.append_audit(
            self.db, proposal, "field_check", self.actor, content | {"signature": signature}, now
        )
        proposal.updated_at = now
        self.db.flush()
        return self._private(proposal)

    @rpc
    def declare(self, public_id: str, payload: dict) -> dict:
        """A verifier or budget-team member declares no conflict of interest, or recuses."""
        self.actor.require_role(*DECLARING_ROLES)
        data = load(DeclarationSchema(), payload)
        proposal = store.get_proposal(self.db, public_id, for_update=True)
        self._require_private_access(proposal)  # not on a draft
        if self.actor.agency not in (proposal.agency_code, self.rules.agencies.budget):
            raise Forbidden(
                "Usulan ini tidak ditangani OPD Anda.", {"agency": [proposal.agency_code]}
            )
        if data["decision"] == "recused" and not (data["note"] or "").strip():
            raise Invalid("Sebutkan alasan mengundurkan diri.", {"note": ["Wajib diisi."]})
        existing = store.get_declaration(self.db, proposal.id, self.actor.user_id)
        now = datetime.now(UTC)
        if existing is not None:
            if existing.decision == "recused":
                raise Conflict(
                    "Anda sudah mengundurkan diri dari usulan ini; pernyataan tidak dapat diubah.",
                    {"decision": ["recused"]},
                )
            if data["decision"] == existing.decision:
                return self._private(proposal)
            existing.decision, existing.note, existing.declared_at = (
                data["decision"],
                data["note"],
                now,
            )
        else:
            self.db.add(
                Declaration(
                    proposal_id=proposal.id,
                    user_id=self.actor.user_id,
                    role=next(r for r in DECLARING_ROLES if self.actor.has_role(r)),
                    agency=self.actor.agency,
                    decision=data["decision"],
                    note=data["note"],
                    declared_at=now,
                )
            )
        store.append_audit(
            self.db,
            proposal,
            "declaration",
            self.actor,
            {"decision": data["decision"], "note": data["note"]},
            now,
        )
        self.db.flush()
        return self._private(proposal)

    # --- the audit log ------------------------------------------------------------------------

    @rpc
    def audit_log(self, public_id: str) -> dict:
        """Every entry of a proposal's log, with its hash chain (staff and auditors)."""
        proposal = store.get_proposal(self.db, public_id)
        self._require_auditor(proposal)
        entries = store.fetch_audit(self.db, proposal.id)
        return {
            "public_id": proposal.public_id,
            "head": proposal.audit_head,
            "entries": [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "action": e.action,
                    "actor_user_id": e.actor_user_id,
                    "actor_roles": e.actor_roles or [],
                    "actor_agency": e.actor_agency,
                    "data": e.data or {},
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in entries
            ],
        }

    @rpc
    def verify_audit(self, public_id: str) -> dict:
        """Recompute the proposal's hash chain: ok, or the first entry that does not verify."""
        proposal = store.get_proposal(self.db, public_id)
        self._require_auditor(proposal)
        verdict = verify_chain(store.fetch_audit(self.db, proposal.id), proposal.audit_head)
        return {"public_id": proposal.public_id} | verdict.as_dict()

    # --- timers -------------------------------------------------------------------------------

    @configured_timer("PROPOSALS_LPJ_SWEEP_INTERVAL", 3600.0)
    def sweep_lpj(self) -> None:
        """Remind recipients before the LPJ deadline; mark the LPJ overdue once it has passed."""
        today = datetime.now(WIB).date()
        horizon = today + timedelta(days=max(self.rules.reminder_days, default=0))
        now = datetime.now(UTC)
        for proposal in store.fetch_lpj_due(self.db, horizon, 500):
            if proposal.lpj_due < today:
                self._move(proposal, TRANSITIONS["mark_lpj_overdue"], None, {}, now, actor=None)
                continue
            days_left = (proposal.lpj_due - today).days
            crossed = sum(1 for d in self.rules.reminder_days if days_left <= d)
            if crossed > (proposal.lpj_reminders_sent or 0):
                proposal.lpj_reminders_sent = crossed
                self.outbox.add(
                    "proposals.lpj_reminder_due",
                    **self._facts(proposal),
                    days_left=days_left,
                )

    # --- internals ----------------------------------------------------------------------------

    def _checked_draft(self, payload: dict) -> dict:
        data = load(ProposalDraftSchema(), payload)
        if data["kind"] == "bansos" and data["bansos_type"] is None:
            data["bansos_type"] = PLANNED
        self._check_amount_and_year(data)
        data["place"] = self._locate(data["lat"], data["lon"])
        return data

    def _check_amount_and_year(self, data: dict) -> None:
        ceiling = self.rules.amount_ceiling
        if data["requested_amount"] > ceiling:
            raise Invalid(
                "Nilai yang diajukan melebihi batas.",
                {"requested_amount": [f"Paling banyak Rp{ceiling:,}.".replace(",", ".")]},
            )
        this_year = datetime.now(WIB).year
        if not this_year <= data["budget_year"] <= this_year + self.rules.years_ahead:
            raise Invalid(
                "Tahun anggaran tidak dapat diajukan.",
                {"budget_year": [f"Antara {this_year} dan {this_year + self.rules.years_ahead}."]},
            )

    def _locate(self, lat: float, lon: float) -> dict:
        place = self.gis.locate(lat, lon)
        if not place.get("inside"):
            raise Invalid(
                "Lokasi berada di luar Kabupaten Serang.",
                {
                    "lat": ["Lokasi di luar Kabupaten Serang."],
                    "lon": ["Lokasi di luar Kabupaten Serang."],
                },
            )
        return place

    def _fill(self, proposal: Proposal, data: dict) -> None:
        for key in (
            "kind",
            "bansos_type",
            "budget_year",
            "title",
            "purpose",
            "activities",
            "category",
            "requested_amount",
            "cost_lines",
            "lat",
            "lon",
        ):
            setattr(proposal, key, data[key])
        proposal.agency_code = CATEGORIES[data["category"]].agency
        self._place(proposal, data["place"])

    @staticmethod
    def _place(proposal: Proposal, place: dict) -> None:
        desa, kecamatan = place.get("desa") or {}, place.get("kecamatan") or {}
        proposal.desa_code, proposal.desa_name = desa.get("code"), desa.get("name")
        proposal.kecamatan_code = kecamatan.get("code")
        proposal.kecamatan_name = kecamatan.get("name")

    def _require_member(self, proposal: Proposal) -> None:
        if not store.is_member(proposal.applicant, self.actor.user_id):
            raise Forbidden(
                "Usulan ini bukan milik Anda.", {"id": ["Anda bukan pemohon usulan ini."]}
            )

    def _handles(self, proposal: Proposal) -> bool:
        agencies = self.rules.agencies
        return self.actor.has_role(*STAFF) and self.actor.agency in (
            proposal.agency_code,
            agencies.admin,
            agencies.budget,
        )

    def _require_private_access(self, proposal: Proposal) -> None:
        self.actor.require_login()
        if store.is_member(proposal.applicant, self.actor.user_id):
            return
        if self.actor.has_role("admin") or (proposal.stage != DRAFT and self._handles(proposal)):
            return
        raise Forbidden(
            "Usulan ini bukan milik Anda; data publiknya ada di /api/v1/registry/proposals.",
            {"id": ["Hanya pemohon dan petugas yang menangani yang dapat melihat rincian ini."]},
        )

    def _sees_applicant(self, proposal: Proposal) -> bool:
        """The applicant's private details: its members, and staff per access.py."""
        return store.is_member(proposal.applicant, self.actor.user_id) or staff_sees_applicant(
            self.actor, self.rules.agencies, proposal.stage, proposal.agency_code
        )

    def _require_auditor(self, proposal: Proposal) -> None:
        self.actor.require_login()
        if not (
            self.actor.has_role("admin") or (proposal.stage != DRAFT and self._handles(proposal))
        ):
            raise Forbidden("Log audit hanya untuk auditor dan petugas yang menangani usulan.")

    def _require_declaration(self, proposal: Proposal) -> None:
        declaration = store.get_declaration(self.db, proposal.id, self.actor.user_id)
        if declaration is None:
            raise Conflict(
                "Nyatakan dahulu bahwa Anda tidak memiliki konflik kepentingan atas usulan ini.",
                {"declaration": ["Belum ada pernyataan konflik kepentingan."]},
            )
        if declaration.decision == "recused":
            raise Forbidden(
                "Anda telah mengundurkan diri dari usulan ini karena konflik kepentingan.",
                {"declaration": ["recused"]},
            )

    def _apply_requirements(
        self, transition: Transition, proposal: Proposal, data: dict, now: datetime
    ) -> dict:
        """Check and apply what the action carries; returns the details for the audit log."""
        needs = transition.requires
        details: dict = {}
        if "amount" in needs:
            details["amount"] = self._checked_amount(transition.action, proposal, data["amount"])
            setattr(proposal, DECISIONS_WITH_AMOUNT[transition.action], details["amount"])
        if "field_check" in needs and not store.fetch_field_checks(self.db, proposal.id):
            raise Conflict(
                "Catat verifikasi lapangan terlebih dahulu.",
                {"field_check": ["Belum ada berita acara verifikasi lapangan."]},
            )
        missing: dict[str, list[str]] = {}
        for need, keys in (
            ("decree", ("decree_number", "decree_date")),
            ("agreement", ("nphd_number", "nphd_date")),
            ("disbursement", ("disbursed_on", "sp2d_ref")),
        ):
            if need in needs:
                for key in keys:
                    if not data.get(key):
                        missing[key] = ["Wajib diisi untuk tindakan ini."]
        if "agreement" in needs and not data["integrity_pact"]:
            missing["integrity_pact"] = ["Pakta integritas penerima wajib ditandatangani."]
        if missing:
            raise Invalid("Data tindakan belum lengkap.", missing)
        if "decree" in needs:
            proposal.decree_number, proposal.decree_date = (
                data["decree_number"],
                data["decree_date"],
            )
            details |= {"decree_number": data["decree_number"]}
        if "agreement" in needs:
            proposal.nphd_number, proposal.nphd_date = data["nphd_number"], data["nphd_date"]
            proposal.integrity_pact = True
            details |= {"nphd_number": data["nphd_number"], "integrity_pact": True}
        if "disbursement" in needs:
            proposal.disbursed_on, proposal.sp2d_ref = data["disbursed_on"], data["sp2d_ref"]
            proposal.lpj_due = self.rules.lpj_due(proposal.budget_year)
            proposal.lpj_reminders_sent = 0
            details |= {"sp2d_ref": data["sp2d_ref"], "lpj_due": proposal.lpj_due.isoformat()}
        if "lpj_documents" in needs:
            if not any(d.doc_type in LPJ_DOCUMENTS for d in proposal.documents):
                raise Invalid(
                    "Unggah laporan pertanggungjawaban terlebih dahulu.",
                    {"documents": [f"Belum ada dokumen {DOCUMENT_TYPES['lpj_laporan'].name}."]},
                )
            proposal.lpj_submitted_at = now
        if transition.action == "recommend":
            proposal.recommended_at = now
        elif transition.action == "accept":
            proposal.accepted_at = now
        elif transition.action == "verify_lpj":
            proposal.lpj_verified_at = now
        for key in ("decree_date", "nphd_date", "disbursed_on"):
            if key in needs_keys(needs) and data.get(key):
                details[key] = data[key].isoformat()
        return details

    @staticmethod
    def _checked_amount(action: str, proposal: Proposal, amount: int | None) -> int:
        if amount is None:
            raise Invalid("Nilai wajib diisi.", {"amount": ["Wajib diisi (Rupiah)."]})
        limit, name = {
            "recommend": (proposal.requested_amount, "nilai yang diajukan"),
            "accept": (proposal.recommended_amount, "nilai rekomendasi OPD"),
            "approve": (proposal.accepted_amount, "nilai yang diterima TAPD"),
            "disburse": (proposal.approved_amount, "nilai dalam Keputusan Bupati"),
        }[action]
        if limit is not None and amount > limit:
            raise Invalid(
                f"Nilai melebihi {name}.",
                {"amount": [f"Paling banyak Rp{limit:,} ({name}).".replace(",", ".")]},
            )
        return amount

    def _check_eligibility(self, proposal: Proposal) -> None:
        applicant = proposal.applicant
        facts = Facts(
            kind=proposal.kind,
            budget_year=proposal.budget_year,
            applicant_kind=applicant.kind,
            applicant_name=applicant.name,
            legal_form=applicant.legal_form,
            legal_entity_number=applicant.legal_entity_number,
            domicile_inside=applicant.domicile_inside,
            bank_account_number=applicant.bank_account_number,
            bank_account_name=applicant.bank_account_name,
            required_documents=checklist(proposal.kind, applicant.kind, proposal.bansos_type),
            uploaded_documents=frozenset(d.doc_type for d in proposal.documents),
            overdue_lpj=tuple(store.overdue_lpj_of(self.db, applicant.id)),
            hibah_years=frozenset(store.hibah_years_of(self.db, applicant.id, proposal.id)),
        )
        failures = check(facts, self.rules.exempt)
        if failures:
            raise Invalid(
                "Usulan belum memenuhi syarat: " + " ".join(f.message for f in failures),
                as_errors(failures),
                rules=[{"rule": f.rule, "message": f.message} for f in failures],
            )

    def _move(
        self,
        proposal: Proposal,
        transition: Transition,
        note: str | None,
        details: dict,
        now: datetime,
        actor="caller",
    ) -> None:
        actor = self.actor if actor == "caller" else actor
        previous = proposal.stage
        proposal.stage = transition.target
        proposal.stage_since = proposal.updated_at = now
        proposal.stage_note = note
        if transition.action == "submit" and proposal.submitted_at is None:
            proposal.submitted_at = now
        self._record(
            proposal,
            transition.action,
            previous,
            transition.target,
            note,
            details.get("amount"),
            now,
        )
        store.append_audit(
            self.db,
            proposal,
            transition.action,
            actor,
            {"from": previous, "to": transition.target, "note": note} | details,
            now,
        )
        if transition.action in ("submit", "resubmit"):
            self._publish_submitted(proposal, transition.action)
        else:
            self.outbox.add(
                "proposals.stage_changed",
                **self._facts(proposal),
                from_stage=previous,
                action=transition.action,
                action_label=transition.label,
                note=note,
                amount=details.get("amount"),
                actor_agency=actor.agency if actor is not None else None,
            )
        log.info(
            "proposal moved",
            extra={"public_id": proposal.public_id, "from": previous, "to": proposal.stage},
        )

    def _record(
        self,
        proposal: Proposal,
        action: str,
        previous: str | None,
        target: str,
        note: str | None,
        amount: int | None,
        now: datetime,
    ) -> None:
        transition = TRANSITIONS.get(action)
        spec = transition.actor if transition else None
        if spec is None or spec is SYSTEM:
            label = "Sistem" if spec is SYSTEM else (self.actor.agency or "Petugas")
        elif spec.agency is None:
            label = "Pemohon"
        else:
            label = self.actor.agency or spec.label
        self.db.add(
            StageChange(
                proposal_id=proposal.id,
                at=now,
                action=action,
                from_stage=previous,
                to_stage=target,
                actor_label=label,
                actor_user_id=self.actor.user_id if spec is not SYSTEM else None,
                actor_role=None,
                actor_agency=self.actor.agency if spec is not SYSTEM else None,
                note=note,
                amount=amount,
            )
        )

    def _facts(self, proposal: Proposal) -> dict:
        return event_facts(proposal) | queue_routing(
            proposal.stage, proposal.agency_code, self.rules.agencies
        )

    def _publish_submitted(self, proposal: Proposal, action: str) -> None:
        self.outbox.add("proposals.submitted", **self._facts(proposal), action=action)

    def _private(self, proposal: Proposal, personal: bool | None = None) -> dict:
        self.db.flush()
        timeline = store.fetch_timeline(self.db, [proposal.id])[proposal.id]
        view = private_view(
            proposal,
            timeline,
            store.fetch_field_checks(self.db, proposal.id),
            store.fetch_declarations(self.db, proposal.id),
            personal=self._sees_applicant(proposal) if personal is None else personal,
        )
        mine = (
            store.get_declaration(self.db, proposal.id, self.actor.user_id)
            if self.actor.user_id is not None
            else None
        )
        actions = available_actions(
            proposal.stage, self.actor, self.rules.agencies, proposal.agency_code
        )
        return view | {
            "waiting_days": _waiting_days(proposal),
            "my_declaration": mine.decision if mine else None,
            "actions": [
                {
                    "action": t.action,
                    "label": t.label,
                    "note_required": t.note_required,
                    "needs_declaration": t.needs_declaration,
                    "requires": list(t.requires),
                }
                for t in actions
            ],
        }

    def _page(self, proposals: list[Proposal], total: int, params: dict) -> dict:
        timelines = store.fetch_timeline(self.db, [p.id for p in proposals])
        return {
            "items": [
                private_view(p, timelines[p.id], [], [], personal=self._sees_applicant(p))
                | {"waiting_days": _waiting_days(p)}
                for p in proposals
            ],
            "page": params["page"],
            "per_page": params["per_page"],
            "total": total,
        }


def needs_keys(needs: tuple[str, ...]) -> set[str]:
    return {
        key
        for need, keys in (
            ("decree", ("decree_date",)),
            ("agreement", ("nphd_date",)),
            ("disbursement", ("disbursed_on",)),
        )
        if need in needs
        for key in keys
    }


def _waiting_days(proposal: Proposal) -> float:
    return round((datetime.now(UTC) - proposal.stage_since).total_seconds() / 86400, 2)


def _audit_data(data: dict) -> dict:
    """A draft as it goes into the audit log: JSON primitives, no map lookup result."""
    out = {k: v for k, v in data.items() if k != "place"}
    place = data.get("place") or {}
    out["desa_code"] = (place.get("desa") or {}).get("code")
    return out
