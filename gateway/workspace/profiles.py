"""An applicant's profile page (/saya/pemohon/<id>): the profile, its details changed by its
members on /saya/pemohon/<id>/ubah, and for an organisation its standing documents (akta
pendirian, SK Kemenkumham, SK kepengurusan, NPWP, KTP ketua, surat keterangan domisili) with
their validity, a form to upload or replace each, and the versions replaced before; every
proposal's checklist reuses them (issue 16). Their files for the applicant's members
(/saya/pemohon/<id>/dokumen/<n>) and at the staff desk (/staf/pemohon/<id>/dokumen/<n>).

The same calls as the API: the proposals service decides who may see, change and keep what.
A profile's details are saved by the RPC of PUT /api/v1/proposals/organisations/<id> (and
individuals/<id>), which its members alone may call; only they are offered the form, since the
service would refuse anyone else's save.
"""

from __future__ import annotations

from flask import g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import APPLICANT_READERS, DOCUMENT_DESK, OWNER, access
from gateway.api import rpc
from gateway.problems import Problem
from gateway.proposals.standing import standing_file, store_standing
from gateway.workspace.applicant_fields import (
    people_rows,
    placed_errors,
    stored_values,
    typed_profile,
)
from gateway.workspace.common import blueprint, signed_in_only, staff_only, submit_form
from servicekit.errors import ServiceError
from services.proposals.contract import LEGAL_FORMS, ORGANISATION, ProposalsClient

proposals = ProposalsClient(rpc)
DONE = {"dokumen": "Dokumen tersimpan di profil lembaga", "profil": "Profil pemohon tersimpan"}
NOT_A_MEMBER = "Profil pemohon ini bukan milik Anda: hanya pengelolanya yang dapat mengubahnya."
PEOPLE_HINT = (
    "Kosongkan semua isian satu baris untuk menghapus pengurus itu; baris kosong terakhir "
    "untuk menambah pengurus (paling banyak 10)."
)


@blueprint.get("/saya/pemohon/<int:applicant_id>")
@access(APPLICANT_READERS)
@signed_in_only
def applicant_profile(applicant_id: int):
    return _profile_page(applicant_id, done=DONE.get(request.args.get("ok", "")))


@blueprint.get("/saya/pemohon/<int:applicant_id>/ubah")
@access(OWNER)
@signed_in_only
def applicant_edit(applicant_id: int):
    """The profile's details in a form, filled with what is kept now."""
    applicant = proposals.get_applicant(applicant_id)
    return _edit_page(applicant, values=stored_values(applicant))


@blueprint.post("/saya/pemohon/<int:applicant_id>/ubah")
@access(OWNER)
@signed_in_only
def applicant_update(applicant_id: int):
    """Save the profile's details, replaced whole as by PUT /api/v1/proposals/organisations/<id>
    (or individuals/<id>): back to the profile, or the form again with each refused field
    named and everything typed kept. A refusal of who is asking (403, 404) is the error page."""
    applicant = proposals.get_applicant(applicant_id)
    typed = typed_profile(applicant["kind"])
    try:
        proposals.save_applicant(typed.kind, typed.schema.load(typed.body), applicant_id)
    except ValidationError as exc:
        return _edit_page(applicant, "Periksa isian.", exc.messages, 422, typed.rows)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return _edit_page(applicant, exc.message, exc.errors, exc.status, typed.rows)
    return redirect(f"/saya/pemohon/{applicant_id}?ok=profil", 303)


@blueprint.post("/saya/pemohon/<int:applicant_id>/dokumen")
@access(OWNER)
@signed_in_only
def applicant_document_upload(applicant_id: int):
    """A new version of one standing document, with its validity."""
    back = f"/saya/pemohon/{applicant_id}"

    def upload():
        store_standing(applicant_id, "file")

    return submit_form(_profile_page, back, applicant_id, upload, "dokumen")


@blueprint.get("/saya/pemohon/<int:applicant_id>/dokumen/<int:document_id>")
@access(APPLICANT_READERS)
@signed_in_only
def applicant_document(applicant_id: int, document_id: int):
    return standing_file(applicant_id, document_id)


@blueprint.get("/staf/pemohon/<int:applicant_id>/dokumen/<int:document_id>")
@access(DOCUMENT_DESK)
@staff_only
def staff_applicant_document(applicant_id: int, document_id: int):
    """A standing document a proposal at the desk rests on (any version, a replaced one too)."""
    return standing_file(applicant_id, document_id)


def _profile_page(applicant_id, done=None, error=None, errors=None, status=200):
    applicant = proposals.get_applicant(applicant_id)
    organisation = applicant["kind"] == ORGANISATION
    page = render_template(
        "applicant_profile.html",
        a=applicant,
        standing=proposals.standing_documents(applicant_id) if organisation else None,
        member=g.actor.user_id in applicant["member_user_ids"],
        done=done,
        error=error,
        errors=errors or {},
        values=request.form,
    )
    return page, status


def _edit_page(applicant, error=None, errors=None, status=200, rows=(), values=None):
    """The form, for the profile's members only: staff and admins who may read the profile may
    not change it (the service refuses their save), so they are not offered it."""
    if g.actor.user_id not in applicant["member_user_ids"]:
        raise Problem(403, NOT_A_MEMBER, {"applicant_id": ["Anda bukan pengelola pemohon ini."]})
    values = request.form if values is None else values
    summary, beside = placed_errors(errors, list(rows))
    page = render_template(
        "applicant_edit.html",
        a=applicant,
        kind=applicant["kind"],
        legal_forms=LEGAL_FORMS,
        people_rows=people_rows(values) if applicant["kind"] == ORGANISATION else (),
        people_hint=PEOPLE_HINT,
        error=error,
        errors=summary,
        field_errors=beside,
        values=values,
    )
    return page, status
