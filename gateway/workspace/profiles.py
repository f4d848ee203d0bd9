"""An applicant's profile page (/saya/pemohon/<id>): the profile, and for an organisation its
standing documents (akta pendirian, SK Kemenkumham, SK kepengurusan, NPWP, KTP ketua, surat
keterangan domisili) with their validity, a form to upload or replace each, and the versions
replaced before; every proposal's checklist reuses them (issue 16). Their files for the
applicant's members (/saya/pemohon/<id>/dokumen/<n>) and at the staff desk
(/staf/pemohon/<id>/dokumen/<n>).

The same calls as the API: the proposals service decides who may see and keep what.
"""

from __future__ import annotations

from flask import g, render_template, request

from gateway.access import APPLICANT_READERS, DOCUMENT_DESK, OWNER, access
from gateway.api import rpc
from gateway.proposals.standing import standing_file, store_standing
from gateway.workspace.common import blueprint, signed_in_only, staff_only, submit_form
from services.proposals.contract import ORGANISATION, ProposalsClient

proposals = ProposalsClient(rpc)
DONE = {"dokumen": "Dokumen tersimpan di profil lembaga"}


@blueprint.get("/saya/pemohon/<int:applicant_id>")
@access(APPLICANT_READERS)
@signed_in_only
def applicant_profile(applicant_id: int):
    return _profile_page(applicant_id, done=DONE.get(request.args.get("ok", "")))


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
