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
by whoever may write changes nothing another cell reads.
"""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES = {"document": "=kuitansi", "round_id": "round"}

CALLS = {
    "proposals.print_document": lambda w: Call(values={"public_id": "disbursed"}),
    "proposals.open_round": lambda w: Call(json=w.values["round_body"]),
    "proposals.change_round": lambda w: Call(
        json={k: w.values["round_body"][k] for k in ("opens_on", "closes_on")}
    ),
    "proposals.post_message": lambda w: Call(json={"body": "Pesan uji matriks."}),
}
