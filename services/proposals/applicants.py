"""Applicants: organisation profiles and individual bansos applicants, owned by citizen accounts.

A mixin of ProposalsService (its dependencies: db, actor, gis).
"""

from __future__ import annotations

from datetime import UTC, datetime

from servicekit.entrypoints import rpc
from servicekit.errors import Conflict, Forbidden
from servicekit.payloads import load
from services.proposals import store
from services.proposals.catalogue import INDIVIDUAL, ORGANISATION
from services.proposals.models import Applicant, ApplicantMember
from services.proposals.schemas import IndividualSchema, MemberSchema, OrganisationSchema
from services.proposals.views import applicant_view

STAFF_ROLES = ("verifier", "officer", "budget_team", "admin")


class ApplicantRpc:
    @rpc
    def save_applicant(self, kind: str, payload: dict, applicant_id: int | None = None) -> dict:
        """Create (applicant_id None) or replace an organisation's or an individual's profile.

        The office (or home) is located on the map: its desa and kecamatan are kept, and whether
        it lies in Kabupaten Serang (the domicile rule of hibah is checked on submit).
        """
        self.actor.require_login()
        schema = OrganisationSchema() if kind == ORGANISATION else IndividualSchema()
        data = load(schema, payload)
        now = datetime.now(UTC)
        if applicant_id is None:
            applicant = Applicant(kind=kind, created_by=self.actor.user_id, created_at=now)
            applicant.members = [ApplicantMember(user_id=self.actor.user_id, added_at=now)]
            self.db.add(applicant)
        else:
            applicant = self._own_applicant(applicant_id)
            if applicant.kind != kind:
                raise Conflict(
                    "Jenis pemohon tidak dapat diubah.",
                    {"kind": [f"Pemohon ini {applicant.kind}."]},
                )
        place = self.gis.locate(data["lat"], data["lon"])
        desa, kecamatan = place.get("desa") or {}, place.get("kecamatan") or {}
        for key, value in data.items():
            setattr(applicant, key, value)
        applicant.domicile_inside = bool(place.get("inside"))
        applicant.desa_code, applicant.desa_name = desa.get("code"), desa.get("name")
        applicant.kecamatan_code = kecamatan.get("code")
        applicant.kecamatan_name = kecamatan.get("name")
        if kind == INDIVIDUAL:
            applicant.legal_form = None
        applicant.updated_at = now
        self.db.flush()
        return applicant_view(applicant)

    @rpc
    def my_applicants(self) -> list[dict]:
        """The organisations and individual profiles the caller may act for."""
        self.actor.require_login()
        return [applicant_view(a) for a in store.fetch_applicants_of(self.db, self.actor.user_id)]

    @rpc
    def get_applicant(self, applicant_id: int) -> dict:
        """A profile: its members, and staff (its details are private to them)."""
        applicant = store.get_applicant(self.db, applicant_id)
        if not (
            store.is_member(applicant, self.actor.user_id) or self.actor.has_role(*STAFF_ROLES)
        ):
            raise Forbidden("Profil pemohon ini bukan milik Anda.")
        return applicant_view(applicant)

    @rpc
    def add_member(self, applicant_id: int, payload: dict) -> dict:
        """A member lets another citizen account act for the organisation too."""
        data = load(MemberSchema(), payload)
        applicant = self._own_applicant(applicant_id)
        if applicant.kind != ORGANISATION:
            raise Conflict("Hanya profil lembaga yang dapat memiliki beberapa pengelola.")
        if not store.is_member(applicant, data["user_id"]):
            applicant.members.append(
                ApplicantMember(user_id=data["user_id"], added_at=datetime.now(UTC))
            )
            self.db.flush()
        return applicant_view(applicant)

    def _own_applicant(self, applicant_id: int) -> Applicant:
        self.actor.require_login()
        applicant = store.get_applicant(self.db, applicant_id)
        if not store.is_member(applicant, self.actor.user_id):
            raise Forbidden(
                "Profil pemohon ini bukan milik Anda.",
                {"applicant_id": ["Anda bukan pengelola pemohon ini."]},
            )
        return applicant
