"""Serang Open's own part of the authorisation matrix (tests/security): the routes added after
the platform's world (issue 16): the printable documents, the application rounds and the
conversation on a proposal. The world's proposals themselves are built by
tests/security/authz_world.py.

The kuitansi of the world's disbursed proposal is printed: its applicant, DINSOS's staff and
an admin get it with the applicant's details; KESRA and BPKAD, who follow the proposal but act
on it no more, get it without them (the matrix searches the PDF's uncompressed text for the
citizen's personal data); anyone else is refused.

The world's rounds (this year's hibah and bansos) are opened by Kesra in
tests/security/authz_world.py, before the world's proposals are submitted. Whoever may keep
rounds is let through and changes nothing: opening the bansos round again is refused (409)
after the caller's check, and its dates are "changed" to the ones it has. The conversation's
routes use the world's proposal (at evaluation: its OPD, not Kesra or BPKAD); a message posted
by whoever may write changes nothing another cell reads; the pages' own print links and
conversation forms (/saya/usulan/<id>/..., /staf/usulan/<id>/...) are called as the API's.

The organisation's standing documents (issue 16) are on its profile in the world
(tests/security/authz_world.py), its KTP twice: a version's file is read with the one now. A
new version is sent with a validity that ends before it starts, refused (422) after the
check of who may keep one: nobody changes the world.

The organisation's details are changed on its form (/saya/pemohon/<id>/ubah) with the values
it has (the world's organisation body, as PUT /api/v1/proposals/organisations/<id> is called):
its member saves them again and nothing another cell reads changes; anyone else is refused.
"""

from __future__ import annotations

from tests.proposals.forms import profile_form
from tests.security.authz_calls import Call
from tests.security.authz_world import PDF

VARIABLES = {"document": "=kuitansi", "round_id": "round"}
# a standing document whose validity ends before it starts: refused after the caller's check
BACKWARDS = {"kind": "sk_kepengurusan", "valid_from": "2025-06-01", "valid_until": "2025-01-01"}
STANDING_FILE = {"file": (PDF, "sk-kepengurusan.pdf")}

CALLS = {
    "proposals.print_document": lambda w: Call(values={"public_id": "disbursed"}),
    "proposals.open_round": lambda w: Call(json=w.values["round_body"]),
    "proposals.change_round": lambda w: Call(
        json={k: w.values["round_body"][k] for k in ("opens_on", "closes_on")}
    ),
    "proposals.post_message": lambda w: Call(json={"body": "Pesan uji matriks."}),
    "workspace.my_proposal_message": lambda w: Call(form={"body": "Pesan uji matriks."}),
    "workspace.staff_proposal_message": lambda w: Call(form={"body": "Pesan uji matriks."}),
    "workspace.my_proposal_print": lambda w: Call(values={"public_id": "disbursed"}),
    "workspace.staff_proposal_print": lambda w: Call(values={"public_id": "disbursed"}),
    "proposals.standing_document": lambda w: Call(values={"document_id": "standing_document"}),
    "workspace.applicant_document": lambda w: Call(values={"document_id": "standing_document"}),
    "workspace.staff_applicant_document": lambda w: Call(
        values={"document_id": "standing_document"}
    ),
    "proposals.upload_standing_document": lambda w: Call(form=BACKWARDS, files=STANDING_FILE),
    "workspace.applicant_document_upload": lambda w: Call(form=BACKWARDS, files=STANDING_FILE),
    "workspace.applicant_update": lambda w: Call(form=profile_form(w.values["organisation_body"])),
}
