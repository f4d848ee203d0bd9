"""Area alerts over HTTP (issue 16): `POST /api/v1/alerts` for anyone (the pages its emails
link to are gateway/complaints/alert_pages.py)."""

from __future__ import annotations

from flask import Blueprint

from gateway.access import PUBLIC
from gateway.api import endpoint, rpc
from gateway.limits import limited
from services.complaints.contract import (
    AlertAcceptedSchema,
    AlertCreateSchema,
    ComplaintsClient,
)

blueprint = Blueprint("complaint_alerts", __name__)
complaints = ComplaintsClient(rpc)


@blueprint.post("/api/v1/alerts")
@limited("anonymous_report")
@endpoint(
    "Berlangganan peringatan laporan di suatu wilayah",
    tags=("Pengaduan",),
    body=AlertCreateSchema,
    response=AlertAcceptedSchema,
    status=202,
    errors=(422, 429),
    access=PUBLIC,
)
def create_alert(body):
    """An email address hears of every new report of the chosen `categories` in one area: a
    `kecamatan` (code), a `desa` (code), or a point (`lat`, `lon`) with `radius_m` (100 to
    5000). Nothing is sent before the address opens the confirmation link emailed to it; every
    alert email carries a link that ends the alert. The answer is the same whatever the
    address (at most 10 alerts per address; a request over it changes nothing).

    Aturan antar-kolom (422 naming the field): exactly one area; a point needs `lat`, `lon`
    and `radius_m`; the codes are known kecamatan, desa and active categories."""
    return complaints.create_alert(body)
