"""The complaints service: citizens report, agencies handle, everyone follows."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from servicekit.context import GATEWAY, CallContext, ClientAddress
from servicekit.database import Database
from servicekit.entrypoints import rpc
from servicekit.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorized
from servicekit.health import HealthRpc
from servicekit.outbox import Outbox, OutboxRelay
from servicekit.payloads import load
from servicekit.rpc import ServiceRpc
from services.complaints import store
from services.complaints.api_keys import Open311Keys
from services.complaints.attributes import validate_attributes
from services.complaints.contract import (
    DUPLICATE,
    OPEN_STATUSES,
    RESOLVED,
    STATUS_LABELS,
    SUBMITTED,
    CategorySchema,
    ReportCreateSchema,
    TransitionSchema,
)
from services.complaints.dependencies import Rules
from services.complaints.lifecycle import authorize, plan
from services.complaints.models import ApiClient, Category, Photo, Report, TimelineEntry, outbox
from services.complaints.photos import photo_kind
from services.complaints.queries import ReportQueries
from services.complaints.sla import due_for
from services.complaints.views import event_facts, private_view
from services.gis.contract import GisClient

log = logging.getLogger(__name__)


class ComplaintsService(ReportQueries, Open311Keys, HealthRpc, OutboxRelay):
    name = "complaints"

    db = Database("complaints")
    outbox = Outbox(outbox)
    actor = CallContext()
    client_ip = ClientAddress()
    rules = Rules()
    gis = ServiceRpc("gis")

    @property
    def places(self) -> GisClient:
        """The gis service, through its contract's typed client."""
        return GisClient.over(self.gis)

    # --- categories (Open311 services) -------------------------------------------------

    @rpc
    def list_categories(self) -> list[dict]:
        """Active categories with their attributes (Open311 services and definitions)."""
        return [_category(c) for c in store.fetch_categories(self.db)]

    @rpc
    def get_category(self, code: str) -> dict:
        category = store.get_category(self.db, code)
        if category is None:
            raise NotFound(
                "Kategori tidak ditemukan.", {"service_code": [f"Tidak ada kategori {code}."]}
            )
        return _category(category)

    @rpc
    def save_category(self, payload: dict) -> dict:
        """Admins add or change a category: its agency, area routing and attributes."""
        self.actor.require_role("admin")
        data = load(CategorySchema(), payload)
        category = self.db.get(Category, data["code"]) or Category(code=data["code"])
        for key, value in data.items():
            setattr(category, key, value)
        self.db.add(category)
        return _category(category)

    # --- filing -----------------------------------------------------------------------------

    @rpc
    def create_report(self, payload: dict, api_key: str | None = None) -> dict:
        """File a report. Refuses places outside the regency.

        When open reports of the same category lie within the duplicate radius (and the caller
        did not set ignore_duplicates), nothing is filed and they are returned as `duplicates`.
        """
        data = load(ReportCreateSchema(), payload)
        now = datetime.now(UTC)
        client = self._api_client(api_key) if api_key is not None else None
        category = store.get_category(self.db, data["category"])
        if category is None:
            raise NotFound(
                "Kategori tidak dikenal.", {"category": [f"Tidak ada kategori {data['category']}."]}
            )
        attributes, errors = validate_attributes(category.attributes, data["attributes"])
        if errors:
            raise Invalid("Atribut laporan tidak lengkap atau tidak valid.", errors)
        submitter = self._submitter_key(client)
        self._check_rate(submitter, client, now)
        place = self.places.locate(data["lat"], data["lon"])
        if not place.get("inside"):
            raise Invalid(
                "Lokasi berada di luar Kabupaten Serang; laporan hanya untuk wilayah Kabupaten Serang.",
                {
                    "lat": ["Lokasi di luar Kabupaten Serang."],
                    "lon": ["Lokasi di luar Kabupaten Serang."],
                },
            )
        if not data["ignore_duplicates"] and client is None:
            candidates = self._nearby_open(category.code, data["lat"], data["lon"])
            if candidates:
                # Nothing is filed: the citizen first sees whether it is one of these.
                return {"report": None, "duplicates": candidates}
        kecamatan, desa = place.get("kecamatan") or {}, place.get("desa") or {}
        report = Report(
            token=str(uuid.uuid4()),
            category_code=category.code,
            category=category,
            agency_code=category.agency_code,
            unit=store.unit_for(self.db, category.agency_code, kecamatan.get("code"))
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
            reporter_user_id=self.actor.user_id if client is None else None,
            contact_email=data["contact_email"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            submitter_key=submitter,
            source=f"open311:{client.id}" if client else "web",
            created_at=now,
            updated_at=now,
            stage_since=now,
            due_at=due_for(self.rules.sla, SUBMITTED, now),
            supporters=0,
        )
        store.create_report(self.db, report)
        entry = TimelineEntry(
            report_id=report.id,
            at=now,
            action="submit",
            from_status=None,
            to_status=SUBMITTED,
            actor_label=client.organisation if client else "Pelapor",
            actor_user_id=self.actor.user_id,
            note=None,
        )
        store.add_timeline(self.db, entry)
        self.outbox.add("complaints.report_created", **event_facts(report))
        log.info(
            "report filed", extra={"public_id": report.public_id, "agency": report.agency_code}
        )
        return {"report": private_view(report, [entry], now), "duplicates": []}

    @rpc
    def nearby_open_reports(self, category: str, lat: float, lon: float) -> list[dict]:
        """Open reports of a category within the duplicate radius, nearest first."""
        return self._nearby_open(category, lat, lon)

    # --- acting -----------------------------------------------------------------------------

    @rpc
    def transition(self, public_id: str, payload: dict) -> dict:
        """Move a report through its lifecycle; only the actor each step allows, from the right state."""
        data = load(TransitionSchema(), payload)
        report = store.get_report(self.db, public_id, for_update=True)
        transition = plan(data["action"], report.status, data["note"])
        authorize(transition, self.actor, report.agency_code, report.reporter_user_id)
        now = datetime.now(UTC)
        if transition.action == "reopen" and now - report.resolved_at > timedelta(
            days=self.rules.reopen_days
        ):
            raise Conflict(
                f"Laporan hanya dapat dibuka kembali dalam {self.rules.reopen_days} hari setelah selesai.",
                {"status": ["Batas waktu membuka kembali sudah lewat."]},
            )
        target = None
        if transition.action == "mark_duplicate":
            target = self._merge_target(report, data["duplicate_of"])
        previous = report.status
        report.status = transition.target
        report.updated_at = report.stage_since = now
        report.status_note = data["note"]
        report.due_at = due_for(self.rules.sla, report.status, now)
        if report.status == RESOLVED:
            report.resolved_at = now
        actor_label = "Pelapor" if transition.actor == "reporter" else self.actor.agency
        store.add_timeline(
            self.db,
            TimelineEntry(
                report_id=report.id,
                at=now,
                action=transition.action,
                from_status=previous,
                to_status=report.status,
                actor_label=actor_label,
                actor_user_id=self.actor.user_id,
                note=data["note"],
            ),
        )
        facts = event_facts(report)
        if target is not None:
            report.duplicate_of_id = target.id
            report.duplicate_of = target
            store.add_support(self.db, target, f"report:{report.id}", now)
            target.updated_at = now
            self.outbox.add(
                "complaints.report_merged",
                **facts,
                into_report_id=target.id,
                into_public_id=target.public_id,
            )
            self.outbox.add("complaints.report_supported", **event_facts(target))
        self.outbox.add(
            "complaints.status_changed",
            **facts,
            from_status=previous,
            action=transition.action,
            note=data["note"],
            actor_agency=self.actor.agency,
        )
        return self.get_report(public_id)

    @rpc
    def support(self, public_id: str) -> dict:
        """A citizen supports an existing open report instead of filing the same one again."""
        self.actor.require_login()
        report = store.get_report(self.db, public_id, for_update=True)
        if report.status not in OPEN_STATUSES:
            raise Conflict(
                "Hanya laporan yang masih terbuka yang dapat didukung.", {"status": [report.status]}
            )
        if report.reporter_user_id == self.actor.user_id:
            raise Conflict(
                "Anda pelapor laporan ini.",
                {"id": ["Pelapor tidak perlu mendukung laporannya sendiri."]},
            )
        added = store.add_support(self.db, report, f"user:{self.actor.user_id}", datetime.now(UTC))
        if added:
            self.outbox.add("complaints.report_supported", **event_facts(report))
        return {"public_id": report.public_id, "supporters": report.supporters, "added": added}

    @rpc
    def check_photos(self, public_id: str, count: int) -> None:
        """Whether the caller may add `count` photos to the report now; nothing changes. The
        gateway asks before it stores any file (add_photos checks again when recording)."""
        report = store.get_report(self.db, public_id)
        photo_kind(report, self.actor, count, self.rules.max_photos)

    @rpc
    def add_photos(self, public_id: str, photos: list[dict]) -> dict:
        """Attach stored photos: the reporter while the report is open, agency staff as proof of the fix."""
        report = store.get_report(self.db, public_id, for_update=True)
        kind = photo_kind(report, self.actor, len(photos), self.rules.max_photos)
        now = datetime.now(UTC)
        for photo in photos:
            self.db.add(
                Photo(
                    report_id=report.id,
                    kind=kind,
                    blob_key=photo["key"],
                    content_type=photo["content_type"],
                    uploaded_by=self.actor.user_id,
                    created_at=now,
                )
            )
        report.updated_at = now
        self.db.flush()
        self.db.refresh(report)
        return self.get_report(public_id)

    # --- for other services ---------------------------------------------------------------

    @rpc(callers=(GATEWAY,))
    def blob_keys(self) -> list[str]:
        """Every blob key a report refers to, for the blob sweeper (gateway.blobs): a stored
        file not named here belongs to nothing and may be deleted after a grace period."""
        return store.fetch_blob_keys(self.db)

    @rpc(callers=("notifications",))
    def reporter_contact(self, report_id: int) -> dict:
        """Who to tell about a report: a user id, or the anonymous reporter's own contact email."""
        report = self.db.get(Report, report_id)
        if report is None:
            raise NotFound("Laporan tidak ditemukan.")
        return {
            "user_id": report.reporter_user_id,
            "email": report.contact_email,
            "name": report.contact_name,
        }

    # --- internals ----------------------------------------------------------------------------

    def _submitter_key(self, client: ApiClient | None) -> str:
        if client is not None:
            return f"api:{client.id}"
        if self.actor.user_id is not None:
            return f"user:{self.actor.user_id}"
        if not self.client_ip:
            # One shared bucket for every caller without an address would let one abuser
            # fill it for everybody, and a bucket per call would limit nobody: refuse instead
            # (the gateway always sends the address; a caller that does not must sign in).
            raise Unauthorized(
                "Alamat jaringan pengirim tidak diketahui; masuk terlebih dahulu untuk melapor.",
                {"client_ip": ["Laporan tanpa akun memerlukan alamat jaringan pengirim."]},
            )
        return f"ip:{self.client_ip}"

    def _check_rate(self, submitter: str, client: ApiClient | None, now: datetime) -> None:
        window = timedelta(seconds=self.rules.rate_window_seconds)
        limit = self.rules.api_rate_limit if client else self.rules.rate_limit
        count, oldest = store.count_recent_reports(self.db, submitter, now - window)
        if count >= limit:
            retry_after = max(1, int((oldest + window - now).total_seconds()) + 1)
            raise TooManyRequests(
                f"Terlalu banyak laporan dalam waktu singkat (paling banyak {limit} per "
                f"{self.rules.rate_window_seconds // 60} menit). Coba lagi nanti.",
                retry_after=retry_after,
            )

    def _nearby_open(self, category: str, lat: float, lon: float) -> list[dict]:
        """Open reports of the category nearby, from gis's public layer (it holds open reports only)."""
        found = self.places.nearby(
            "complaints", lat, lon, self.rules.duplicate_radius_m, {"category": category}
        )
        reports = {
            r.public_id: r for r in store.fetch_by_public_ids(self.db, [f["id"] for f in found])
        }
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
            if f["id"] in reports and reports[f["id"]].status in OPEN_STATUSES
        ]

    def _merge_target(self, report: Report, target_id: str) -> Report:
        target = store.get_report(self.db, target_id)
        if target.id == report.id:
            raise Invalid(
                "Laporan tidak dapat menjadi duplikat dirinya sendiri.",
                {"duplicate_of": [target_id]},
            )
        if (target.agency_code, target.category_code) != (report.agency_code, report.category_code):
            raise Invalid(
                "Laporan hanya dapat menjadi duplikat laporan lain dari OPD dan kategori yang sama.",
                {
                    "duplicate_of": [
                        f"{target_id} adalah laporan {target.category.name} ({target.agency_code}),"
                        f" bukan {report.category.name} ({report.agency_code})."
                    ]
                },
            )
        if target.status not in OPEN_STATUSES | {RESOLVED} or target.status == DUPLICATE:
            raise Conflict("Laporan asli harus masih terbuka.", {"duplicate_of": [target.status]})
        return target


def _category(category: Category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "group": category.group,
        "keywords": category.keywords,
        "agency_code": category.agency_code,
        "routes_by_area": category.routes_by_area,
        "active": category.active,
        "attributes": sorted(category.attributes or [], key=lambda a: a.get("order", 1)),
    }
