"""Filing a report: validation, the per-submitter rate limit, the regency check and duplicates.

Plain functions behind ComplaintsService's entrypoints, given its `Desk`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from servicekit.errors import Invalid, NotFound, TooManyRequests, Unauthorized
from servicekit.payloads import load
from services.complaints import audit, store
from services.complaints.api_keys import api_client
from services.complaints.attributes import validate_attributes
from services.complaints.contract import (
    OPEN_STATUSES,
    STATUS_LABELS,
    SUBMITTED,
    ReportCreateSchema,
)
from services.complaints.desk import Desk
from services.complaints.models import ApiClient, Report, TimelineEntry
from services.complaints.sla import due_for
from services.complaints.views import event_facts, private_view

log = logging.getLogger(__name__)


def create_report(desk: Desk, payload: dict, api_key: str | None = None) -> dict:
    """File a report. Refuses places outside the regency.

    When open reports of the same category lie within the duplicate radius (and the caller
    did not set ignore_duplicates), nothing is filed and they are returned as `duplicates`.
    """
    data = load(ReportCreateSchema(), payload)
    now = datetime.now(UTC)
    client = api_client(desk.db, api_key) if api_key is not None else None
    category = store.get_category(desk.db, data["category"])
    if category is None:
        raise NotFound(
            "Kategori tidak dikenal.", {"category": [f"Tidak ada kategori {data['category']}."]}
        )
    attributes, errors = validate_attributes(category.attributes, data["attributes"])
    if errors:
        raise Invalid("Atribut laporan tidak lengkap atau tidak valid.", errors)
    submitter = _submitter_key(desk, client)
    _check_rate(desk, submitter, client, now)
    place = desk.places.locate(data["lat"], data["lon"])
    if not place.get("inside"):
        raise Invalid(
            "Lokasi berada di luar Kabupaten Serang; laporan hanya untuk wilayah Kabupaten Serang.",
            {
                "lat": ["Lokasi di luar Kabupaten Serang."],
                "lon": ["Lokasi di luar Kabupaten Serang."],
            },
        )
    if not data["ignore_duplicates"] and client is None:
        candidates = nearby_open(desk, category.code, data["lat"], data["lon"])
        if candidates:
            # Nothing is filed: the citizen first sees whether it is one of these.
            return {"report": None, "duplicates": candidates}
    kecamatan, desa = place.get("kecamatan") or {}, place.get("desa") or {}
    report = Report(
        token=str(uuid.uuid4()),
        category_code=category.code,
        category=category,
        agency_code=category.agency_code,
        unit=store.unit_for(desk.db, category.agency_code, kecamatan.get("code"))
        if category.routes_by_area
        else None,
        status=SUBMITTED,
        lat=data["lat"],
        lon=data["lon"],
        desa_code=desa.get("code"),
        desa_name=desa.get("name"),
        kecamatan_code=kecamatan.get("code"),
        kecamatan_name=kecamatan.get("name"),
        address=data["address"],
        description=data["description"],
        attributes=attributes,
        media_url=data["media_url"],
        reporter_user_id=desk.actor.user_id if client is None else None,
        contact_email=data["contact_email"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        submitter_key=submitter,
        source=f"open311:{client.id}" if client else "web",
        created_at=now,
        updated_at=now,
        stage_since=now,
        due_at=due_for(desk.rules.sla, SUBMITTED, now),
        supporters=0,
    )
    store.create_report(desk.db, report)
    entry = TimelineEntry(
        report_id=report.id,
        at=now,
        action="submit",
        from_status=None,
        to_status=SUBMITTED,
        actor_label=client.organisation if client else "Pelapor",
        actor_user_id=desk.actor.user_id,
        note=None,
    )
    store.add_timeline(desk.db, report, entry)
    desk.outbox.add("complaints.report_created", **event_facts(report))
    filed = audit.filed(report, client.id if client else None)
    store.append_audit(desk.db, report, "submit", desk.actor, filed, now)
    log.info("report filed", extra={"public_id": report.public_id, "agency": report.agency_code})
    return {"report": private_view(report, [entry], now), "duplicates": []}


def _submitter_key(desk: Desk, client: ApiClient | None) -> str:
    if client is not None:
        return f"api:{client.id}"
    if desk.actor.user_id is not None:
        return f"user:{desk.actor.user_id}"
    if not desk.client_ip:
        # One shared bucket for every caller without an address would let one abuser
        # fill it for everybody, and a bucket per call would limit nobody: refuse instead
        # (the gateway always sends the address; a caller that does not must sign in).
        raise Unauthorized(
            "Alamat jaringan pengirim tidak diketahui; masuk terlebih dahulu untuk melapor.",
            {"client_ip": ["Laporan tanpa akun memerlukan alamat jaringan pengirim."]},
        )
    return f"ip:{desk.client_ip}"


def _check_rate(desk: Desk, submitter: str, client: ApiClient | None, now: datetime) -> None:
    window = timedelta(seconds=desk.rules.rate_window_seconds)
    limit = desk.rules.api_rate_limit if client else desk.rules.rate_limit
    count, oldest = store.count_recent_reports(desk.db, submitter, now - window)
    if count >= limit:
        retry_after = max(1, int((oldest + window - now).total_seconds()) + 1)
        raise TooManyRequests(
            f"Terlalu banyak laporan dalam waktu singkat (paling banyak {limit} per "
            f"{desk.rules.rate_window_seconds // 60} menit). Coba lagi nanti.",
            retry_after=retry_after,
        )


def nearby_open(desk: Desk, category: str, lat: float, lon: float) -> list[dict]:
    """Open reports of the category nearby, from gis's public layer (it holds open reports only)."""
    found = desk.places.nearby(
        "complaints", lat, lon, desk.rules.duplicate_radius_m, {"category": category}
    )
    reports = {r.public_id: r for r in store.fetch_by_public_ids(desk.db, [f["id"] for f in found])}
    return [
        {
            "public_id": f["id"],
            "category_name": reports[f["id"]].category.name,
            "status_label": STATUS_LABELS[reports[f["id"]].status],
            "distance_m": round(f["distance_m"], 1),
            "description": reports[f["id"]].description[:300],
            "supporters": reports[f["id"]].supporters or 0,
        }
        for f in found
        if f["id"] in reports
        and reports[f["id"]].status in OPEN_STATUSES
        and reports[f["id"]].hidden_at is None
    ]
