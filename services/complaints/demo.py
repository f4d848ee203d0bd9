"""Demo data of the complaints service: `python -m services.complaints.demo` (run by `make run`).

- An Open311 api_key for a demo organisation: OPEN311_DEMO_API_KEY when set, otherwise one
  generated on the first run and kept in var/open311_demo_api_key.
- Ten reports of damaged roads, bridges, drains and street lights in every status (two of them
  overdue, so the staff queue shows what a real one does), each with its timeline and its
  private audit log (one entry per step, by the demo loader).
  `--reporter-user-id N` (make demo passes warga@gawe.example's id) makes three of them that
  citizen's own, so /saya is not empty. The desa and kecamatan are written as gis.locate
  answers for these desa centres; the map layer and the emails follow from one
  complaints.report_created event per report left in the outbox, published once the service
  runs. Written to the database directly (the services need not run).

Idempotent: a report whose description already exists is left alone.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicekit.config import database_url, env_str, var_dir
from servicekit.database import make_engine
from servicekit.outbox import record_event
from services.complaints import store
from services.complaints.api_keys import hash_key
from services.complaints.attributes import validate_attributes
from services.complaints.contract import RESOLVED, SUBMITTED, TRANSITIONS
from services.complaints.dependencies import load_rules
from services.complaints.models import ApiClient, Report, TimelineEntry, outbox
from services.complaints.sla import due_for
from services.complaints.views import event_facts

DEMO_ORGANISATION = "Organisasi Demo (Open311)"


def demo_api_key() -> str:
    configured = env_str("OPEN311_DEMO_API_KEY")
    if configured:
        return configured
    path = var_dir() / "open311_demo_api_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(24)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_demo_api_client(session: Session, key: str) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.organisation == DEMO_ORGANISATION))
    if client is None:
        client = ApiClient(organisation=DEMO_ORGANISATION, created_at=datetime.now(UTC))
        session.add(client)
    client.key_hash, client.key_prefix, client.active = hash_key(key), key[:8], True
    session.commit()
    return client


# (desa code, desa, kecamatan code, kecamatan, lat, lon): published desa centres
PLACES = {
    "cikande": ("36.04.15.2001", "Cikande", "36.04.15", "Cikande", -6.221767, 106.357692),
    "parigi": ("36.04.15.2004", "Parigi", "36.04.15", "Cikande", -6.196016, 106.36142),
    "tirtayasa": ("36.04.13.2001", "Tirtayasa", "36.04.13", "Tirtayasa", -6.017007, 106.329273),
    "kebon": ("36.04.13.2005", "Kebon", "36.04.13", "Tirtayasa", -5.996909, 106.299258),
    "puser": ("36.04.13.2014", "Puser", "36.04.13", "Tirtayasa", -6.031897, 106.319491),
    "sasahan": ("36.04.06.2005", "Sasahan", "36.04.06", "Waringinkurung", -6.114673, 106.049178),
    "binangun": ("36.04.06.2003", "Binangun", "36.04.06", "Waringinkurung", -6.098669, 106.067967),
    "kemuning": ("36.04.06.2011", "Kemuning", "36.04.06", "Waringinkurung", -6.089173, 106.088588),
    "kramatwatu": ("36.04.05.2001", "Kramatwatu", "36.04.05", "Kramatwatu", -6.065263, 106.119018),
    "margasana": ("36.04.05.2002", "Margasana", "36.04.05", "Kramatwatu", -6.0642, 106.13578),
}
ROAD = {"panjang_kerusakan_m": 2000, "tingkat_kerusakan": "berat", "jenis_jalan": "kabupaten"}


class DemoReport(NamedTuple):
    description: str
    category: str
    place: str
    attributes: dict
    actions: tuple[str, ...] = ()  # after filing, by the agency, spread evenly until now
    notes: tuple[str | None, ...] = ()  # one per action
    days_ago: int = 0  # filed
    own: bool = False  # the demo citizen's (else anonymous with a contact email)


REPORTS = [
    DemoReport(
        "Jalan Raya Cikande–Rangkasbitung berlubang dan amblas sekitar 2 km, motor sering jatuh.",
        "jalan-rusak",
        "cikande",
        ROAD,
        ("verify", "forward", "start"),
        ("Sudah dicek UPT Jalan Wilayah III.", None, "Penambalan dijadwalkan pekan ini."),
        days_ago=12,
        own=True,
    ),
    DemoReport(  # overdue: not verified after 9 days
        "Jalan desa menuju TPI Tirtayasa rusak sepanjang 350 m, tergenang saat hujan.",
        "jalan-rusak",
        "tirtayasa",
        {"panjang_kerusakan_m": 350, "tingkat_kerusakan": "sedang", "jenis_jalan": "desa"},
        days_ago=9,
    ),
    DemoReport(
        "Oprit jembatan di Sasahan retak dan turun, kendaraan berat masih lewat.",
        "jembatan-rusak",
        "sasahan",
        {"tingkat_kerusakan": "berat", "nama_jembatan": "Cibanten"},
        ("verify", "forward"),
        ("Perlu kajian teknis bidang Bina Marga.", None),
        days_ago=4,
    ),
    DemoReport(
        "Saluran di depan SDN Kebon tersumbat sampah, halaman sekolah tergenang.",
        "drainase-banjir",
        "kebon",
        {"tinggi_genangan_cm": 30, "lama_genangan": "hari"},
        ("verify",),
        ("Lokasi sesuai foto warga.",),
        days_ago=2,
    ),
    DemoReport(
        "Tiga lampu PJU mati di Jalan Margasana dekat pasar, rawan begal malam hari.",
        "lampu-jalan",
        "margasana",
        {"jumlah_lampu_mati": 3, "nomor_tiang": "PJU-KW-118"},
        ("verify", "forward", "start", "resolve"),
        (None, None, None, "Tiga lampu sudah diganti LED 60 W."),
        days_ago=8,
        own=True,
    ),
    DemoReport(
        "Jalan Parigi–Koper retak ringan sepanjang 800 m.",
        "jalan-rusak",
        "parigi",
        {"panjang_kerusakan_m": 800, "tingkat_kerusakan": "ringan", "jenis_jalan": "kabupaten"},
        ("verify", "forward", "start", "resolve", "close"),
        (None, None, None, "Sudah dilapis ulang.", None),
        days_ago=45,
    ),
    DemoReport(
        "Jalan Binangun–Pandeglang rusak berat 5 km.",
        "jalan-rusak",
        "binangun",
        {"panjang_kerusakan_m": 5000, "tingkat_kerusakan": "berat", "jenis_jalan": "provinsi"},
        ("reject",),
        ("Jalan provinsi: kewenangan UPTD PJJ Provinsi Banten; laporan sudah kami teruskan.",),
        days_ago=20,
        own=True,
    ),
    DemoReport("Papan nama kantor desa roboh menutup trotoar.", "lainnya", "kramatwatu", {}),
    DemoReport(  # overdue: forwarded 10 days ago, no first response from the agency yet
        "Jalan lingkungan di Puser berlubang besar di tikungan, sudah ada korban jatuh.",
        "jalan-rusak",
        "puser",
        {"panjang_kerusakan_m": 120, "tingkat_kerusakan": "berat", "jenis_jalan": "lingkungan"},
        ("verify", "forward"),
        (None, None),
        days_ago=30,
    ),
    DemoReport(
        "Lampu jalan di depan masjid Kemuning berkedip lalu mati sejak sepekan.",
        "lampu-jalan",
        "kemuning",
        {"jumlah_lampu_mati": 1},
        days_ago=1,
    ),
]


def load_demo_reports(session: Session, reporter_user_id: int | None) -> int:
    """The demo reports; returns how many were added."""
    rules, now, added = load_rules(None), datetime.now(UTC), 0
    for index, demo in enumerate(REPORTS):
        if session.scalar(select(Report.id).where(Report.description == demo.description)):
            continue
        category = store.get_category(session, demo.category)
        attributes, errors = validate_attributes(category.attributes, demo.attributes)
        if errors:
            raise ValueError(f"demo report {index}: {errors}")
        desa_code, desa, kec_code, kecamatan, lat, lon = PLACES[demo.place]
        filed = now - timedelta(days=demo.days_ago, hours=index)
        report = Report(
            token=str(uuid.uuid4()),
            category_code=demo.category,
            category=category,
            agency_code=category.agency_code,
            unit=store.unit_for(session, category.agency_code, kec_code)
            if category.routes_by_area
            else None,
            status=SUBMITTED,
            lat=lat + 0.0004 * (index % 3),
            lon=lon + 0.0004 * (index % 2),
            desa_code=desa_code,
            desa_name=desa,
            kecamatan_code=kec_code,
            kecamatan_name=kecamatan,
            description=demo.description,
            attributes=attributes,
            reporter_user_id=reporter_user_id if demo.own else None,
            contact_email=None if demo.own else f"pelapor.demo{index}@contoh.id",
            submitter_key=f"demo:{index}",
            source="web",
            created_at=filed,
            updated_at=filed,
            stage_since=filed,
            due_at=due_for(rules.sla, SUBMITTED, filed),
            supporters=index % 4,
        )
        store.create_report(session, report)
        _timeline(session, report, "submit", None, "Pelapor", None, filed)
        step_at = filed
        for action, note in zip(demo.actions, demo.notes, strict=True):
            step_at += (now - filed) / (len(demo.actions) + 1)
            transition = TRANSITIONS[action]
            _timeline(session, report, action, report.status, report.agency_code, note, step_at)
            report.status, report.status_note = transition.target, note
            report.updated_at = report.stage_since = step_at
            report.due_at = due_for(rules.sla, report.status, step_at)
            if report.status == RESOLVED:
                report.resolved_at = step_at
        record_event(session, outbox, "complaints.report_created", **event_facts(report))
        _audit_demo(session, report)
        added += 1
    session.commit()
    return added


def _timeline(session, report, action, previous, actor, note, at) -> None:
    store.add_timeline(
        session,
        report,
        TimelineEntry(
            report_id=report.id,
            at=at,
            action=action,
            from_status=previous,
            to_status=TRANSITIONS[action].target if action != "submit" else SUBMITTED,
            actor_label=actor,
            note=note,
        ),
    )


def _audit_demo(session: Session, report: Report) -> None:
    """Its private audit log (issue 17), one entry per step of its timeline, made by nobody (the
    demo loader), so Inspektorat's demo account has logs to read and verify."""
    for entry in store.fetch_timeline(session, [report.id])[report.id]:
        data = {"from_status": entry.from_status, "to_status": entry.to_status}
        data |= {"note": entry.note, "shown_as": entry.actor_label, "source": "demo"}
        store.append_audit(session, report, entry.action, None, data, entry.at)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporter-user-id", type=int, help="the citizen who owns three reports")
    args = parser.parse_args(argv)
    engine = make_engine(database_url("complaints"))
    key = demo_api_key()
    with Session(engine) as session:
        load_demo_api_client(session, key)
        added = load_demo_reports(session, args.reporter_user_id)
        total = session.scalar(select(func.count(Report.id)))
    engine.dispose()
    print(f"Pengaduan: {added} laporan demo ditambahkan ({total} laporan): /pengaduan")
    print(f"Open311 api_key untuk {DEMO_ORGANISATION}: {key}")
    print(
        "  contoh: curl -s -X POST 127.0.0.1:8000/open311/v2/requests.json -d api_key=... "
        "-d service_code=lampu-jalan -d lat=-6.1405 -d long=106.2213 -d 'description=Lampu mati' "
        "-d 'attribute[jumlah_lampu_mati]=3'"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
