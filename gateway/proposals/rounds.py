"""Serang Open's application rounds (`/api/v1/proposals/rounds`), on the proposals blueprint:
the schedule is public; Bagian Kesra's staff and admins open a round and change its dates.
gateway/proposals/rest.py imports this module, so the blueprint carries these routes too.
"""

from __future__ import annotations

from gateway.access import PUBLIC, ROUND_KEEPERS
from gateway.api import endpoint
from gateway.proposals.rest import BASE, STAFF_TAGS, TAGS, blueprint, proposals
from services.proposals.contract import RoundDatesSchema, RoundOutSchema, RoundSchema

KEEPERS = ("verifier", "officer", "admin")


@blueprint.get(f"{BASE}/rounds")
@endpoint(
    "Jadwal masa pengajuan",
    tags=TAGS,
    response=RoundOutSchema,
    many=True,
    access=PUBLIC,
)
def rounds():
    """Every application round, newest budget year first: its kind, opening and closing dates
    and whether it is open today (WIB). A proposal is submitted only while its round is open."""
    return proposals.rounds()


@blueprint.post(f"{BASE}/rounds")
@endpoint(
    "Buka masa pengajuan",
    tags=STAFF_TAGS,
    body=RoundSchema,
    response=RoundOutSchema,
    status=201,
    roles=KEEPERS,
    errors=(403, 409, 422),
    access=ROUND_KEEPERS,
)
def open_round(body):
    """Bagian Kesra (PROPOSALS_ADMIN_AGENCY) or an admin open the round of a budget year and
    kind (hibah, bansos), one per year and kind (409 if it exists).

    Aturan antar-kolom (422 naming the field): `closes_on` is not before `opens_on`."""
    return proposals.open_round(body)


@blueprint.put(f"{BASE}/rounds/<int:round_id>")
@endpoint(
    "Ubah tanggal masa pengajuan",
    tags=STAFF_TAGS,
    body=RoundDatesSchema,
    response=RoundOutSchema,
    roles=KEEPERS,
    errors=(403, 404, 422),
    access=ROUND_KEEPERS,
)
def change_round(round_id, body):
    """Bagian Kesra or an admin move a round's opening or closing date (to extend it, say).

    Aturan antar-kolom (422 naming the field): `closes_on` is not before `opens_on`."""
    return proposals.change_round(round_id, body)
