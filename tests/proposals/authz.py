"""Serang Open's own part of the authorisation matrix (tests/security): the application rounds
and the conversation on a proposal.

The world's rounds (this year's hibah and bansos) are opened by Kesra in
tests/security/authz_world.py, before the world's proposals are submitted. Whoever may keep
rounds is let through and changes nothing: opening the bansos round again is refused (409)
after the caller's check, and its dates are "changed" to the ones it has. The conversation's
routes use the world's proposal (at evaluation: its OPD, not Kesra or BPKAD); a message posted
by whoever may write changes nothing another cell reads.
"""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES = {"round_id": "round"}

CALLS = {
    "proposals.open_round": lambda w: Call(json=w.values["round_body"]),
    "proposals.change_round": lambda w: Call(
        json={k: w.values["round_body"][k] for k in ("opens_on", "closes_on")}
    ),
    "proposals.post_message": lambda w: Call(json={"body": "Pesan uji matriks."}),
}
