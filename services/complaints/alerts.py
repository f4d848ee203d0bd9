"""Area alerts (issue 16): the rules behind ComplaintsService's alert entrypoints.

Anyone subscribes an address to new reports of chosen categories in a kecamatan, a desa or a
radius around a point. Nothing is sent before the address confirms (the email of
`complaints.alert_requested`); every alert email carries a link that ends the alert. The
address and both links' codes stay in this database: events carry the alert's id, and
notifications asks `alert_contact` for the rest.

Limits: at most MAX_ALERTS_PER_ADDRESS alerts not ended per address, counting the unconfirmed
ones of the last day (so at most that many confirmation emails a day, and nobody fills another
address's quota for good); a request over it is answered like any other and changes nothing,
so the answer never tells what an address has. A radius is at most MAX_RADIUS_M.
"""

from __future__ import annotations

import logging
import math
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select

from servicekit.errors import Invalid, NotFound
from servicekit.geo.locating import haversine_m
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract.alerts import (
    ALERT_MATCHED,
    ALERT_REQUESTED,
    MAX_RADIUS_M,
    AlertCreateSchema,
)
from services.complaints.desk import Desk
from services.complaints.models import Alert, AlertDelivery, Report

log = logging.getLogger(__name__)

MAX_ALERTS_PER_ADDRESS = 10
UNCONFIRMED_COUNTS = timedelta(days=1)
ACCEPTED = (
    "Permintaan diterima. Jika alamat email itu benar, kami mengirim tautan konfirmasi ke sana; "
    "peringatan baru dikirim setelah Anda mengonfirmasinya."
)


def create_alert(desk: Desk, payload: dict) -> dict:
    """Record an alert waiting for its confirmation, and the event that emails the link."""
    data = load(AlertCreateSchema(), payload)
    categories = _known_categories(desk, data["categories"])
    kind, code, name = _area(desk, data)
    email = data["email"].strip().lower()
    now = datetime.now(UTC)
    active = desk.db.scalar(
        select(func.count(Alert.id)).where(
            Alert.email == email,
            Alert.unsubscribed_at.is_(None),
            # one never confirmed stops counting after a day: nobody fills another's quota
            Alert.confirmed_at.is_not(None) | (Alert.created_at > now - UNCONFIRMED_COUNTS),
        )
    )
    if active >= MAX_ALERTS_PER_ADDRESS:
        log.info("alert not recorded: the address has reached its limit")
        return {"message": ACCEPTED}
    alert = Alert(
        email=email,
        kind=kind,
        area_code=code,
        area_name=name,
        lat=data.get("lat"),
        lon=data.get("lon"),
        radius_m=data.get("radius_m"),
        categories=categories,
        confirm_code=secrets.token_urlsafe(24),
        unsubscribe_code=secrets.token_urlsafe(24),
        created_at=now,
    )
    desk.db.add(alert)
    desk.db.flush()
    desk.outbox.add(ALERT_REQUESTED, alert_id=alert.id)
    log.info("alert requested", extra={"alert_id": alert.id, "kind": kind})
    return {"message": ACCEPTED}


def confirm_alert(desk: Desk, code: str) -> dict:
    alert = _by_code(desk, Alert.confirm_code, code)
    if alert.unsubscribed_at is None and alert.confirmed_at is None:
        alert.confirmed_at = datetime.now(UTC)
        log.info("alert confirmed", extra={"alert_id": alert.id})
    return _link_view(desk, alert)


def unsubscribe_alert(desk: Desk, code: str) -> dict:
    alert = _by_code(desk, Alert.unsubscribe_code, code)
    if alert.unsubscribed_at is None:
        alert.unsubscribed_at = datetime.now(UTC)
        log.info("alert ended", extra={"alert_id": alert.id})
    return _link_view(desk, alert)


def alert_contact(desk: Desk, alert_id: int) -> dict:
    """Where an alert's emails go, with the codes of its links (for notifications only). An
    ended alert has no address any more: nothing more is sent to it."""
    alert = desk.db.get(Alert, alert_id)
    if alert is None:
        raise NotFound("Peringatan tidak ditemukan.")
    if alert.unsubscribed_at is not None:
        return {"user_id": None, "email": None, "name": None, "values": {}}
    return {
        "user_id": None,
        "email": alert.email,
        "name": None,
        "values": {
            "kode_konfirmasi": alert.confirm_code,
            "kode_berhenti": alert.unsubscribe_code,
            "wilayah": alert.area_name,
            "kategori": ", ".join(_link_view(desk, alert)["categories"]),
        },
    }


def match_report(desk: Desk, report_id: int) -> int:
    """A new report: one `alert_matched` event per alert confirmed before it came in whose area
    and categories it lies in, once per (alert, report) however often the report's event
    comes."""
    report = desk.db.get(Report, report_id)
    if report is None or report.public_id is None:
        return 0
    told = set(
        desk.db.scalars(select(AlertDelivery.alert_id).where(AlertDelivery.report_id == report.id))
    )
    degrees = MAX_RADIUS_M / 111_000
    candidates = desk.db.scalars(
        select(Alert).where(
            Alert.confirmed_at.is_not(None),
            Alert.confirmed_at <= report.created_at,  # new reports only, even if heard late
            Alert.unsubscribed_at.is_(None),
            or_(
                (Alert.kind == "kecamatan") & (Alert.area_code == report.kecamatan_code),
                (Alert.kind == "desa") & (Alert.area_code == report.desa_code),
                (Alert.kind == "radius")
                & Alert.lat.between(report.lat - degrees, report.lat + degrees)
                & Alert.lon.between(
                    report.lon - degrees / max(math.cos(math.radians(report.lat)), 0.1),
                    report.lon + degrees / max(math.cos(math.radians(report.lat)), 0.1),
                ),
            ),
        )
    )
    now, matched = datetime.now(UTC), 0
    for alert in candidates:
        if alert.id in told or report.category_code not in (alert.categories or []):
            continue
        if alert.kind == "radius" and (
            haversine_m(alert.lat, alert.lon, report.lat, report.lon) > alert.radius_m
        ):
            continue
        desk.db.add(AlertDelivery(alert_id=alert.id, report_id=report.id, created_at=now))
        desk.outbox.add(
            ALERT_MATCHED,
            alert_id=alert.id,
            report_id=report.id,
            public_id=report.public_id,
            category=report.category_code,
            category_name=report.category.name,
            area=alert.area_name,
            kecamatan_name=report.kecamatan_name,
            desa_name=report.desa_name,
            lat=report.lat,
            lon=report.lon,
        )
        matched += 1
    return matched


def _known_categories(desk: Desk, codes: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(codes))
    unknown = [c for c in wanted if store.get_category(desk.db, c) is None]
    if unknown:
        raise Invalid(
            "Kategori tidak dikenal.",
            {"categories": [f"Tidak ada kategori {', '.join(unknown)}."]},
        )
    return wanted


def _area(desk: Desk, data: dict) -> tuple[str, str | None, str]:
    """The alert's kind, area code and area in words; an unknown code is named (422)."""
    if data.get("radius_m") is not None:
        return (
            "radius",
            None,
            f"radius {data['radius_m']} m dari {data['lat']:.5f}, {data['lon']:.5f}",
        )
    level = "kecamatan" if data.get("kecamatan") else "desa"
    code = data[level].strip()
    try:
        feature = desk.places.feature(level, code)
    except NotFound:
        raise Invalid(
            f"{level.capitalize()} tidak dikenal.",
            {level: [f"Tidak ada {level} dengan kode {code}."]},
        ) from None
    name = feature["properties"]["nama"]
    return level, code, f"{'Kecamatan' if level == 'kecamatan' else 'Desa'} {name}"


def _by_code(desk: Desk, column, code: str) -> Alert:
    alert = desk.db.scalar(select(Alert).where(column == (code or "")[:64])) if code else None
    if alert is None:
        raise NotFound(
            "Tautan tidak berlaku.", {"kode": ["Tautan ini tidak dikenal atau sudah diganti."]}
        )
    return alert


def _link_view(desk: Desk, alert: Alert) -> dict:
    names = {c: (store.get_category(desk.db, c, include_inactive=True)) for c in alert.categories}
    return {
        "status": "unsubscribed" if alert.unsubscribed_at else "confirmed",
        "area": alert.area_name,
        "categories": [names[c].name if names[c] else c for c in alert.categories],
    }
