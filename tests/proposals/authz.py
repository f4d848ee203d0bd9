"""Serang Open's part of the authorisation matrix (tests/security/test_authz_matrix.py) for
the routes added after the platform's world: the printable documents. The world's proposals
themselves are built by tests/security/authz_world.py.

The kuitansi of the world's disbursed proposal is printed: its applicant, DINSOS's staff and
an admin get it with the applicant's details; KESRA and BPKAD, who follow the proposal but act
on it no more, get it without them (the matrix searches the PDF's uncompressed text for the
citizen's personal data); anyone else is refused.
"""

from __future__ import annotations

from tests.security.authz_calls import Call

VARIABLES = {"document": "=kuitansi"}
CALLS = {"proposals.print_document": lambda w: Call(values={"public_id": "disbursed"})}
