"""The world the authorisation matrix runs in, built once per module through the HTTP API.

Its people are the personas of gateway/access.py. The citizen owns everything personal in it:
an open complaint report (with a photo) and a resolved one, both handled by DINSOS (a category
the admin routes there); an organisation and an individual applicant; the organisation's hibah
proposal at evaluation, DINSOS's turn (with its documents); and a proposal of the individual
at each stage a route needs (a draft, one at evaluation to withdraw, a returned one, a
disbursed one); the organisation's standing documents on its profile (the first replaced
once, so it has history). Nothing of it is in a queue of KESRA, BPKAD or another agency.

Everything personal the citizen typed is kept in `secrets`: the matrix fails a cell that shows
any of it to someone declared not to see it.
"""

from __future__ import annotations

import io
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image

from gateway.access import PERSONAS
from gateway.workspace.session import COOKIE, PRE_COOKIE, csrf_token
from services.proposals.contract import STANDING_KINDS, proposal_documents
from tests.support.factories import (
    PASSWORD,
    auth,
    follow_verification_link,
    login,
    unique_email,
)
from tests.support.serang import KOTA_SERANG, desa_points
from tests.support.waiting import wait_until

THIS_YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
OWNER_AGENCY = "DINSOS"
CATEGORY = "uji-matriks"
PROPOSALS = "/api/v1/proposals"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Roles and agency of each staff persona (the admin is made by the suite's own fixture).
STAFF = {
    "owner_staff": ("verifier", OWNER_AGENCY),
    "owner_officer": ("officer", OWNER_AGENCY),
    "other_staff": ("verifier", "DPUPR"),
    "kesra": ("verifier", "KESRA"),
    "budget_team": ("budget_team", "BPKAD"),
    "auditor": ("auditor", None),  # Inspektorat, without an agency's desk
}
ROLES = {
    "anonymous": (),
    "citizen": ("citizen",),
    "other_citizen": ("citizen",),
    "admin": ("admin",),
}
ROLES |= {name: (role,) for name, (role, _) in STAFF.items()}
_digits = itertools.count(10**9 + 7919 * (uuid.uuid4().int % 10**5), 7919)


def digits(count: int) -> str:
    """A number of `count` digits seen nowhere else in this run."""
    return f"{next(_digits):0{count}d}"[-count:]


def nik() -> str:
    """A plausible NIK of Kabupaten Serang (district, birth date, sequence) seen nowhere else."""
    n = int(digits(8))
    return (
        f"3604{n % 29 + 1:02d}{n % 28 + 1:02d}{n % 12 + 1:02d}{n % 90 + 10:02d}{n % 9999 + 1:04d}"
    )


def phone() -> str:
    return f"0812{digits(8)}"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Persona:
    name: str
    api: object  # a test client that sends the token as a bearer header (the JSON API)
    browser: object  # a test client holding the web session cookie (the pages)
    token: str | None = None
    user_id: int | None = None
    csrf: str = ""
    pra: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class World:
    app: object
    personas: dict[str, Persona]
    secrets: dict[str, str]  # what the citizen's data is called -> its value
    values: dict  # everything a route's URL or body needs (see authz_calls.py)


def check(response, *statuses: int):
    assert response.status_code in statuses, (
        response.status_code,
        response.get_data(as_text=True)[:800],
    )
    return response.get_json(silent=True)


def _clients(app, index: int) -> tuple:
    """Two clients per persona, each from its own address (per-address limits stay apart)."""
    address = {"REMOTE_ADDR": f"198.51.100.{20 + index}"}
    api, browser = app.test_client(), app.test_client()
    api.environ_base.update(address)
    browser.environ_base.update(address)
    return api, browser


def _sign_in(app, persona: Persona, token: str) -> None:
    persona.token = token
    persona.browser.set_cookie(COOKIE, token)
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={token}"}):
        persona.csrf = csrf_token()
    persona.user_id = check(persona.api.get("/api/v1/me", headers=bearer(persona)), 200)["id"]


def bearer(persona: Persona) -> dict:
    return {"Authorization": f"Bearer {persona.token}"} if persona.token else {}


class Builder:
    """The steps that build the world, each through the API as the person who would take it."""

    def __init__(self, app, admin_token: str):
        self.app = app
        self.people = {}
        for index, name in enumerate(PERSONAS):
            api, browser = _clients(app, index)
            self.people[name] = Persona(name, api, browser)
            browser.set_cookie(PRE_COOKIE, self.people[name].pra)
        self.secrets: dict[str, str] = {}
        self.values: dict = {
            "report_category": CATEGORY,
            "outside": {"lat": KOTA_SERANG[0], "lon": KOTA_SERANG[1]},
        }
        self.points = iter(desa_points()[7::13])
        _sign_in(app, self.people["admin"], admin_token)

    def call(self, who: str, method: str, path: str, status: int | tuple, **kwargs):
        persona = self.people[who]
        response = persona.api.open(path, method=method, headers=bearer(persona), **kwargs)
        return check(response, *(status if isinstance(status, tuple) else (status,)))

    def post(self, who: str, path: str, status: int | tuple = 200, **body):
        return self.call(who, "POST", path, status, json=body)

    def get(self, who: str, path: str, **query):
        return self.call(who, "GET", path, 200, query_string=query)

    def upload(self, who: str, path: str, field: str, content: bytes, name: str, **form):
        data = form | {field: [(io.BytesIO(content), name)]}
        return self.call(who, "POST", path, 201, data=data, content_type="multipart/form-data")

    def build(self) -> World:
        self.accounts()
        self.reports()
        self.applicants()
        self.proposals()
        self.lookups()
        from tests.security.authz_calls import app_hooks

        for hook in app_hooks():  # what each app adds (tests/<app>/authz.py)
            if build := getattr(hook, "build", None):
                build(self)
        # counted once the apps made theirs (accounts makes a staff account to switch off)
        self.values["staff_accounts"] = self.get("admin", "/api/v1/admin/staff", per_page=100)[
            "total"
        ]
        from tests.support.dead_letters import plant_for_matrix

        plant_for_matrix(self)  # parked events for the admin's replay routes
        return World(self.app, self.people, self.secrets, self.values)

    # --- people ---------------------------------------------------------------------------

    def accounts(self) -> None:
        for name, (role, agency) in STAFF.items():
            email = unique_email(name.replace("_", "."))
            body = {"name": f"Staf {name}", "email": email, "password": PASSWORD}
            self.post("admin", "/api/v1/admin/staff", 201, roles=[role], agency=agency, **body)
            _sign_in(self.app, self.people[name], login(self.people[name].api, email))
        for name in ("citizen", "other_citizen"):
            email, number = unique_email(name.replace("_", ".")), nik()
            body = {"name": f"Warga {name}", "email": email, "password": PASSWORD, "nik": number}
            self.post(name, "/api/v1/auth/register", (201, 202), **body)
            api = self.people[name].api
            me = api.get("/api/v1/me", headers=auth(login(api, email))).get_json()
            follow_verification_link(api, me["id"])  # applying needs a verified address
            _sign_in(self.app, self.people[name], login(api, email))
            if name == "citizen":
                self.secrets |= {"the citizen's email": email, "the citizen's NIK": number}

    # --- complaints -------------------------------------------------------------------------

    def reports(self) -> None:
        category = {
            "code": CATEGORY,
            "name": "Uji matriks akses",
            "description": "Kategori uji: laporan yang ditangani Dinas Sosial.",
            "agency_code": OWNER_AGENCY,
            "attributes": [],
        }
        path = f"/api/v1/admin/complaints/categories/{CATEGORY}"
        self.call("admin", "PUT", path, 200, json=category)
        point = self.values["point"] = next(self.points)
        contact = {"contact_phone": f"0857{digits(8)}", "contact_email": unique_email("kontak")}
        self.secrets |= {
            "the reporter's contact phone": contact["contact_phone"],
            "the reporter's contact email": contact["contact_email"],
        }
        report = self.report(point, **contact)
        pid = report["public_id"]
        photo = self.upload("citizen", f"/api/v1/complaints/{pid}/photos", "photos", png(), "a.png")
        resolved = self.report(point)["public_id"]
        for action in ("verify", "forward", "start", "resolve"):
            self.post("owner_staff", f"/api/v1/complaints/{resolved}/transitions", action=action)
        self.values |= {
            "category_body": category,
            "report": pid,
            "report_token": report["token"],
            "photo": photo["photos"][0]["id"],
            "resolved_report": resolved,
        }

    def report(self, point: dict, **contact) -> dict:
        body = {
            "category": CATEGORY,
            "lat": point["lat"],
            "lon": point["lon"],
            "description": "Warga lanjut usia terlantar di pos ronda, perlu bantuan sosial.",
            "ignore_duplicates": True,
        }
        return self.post("citizen", "/api/v1/complaints", 201, **body, **contact)

    # --- Serang Open --------------------------------------------------------------------------

    def applicants(self) -> None:
        point = next(self.points)
        name = f"Yayasan Matriks {digits(4)}"
        chair = {"name": "Ketua Matriks", "position": "Ketua", "nik": nik(), "phone": phone()}
        organisation = {
            "name": name,
            "legal_form": "yayasan",
            "legal_entity_number": f"AHU-{digits(7)}.AH.01.04",
            "sk_kepengurusan": "SK/01/2025",
            "established_on": "2015-03-01",
            "address": f"Jl. Matriks No. {digits(3)}",
            "lat": point["lat"],
            "lon": point["lon"],
            "phone": phone(),
            "email": unique_email("lembaga"),
            "npwp": digits(15),
            "bank_name": "Bank BJB",
            "bank_account_number": f"00{digits(10)}",
            "bank_account_name": name,
            "responsible_people": [chair],
        }
        person = {
            "name": "Siti Matriks Warga",
            "nik": nik(),
            "address": f"Kp. Matriks No. {digits(3)}",
            "lat": point["lat"],
            "lon": point["lon"],
            "phone": phone(),
            "email": unique_email("perorangan"),
            "bank_name": "Bank BRI",
            "bank_account_number": f"01{digits(10)}",
            "bank_account_name": "Siti Matriks Warga",
        }
        for whose, data, keys in (
            ("the organisation's", organisation, ("phone", "email", "npwp", "bank_account_number")),
            ("its chair's", chair, ("nik", "phone")),
            (
                "the individual applicant's",
                person,
                ("nik", "phone", "email", "bank_account_number"),
            ),
        ):
            self.secrets |= {f"{whose} {key}": data[key] for key in keys}
        self.values |= {
            "organisation": self.post("citizen", f"{PROPOSALS}/organisations", 201, **organisation)[
                "id"
            ],
            "organisation_body": organisation,
            "individual": self.post("citizen", f"{PROPOSALS}/individuals", 201, **person)["id"],
            "individual_body": person,
        }
        self.standing_documents()

    def standing_documents(self) -> None:
        """Every standing document on the organisation's profile (its hibah's checklist takes
        them from there), valid through next year; the KTP twice, so one version is history."""
        path = f"{PROPOSALS}/applicants/{self.values['organisation']}/documents"
        dates = {"valid_from": f"{THIS_YEAR - 1}-01-01", "valid_until": f"{THIS_YEAR + 2}-12-31"}
        listing = {}
        for kind in ("ktp_ketua", *STANDING_KINDS):
            form = {"kind": kind} | (dates if STANDING_KINDS[kind].validity == "required" else {})
            listing = self.upload("citizen", path, "file", PDF, f"{kind}.pdf", **form)
        current = {i["kind"]: i["document"]["id"] for i in listing["items"]}
        self.values["standing_document"] = current["ktp_ketua"]

    def proposals(self) -> None:
        # Submitting needs an open round of the proposal's kind and year (issue 16): Kesra opens
        # them; the bansos round's id and dates fill the rounds' routes (tests/proposals/authz.py).
        for kind in ("hibah", "bansos"):
            dates = {"opens_on": f"{THIS_YEAR}-01-01", "closes_on": f"{THIS_YEAR}-12-31"}
            body = {"budget_year": THIS_YEAR, "kind": kind} | dates
            self.values["round"] = self.post("kesra", f"{PROPOSALS}/rounds", 201, **body)["id"]
            self.values["round_body"] = body
        main = self.proposal("hibah", "evaluation")
        self.values |= {
            "proposal": main["public_id"],
            "proposal_body": main["body"],
            "document": main["documents"][0]["id"],
            "draft": self.proposal("bansos", None)["public_id"],
            "withdrawable": self.proposal("bansos", "evaluation")["public_id"],
            "returned": self.proposal("bansos", "returned")["public_id"],
            "disbursed": self.proposal("bansos", "disbursed")["public_id"],
        }

    def proposal(self, kind: str, stage: str | None) -> dict:
        """A proposal of the citizen's organisation (hibah) or individual (bansos), in `stage`:
        None (a draft), evaluation, returned or disbursed."""
        applicant = self.values["organisation" if kind == "hibah" else "individual"]
        point, amount = self.values["point"], 30_000_000
        body = {
            "applicant_id": applicant,
            "kind": kind,
            "budget_year": THIS_YEAR,
            "title": f"Usulan matriks {digits(4)}",
            "purpose": "Pendampingan lansia terlantar di desa selama satu tahun.",
            "activities": "Kunjungan rumah, paket sembako, pemeriksaan kesehatan.",
            "category": "sosial",
            "requested_amount": amount,
            "cost_lines": [
                {"item": "Paket sembako", "amount": amount - amount // 3},
                {"item": "Transport pendamping", "amount": amount // 3},
            ],
            "lat": point["lat"],
            "lon": point["lon"],
        }
        proposal = self.post("citizen", PROPOSALS, 201, **body)
        pid = proposal["public_id"]
        if stage is None:
            return proposal | {"body": body}
        for doc_type in proposal_documents(
            kind, proposal["applicant"]["kind"], proposal["bansos_type"]
        ):
            path = f"{PROPOSALS}/{pid}/documents"
            proposal = self.upload("citizen", path, "files", PDF, "a.pdf", doc_type=doc_type)
        self.post("citizen", f"{PROPOSALS}/{pid}/submit")
        if stage == "returned":
            self.act("kesra", pid, "return", note="Lengkapi surat keterangan tidak mampu.")
        else:
            self.act("kesra", pid, "complete")
        if stage == "disbursed":
            self.disburse(pid, amount)
        return proposal | {"body": body}

    def act(self, who: str, pid: str, action: str, **extra) -> dict:
        return self.post(who, f"{PROPOSALS}/{pid}/transitions", action=action, **extra)

    def disburse(self, pid: str, amount: int) -> None:
        """From evaluation to the money paid out, each step by whoever takes it."""
        declare = {"decision": "no_conflict"}
        self.post("owner_staff", f"{PROPOSALS}/{pid}/declarations", 201, **declare)
        path = f"{PROPOSALS}/{pid}/documents"
        photos = self.upload(
            "owner_staff", path, "files", png(), "b.png", doc_type="foto_verifikasi"
        )
        self.post(
            "owner_staff",
            f"{PROPOSALS}/{pid}/field-checks",
            201,
            checked_on=f"{THIS_YEAR}-06-01",
            findings="Penerima ada dan sesuai data desa.",
            photo_ids=[d["id"] for d in photos["documents"] if d["doc_type"] == "foto_verifikasi"],
        )
        self.act("owner_staff", pid, "recommend", amount=amount)
        self.post("budget_team", f"{PROPOSALS}/{pid}/declarations", 201, **declare)
        self.act("budget_team", pid, "accept", amount=amount)
        decree = {"decree_number": f"SK-{digits(4)}", "decree_date": f"{THIS_YEAR}-03-01"}
        self.act("kesra", pid, "approve", amount=amount, **decree)
        nphd = {"nphd_number": f"NPHD-{digits(4)}", "nphd_date": f"{THIS_YEAR}-03-05"}
        self.act("owner_staff", pid, "sign_agreement", integrity_pact=True, **nphd)
        paid = {"disbursed_on": f"{THIS_YEAR}-03-10", "sp2d_ref": f"SP2D-{digits(6)}"}
        self.act("budget_team", pid, "disburse", amount=amount, **paid)

    # --- what the rest of the routes name -------------------------------------------------------

    def lookups(self) -> None:
        inbox = wait_until(lambda: self.get("citizen", "/api/v1/inbox")["items"])
        events = wait_until(lambda: self.get("admin", "/api/v1/notifications/events")["items"])
        self.values |= {
            "inbox_item": inbox[-1]["id"],
            "event": events[0]["event_id"],
            "template": self.get("admin", "/api/v1/notifications/templates")[0]["id"],
            "staff_accounts": self.get("admin", "/api/v1/admin/staff", per_page=100)["total"],
        }
        feature = f"/gis/collections/complaints/items/{self.values['report']}"
        wait_until(lambda: self.people["anonymous"].api.get(feature).status_code == 200)


def build_world(app, admin_token: str) -> World:
    return Builder(app, admin_token).build()
