"""Issue #10 (UU 27/2022): personal data given to Gawe never reaches a public output or a log.

Known, recognisable values (a valid-looking NIK per place, phones written in several ways,
emails, bank accounts, NPWPs, names and addresses that are private fields) are planted through
every input that takes personal data: sign-up (API and web form), staff accounts (API and admin
page), organisation and individual applicant profiles (API and web form) whose proposals go
public (one approved), emergency bansos opened by staff (API and staff desk) with `reported_by`
naming a person, complaint reports filed signed in and anonymously (API and web form, with
photos and contact details), an Open311 request, supporting a report, and duplicates.

Then every GET route of the gateway's url_map is called as an anonymous visitor and as an
unrelated signed-in citizen, its path filled from what was planted (a route it cannot fill
fails the test), and each response, headers and body, is searched for every planted value and
its obvious reformattings (+62 or 0, digits grouped, %40). The log lines of the run
(tests/support/logcapture.py) are searched at the end of this module and again at the end of
the session.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import MetaData

from gateway.workspace.session import COOKIE
from servicekit.context import request_id_var
from servicekit.database import make_engine
from tests.proposals import conftest as proposals
from tests.proposals.conftest import THIS_YEAR, act, declare, png
from tests.support import logcapture
from tests.support.factories import (
    PASSWORD,
    auth,
    follow_verification_link,
    login,
    register_citizen,
    unique_email,
)
from tests.support.serang import desa_points
from tests.support.waiting import wait_until

SEP = r"[\s.()/-]{0,3}"  # what people put between digits: 0812-3456, 0812 3456, 09.254.294
# Surnames of two parts, another one for every k (none is a desa's name or a word of Gawe's).
PREFIXES = ("Wira", "Sastra", "Kusuma", "Purba", "Nata") + (
    "Surya",
    "Karta",
    "Rangga",
    "Tirta",
    "Bayu",
)
SUFFIXES = ["dilaga", "negara", "atmadja", "wisesa", "diredja", "wikarta", "dipraja", "kusumah"]
SUFFIXES += ["santika", "prawira", "sasmita", "jayadi"]


# --- the planted values ------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    label: str  # what, where, and the value: named in every failure
    pattern: re.Pattern


def _digits(value: str, phone: bool = False) -> re.Pattern:
    digits = re.sub(r"\D", "", value)
    if phone:  # with or without 0, 62 or +62 in front
        return re.compile(SEP.join(re.sub(r"^(?:62|0)", "", digits)) + r"(?!\d)")
    return re.compile(r"(?<!\d)" + SEP.join(digits) + r"(?!\d)")


class Planted:
    """Unique values (each k is used once), each remembered with where it went in."""

    def __init__(self):
        self.secrets: list[Secret] = []
        self._k = itertools.count(1)

    def _keep(self, kind: str, where: str, value: str, pattern: re.Pattern) -> str:
        self.secrets.append(Secret(f"{kind} planted by {where} ({value})", pattern))
        return value

    def nik(self, where: str) -> str:
        k = next(self._k)  # Kabupaten Serang, a woman born in July 1991, sequence 7000 + k
        value = f"3604{10 + k % 80:02d}{41 + k % 28:02d}0791{7000 + k:04d}"
        return self._keep("NIK", where, value, _digits(value))

    def phone(self, where: str) -> str:
        k = next(self._k)
        core = f"8571938{k:04d}"
        styles = (f"0{core}", f"+62 {core[:3]}-{core[3:7]}-{core[7:]}", f"62{core}")
        return self._keep("phone", where, styles[k % 3], _digits(core, phone=True))

    def email(self, where: str) -> str:
        local, domain = f"rahasia{next(self._k)}.pribadi", "surel-pribadi.example.id"
        pattern = re.compile(re.escape(local) + r"(?:@|%40|&#64;)" + re.escape(domain), re.I)
        return self._keep("email", where, f"{local}@{domain}", pattern)

    def bank(self, where: str) -> str:
        value = f"7750319{next(self._k):04d}"
        return self._keep("bank account", where, value, _digits(value))

    def npwp(self, where: str) -> str:
        value = f"09.254.294.3-407.{next(self._k):03d}"
        return self._keep("NPWP", where, value, _digits(value))

    def name(self, where: str, given: str = "Euis") -> str:
        k = next(self._k)
        surname = PREFIXES[k % 10] + SUFFIXES[k // 10]
        pattern = re.compile(rf"\b{surname}\b", re.I)
        return self._keep("name", where, f"{given} {surname}", pattern)

    def address(self, where: str) -> str:
        k = next(self._k)
        pattern = re.compile(rf"Kenari\s+Sunyi\s+No\.?\s*{k}\b", re.I)
        return self._keep("address", where, f"Gang Kenari Sunyi No. {k} RT 004 RW 009", pattern)

    def individual(self, where: str) -> dict:
        name = self.name(where, "Siti")
        return dict(
            name=name,
            bank_account_name=name,
            nik=self.nik(where),
            address=self.address(where),
            phone=self.phone(where),
            email=self.email(where),
            bank_account_number=self.bank(where),
        )

    def organisation(self, where: str) -> dict:
        return dict(
            address=self.address(where),
            phone=self.phone(where),
            email=self.email(where),
            npwp=self.npwp(where),
            bank_account_number=self.bank(where),
            responsible_people=[
                self.person(f"{where}, {role}", role) for role in ("Ketua", "Bendahara")
            ],
        )

    def person(self, where: str, position: str) -> dict:
        name, nik, phone = self.name(where, "Ujang"), self.nik(where), self.phone(where)
        return dict(name=name, position=position, nik=nik, phone=phone)

    def contact(self, where: str) -> dict:
        name, phone, email = self.name(where, "Jajang"), self.phone(where), self.email(where)
        return dict(contact_name=name, contact_phone=phone, contact_email=email)

    def reporter(self, where: str) -> str:
        who = f"{where}, reported_by"
        name, nik, phone = self.name(who, "Oman"), self.nik(who), self.phone(who)
        return f"Kepala Desa, Bpk. {name}, NIK {nik}, HP {phone}"


@dataclass
class World:
    """What was planted, and the ids the scanner fills routes with."""

    plant: Planted = field(default_factory=Planted)
    people: dict = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)
    photos: list[tuple[str, int]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    documents: list[tuple[str, int]] = field(default_factory=list)
    applicants: list[int] = field(default_factory=list)
    features: dict[str, set] = field(default_factory=dict)
    values: dict[str, list] = field(default_factory=dict)  # URL variable -> values (apps' own)


# --- talking to the gateway as people do ---------------------------------------------------------


def point(i: int) -> dict:
    points = desa_points()
    return points[(i * 53 + 7) % len(points)]


def browser(platform, token: str | None = None):
    """A test client of its own (it keeps its cookies), signed in on the pages with `token`."""
    client = platform.app.test_client()
    if token:
        client.set_cookie(COOKIE, token)
    return client


def page_token(client, path: str, name: str = "csrf") -> str:
    """A page's hidden form token (or its script's csrf), as a browser sends it back."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = re.search(rf'name="{name}" value="([^"]*)"|var {name} = "([^"]*)"', page.text)
    return next((g for g in found.groups() if g is not None), "") if found else ""


def expect(response, status: int = 303):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def fill_in(client, page: str, action: str | None = None, status: int = 303, **fields) -> str:
    """Submit the form of `page` (with its csrf token); the Location it leads to."""
    data = fields | {"csrf": page_token(client, page)}
    return expect(client.post(action or page, data=data), status).headers.get("Location", "")


def last_part(location: str) -> str:
    return location.split("?")[0].rstrip("/").rsplit("/", 1)[1]


def post_json(client, path: str, body: dict, token: str | None = None, status: int = 201):
    return expect(client.post(path, json=body, headers=auth(token) if token else {}), status).json


def road(place: dict, **contact) -> dict:
    attributes = dict(panjang_kerusakan_m=300, tingkat_kerusakan="berat", jenis_jalan="desa")
    description = "Jalan desa berlubang dalam, motor sering jatuh."
    return dict(category="jalan-rusak", lat=place["lat"], lon=place["lon"], **contact) | dict(
        description=description, attributes=attributes, ignore_duplicates=True
    )


def emergency(reported_by: str, place: dict) -> dict:
    return dict(
        reported_by=reported_by,
        budget_year=THIS_YEAR,
        category="sosial",
        title="Bantuan korban kebakaran rumah",
        purpose="Rumah warga terbakar habis; kebutuhan bahan bangunan dan pakaian.",
        requested_amount=5_000_000,
        lat=place["lat"],
        lon=place["lon"],
    )


# --- planting, through every input --------------------------------------------------------------


def staff(client, admin_token: str, role: str, agency: str, **planted) -> dict:
    body = {"name": f"Staf {agency}", "email": unique_email(role), "password": PASSWORD}
    body |= {"roles": [role], "agency": agency} | planted
    response = client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token))
    assert response.status_code == 201, response.get_json()
    return {"token": login(client, body["email"])}


def plant_accounts(platform, admin_token: str, w: World) -> None:
    client, p, people = platform.client, w.plant, w.people
    where = "sign-up (API)"
    citizen = register_citizen(client, name=p.name(where), email=p.email(where), nik=p.nik(where))
    people["citizen"] = {"token": login(client, citizen["email"])}

    web, where = browser(platform), "sign-up (web /daftar)"
    form = {"name": p.name(where, "Iis"), "email": p.email(where), "nik": p.nik(where)}
    form["password"] = PASSWORD
    signed_up = web.post("/daftar", data=form | {"pra": page_token(web, "/daftar", "pra")})
    assert signed_up.status_code < 400, signed_up.get_data(as_text=True)[:500]
    me = client.get("/api/v1/me", headers=auth(login(client, form["email"]))).get_json()
    follow_verification_link(client, me["id"])  # the emailed link: applying needs it
    people["web"] = {"token": login(client, form["email"]), "browser": web}
    web.set_cookie(COOKIE, people["web"]["token"])  # signed in, whether or not sign-up did it

    # The same email or NIK again: refused or answered as accepted, never an error, and never
    # logged with its value (a duplicate key's database error quotes it).
    again = {"name": "Warga Lain", "password": PASSWORD}
    for body in ({"email": form["email"]}, {"email": unique_email(), "nik": form["nik"]}):
        assert client.post("/api/v1/auth/register", json=again | body).status_code < 500
    twice = browser(platform)
    data = form | {"pra": page_token(twice, "/daftar", "pra")}
    assert twice.post("/daftar", data=data).status_code < 500

    where = "staff account (API)"
    planted = {"name": p.name(where, "Dadang"), "email": p.email(where), "nik": p.nik(where)}
    people["kesra"] = staff(client, admin_token, "verifier", "KESRA", **planted)
    taken = again | {"email": citizen["email"], "roles": ["officer"], "agency": "DPUPR"}
    expect(client.post("/api/v1/admin/staff", json=taken, headers=auth(admin_token)), 409)

    where = "staff account (web /admin)"
    form = {"name": p.name(where, "Asep"), "email": p.email(where), "password": PASSWORD}
    admin = browser(platform, admin_token)
    fill_in(admin, "/admin", "/admin/staf", agency="DINSOS", role="officer", **form)
    people["dinsos"] = {"token": login(client, form["email"])}
    people["dispora"] = staff(client, admin_token, "verifier", "DISPORA")
    people["tapd"] = staff(client, admin_token, "budget_team", "BPKAD")
    people["stranger"] = {"token": login(client, register_citizen(client)["email"])}

    # A wrong password (a citizen on the API, the staff member just created on the login page):
    # refused, and not logged with the email.
    wrong = {"email": citizen["email"], "password": "bukan-kata-sandinya"}
    assert client.post("/api/v1/auth/login", json=wrong).status_code == 401
    failed = browser(platform)
    wrong = {"email": form["email"], "password": "bukan-kata-sandinya"}
    assert (
        failed.post("/masuk", data=wrong | {"pra": page_token(failed, "/masuk", "pra")}).status_code
        == 401
    )


def go_public(client, token: str, w: World, proposal: dict, submit: bool = True) -> str:
    """Upload the checklist and submit; remember the proposal, its applicant and a document."""
    pid = proposal["public_id"]
    documents = proposals.upload_checklist(client, token, proposal)["documents"]
    if submit:
        expect(client.post(f"/api/v1/proposals/{pid}/submit", json={}, headers=auth(token)), 200)
    w.proposals.append(pid)
    w.applicants.append(proposal["applicant"]["id"])
    w.documents.append((pid, documents[0]["id"]))
    return pid


def approve(client, people: dict, pid: str) -> None:
    """Kesra completes, the OPD recommends after a field check, TAPD accepts, Kesra approves."""
    amount = {"amount": 25_000_000}
    decree = {"decree_number": f"SK Bupati 400.9/{pid}", "decree_date": f"{THIS_YEAR}-03-02"}
    expect(act(client, people["kesra"], pid, "complete", note="Berkas lengkap."), 200)
    declare(client, people["dispora"], pid)
    proposals.field_check(client, people["dispora"], pid)
    expect(act(client, people["dispora"], pid, "recommend", **amount, note="Layak."), 200)
    declare(client, people["tapd"], pid)
    expect(act(client, people["tapd"], pid, "accept", **amount), 200)
    expect(act(client, people["kesra"], pid, "approve", **amount, **decree), 200)


def api_proposal(client, token: str, w: World, kind: str, applicant: dict, place: dict) -> str:
    path = {"hibah": "organisations", "bansos": "individuals"}[kind]
    applicant_id = post_json(client, f"/api/v1/proposals/{path}", applicant, token)["id"]
    draft = proposals.create_draft(client, token, applicant_id, kind, point=place)
    return go_public(client, token, w, draft)


def web_applicant(web, body: dict) -> int:
    """An applicant profile filed on /saya/pemohon/baru; its id."""
    kind = "organisation" if "responsible_people" in body else "individual"
    fields = {k: v for k, v in body.items() if k != "responsible_people"} | {"jenis": kind}
    for i, person in enumerate(body.get("responsible_people", []), start=1):
        fields |= {f"person{i}_{k}": v for k, v in person.items()}
    return int(fill_in(web, "/saya/pemohon/baru", **fields).rsplit("=", 1)[1])


def web_hibah(client, token: str, web, w: World, applicant_id: int, place: dict) -> str:
    """A hibah drafted and submitted on the web pages (documents uploaded through the API)."""
    draft = dict(
        applicant_id=applicant_id, kind="hibah", category="olahraga", budget_year=THIS_YEAR
    )
    draft |= dict(title="Pembinaan atlet desa", purpose="Pembinaan atlet muda tingkat desa.")
    draft |= dict(requested_amount="30.000.000", cost1_item="Alat", cost1_amount="30.000.000")
    pid = last_part(fill_in(web, "/saya/usulan/baru", **draft, lat=place["lat"], lon=place["lon"]))
    proposal = client.get(f"/api/v1/proposals/{pid}", headers=auth(token)).json
    go_public(client, token, w, proposal, submit=False)
    fill_in(web, f"/saya/usulan/{pid}", f"/saya/usulan/{pid}/ajukan")
    return pid


def plant_proposals(platform, w: World) -> None:
    client, p, people = platform.client, w.plant, w.people
    proposals.open_rounds(client, people["kesra"]["token"])  # submitting needs an open round
    token = people["citizen"]["token"]
    body = proposals.organisation_body(point(1), **p.organisation("organisation (API)"))
    approve(client, people, api_proposal(client, token, w, "hibah", body, point(3)))
    body = proposals.individual_body(point(2), **p.individual("individual applicant (API)"))
    api_proposal(client, token, w, "bansos", body, point(4))

    web, token = people["web"]["browser"], people["web"]["token"]
    where = "individual applicant (web /saya/pemohon/baru)"
    body = proposals.individual_body(point(5), **p.individual(where))
    draft = proposals.create_draft(
        client, token, web_applicant(web, body), "bansos", point=point(6)
    )
    go_public(client, token, w, draft)
    where = "organisation (web /saya/pemohon/baru)"
    body = proposals.organisation_body(point(5), **p.organisation(where))
    web_hibah(client, token, web, w, web_applicant(web, body), point(7))

    officer, where = people["dinsos"]["token"], "emergency bansos (API)"
    beneficiary = proposals.individual_body(point(8), **p.individual(where))
    body = emergency(p.reporter(where), point(8)) | dict(beneficiary=beneficiary)
    body["cost_lines"] = [{"item": "Bahan bangunan", "amount": 5_000_000}]
    opened = post_json(client, "/api/v1/proposals/emergency", body, officer)
    w.proposals.append(opened["public_id"])
    w.applicants.append(opened["applicant"]["id"])

    desk, where = browser(platform, officer), "emergency bansos (web /staf/bansos-darurat)"
    form = emergency(p.reporter(where), point(9)) | dict(cost1_item="Bahan", cost1_amount="5000000")
    form |= dict(b_name=p.name(where, "Siti"), b_nik=p.nik(where), b_address=p.address(where))
    form |= dict(b_phone=p.phone(where), b_bank_account_number=p.bank(where), b_bank_name="BJB")
    w.proposals.append(last_part(fill_in(desk, "/staf/bansos-darurat", **form)))


def plant_complaints(platform, admin_token: str, w: World) -> None:
    client, p, people = platform.client, w.plant, w.people
    citizen, web, anonymous = (
        people["citizen"]["token"],
        people["web"]["browser"],
        browser(platform),
    )
    mine, on_web = auth(citizen), {"X-CSRF-Token": page_token(web, "/pengaduan/baru")}
    on_anonymous = {"X-CSRF-Token": page_token(anonymous, "/pengaduan/baru")}  # empty
    contact = p.contact("signed-in report (API)")
    filed = [post_json(client, "/api/v1/complaints", road(point(10), **contact), citizen)]
    contact = p.contact("anonymous report (API)")
    filed.append(post_json(client, "/api/v1/complaints", road(point(11), **contact)))
    for client_, headers, where, place in (
        (anonymous, on_anonymous, "anonymous report (web /pengaduan/baru)", point(12)),
        (web, on_web, "signed-in report (web /pengaduan/baru)", point(13)),
    ):
        body = road(place, contact_email=p.email(where))
        filed.append(expect(client_.post("/pengaduan/baru", json=body, headers=headers), 201).json)
    w.reports += [r["public_id"] for r in filed]
    w.tokens += [r["token"] for r in filed]
    photos = [
        client.post(f"/api/v1/complaints/{w.reports[0]}/photos", data=picture(), headers=mine),
        web.post(f"/pengaduan/{w.reports[3]}/foto", data=picture(), headers=on_web),
    ]
    for report in (expect(r, 201).json for r in photos):
        w.photos += [(report["public_id"], photo["id"]) for photo in report["photos"]]

    where, place = "Open311 POST requests.json", point(14)
    key = post_json(client, "/api/v1/admin/open311/keys", {"organisation": "Forum"}, admin_token)
    first_name, last_name = p.name(where, "Cecep").split()
    form = dict(api_key=key["api_key"], service_code="jalan-rusak")
    form |= dict(lat=place["lat"], long=place["lon"])
    form |= {f"attribute[{k}]": v for k, v in road(place)["attributes"].items()}
    form |= dict(description="Jalan amblas di depan sekolah.", email=p.email(where))
    form |= dict(phone=p.phone(where), first_name=first_name, last_name=last_name)
    receipt = expect(client.post("/open311/v2/requests.json", data=form), 201).json
    w.reports.append(receipt[0]["service_request_id"])

    fill_in(web, f"/pengaduan/{w.reports[0]}", f"/pengaduan/{w.reports[0]}/dukung")
    post_json(client, f"/api/v1/complaints/{w.reports[-1]}/support", {}, citizen, 200)


def picture() -> dict:
    return {"photos": [(io.BytesIO(png()), "foto.png")]}


@pytest.fixture(scope="module")
def world(platform, admin_token) -> World:
    w = World()
    plant_accounts(platform, admin_token, w)
    plant_proposals(platform, w)
    plant_complaints(platform, admin_token, w)
    for hook in app_hooks():  # each app plants its own (tests/<app>/personal_data.py)
        hook.plant(platform, admin_token, w)
    logcapture.watch({f"test_personal_data: {s.label}": s.pattern for s in w.plant.secrets})

    def on_map(layer: str) -> dict:
        found = platform.client.get(f"/gis/collections/{layer}/items", query_string={"limit": 1000})
        return {f["id"]: f["properties"] for f in found.json["features"]}

    def all_on_the_map():  # the map is fed by events: scan it once it shows everything planted
        points = on_map("proposals")
        ready = set(w.reports) <= set(on_map("complaints")) and set(w.proposals) <= set(points)
        return ready and points[w.proposals[0]]["stage"] == "approved" and points

    points = wait_until(all_on_the_map, timeout=30)
    reports = [platform.client.get(f"/api/v1/complaints/{r}").json for r in w.reports]
    w.features = {
        "complaints": set(w.reports),
        "proposals": set(w.proposals),
        "kecamatan": {f["kecamatan_code"] for f in [*points.values(), *reports]} - {None},
        "desa": {f["desa_code"] for f in points.values()} - {None},
    }
    return w


# --- the scanner -------------------------------------------------------------------------------

REPORT_ROUTES = ("/api/v1/complaints/", "/pengaduan/", "/staf/pengaduan/")
PROPOSAL_ROUTES = (
    "/api/v1/proposals/",
    "/api/v1/registry/",
    "/usulan/",
    "/saya/usulan/",
    "/staf/usulan/",
)


def app_hooks() -> list:
    """What each installed app adds to the scan, in its own folder: tests/<app>/personal_data.py
    with `plant(platform, admin_token, world)`, which files the app's personal inputs through
    its API as the world's people (`world.people`; values from `world.plant`: nik, phone,
    email, name...) and names the ids that fill its routes' URL variables in `world.values`
    (variable -> list of values)."""
    import importlib
    import importlib.util

    from servicekit.apps import app_names

    found = []
    for name in app_names():
        module = f"tests.{name}.personal_data"
        if importlib.util.find_spec(f"tests.{name}") and importlib.util.find_spec(module):
            found.append(importlib.import_module(module))
    return found


def fillings(rule, w: World, static: list[str]) -> list[dict] | None:
    """Every set of path values to call `rule` with; None when a variable cannot be filled."""
    about = w.reports if rule.rule.startswith(REPORT_ROUTES) else None
    about = w.proposals if rule.rule.startswith(PROPOSAL_ROUTES) else about
    single = {
        "fmt": ["json", "xml"],
        "public_id": about,
        "service_request_id": w.reports,
        "service_code": ["jalan-rusak"],
        "token": w.tokens,
        "applicant_id": w.applicants,
        "collection_id": sorted(w.features),
        "filename": static,
    } | w.values
    pairs = {
        ("photo_id", "public_id"): [{"public_id": r, "photo_id": i} for r, i in w.photos],
        ("document_id", "public_id"): [{"public_id": p, "document_id": i} for p, i in w.documents],
        ("collection_id", "feature_id"): [
            {"collection_id": c, "feature_id": f}
            for c, ids in w.features.items()
            for f in sorted(ids)
        ],
    }
    combos, remaining = [{}], set(rule.arguments)
    for names, values in pairs.items():
        if set(names) <= remaining:
            combos, remaining = [c | v for c in combos for v in values], remaining - set(names)
    for name in sorted(remaining):
        if not single.get(name):
            return None
        combos = [c | {name: v} for c in combos for v in single[name]]
    return combos


AREA_KEYS = (("kecamatan", "kecamatan_code"), ("desa", "code"))


def queries(endpoint: str, w: World) -> list[dict]:
    """No query, and the queries that make a listing or a search show everything planted."""
    here, everything = {"lat": point(10)["lat"], "lon": point(10)["lon"]}, {"per_page": 100}
    layers = ("complaints", "proposals")
    return [{}] + {
        "complaints.list_public": [everything],
        "proposals.registry": [everything],
        "web.complaints": [everything],
        "web.proposals": [everything],
        "gis.items": [{"limit": 1000}],
        "complaints.nearby": [here | {"category": "jalan-rusak"}],
        "gis.locate": [here],
        "gis.nearby": [
            here | {"layer": layer, "radius_m": 50_000, "limit": 500} for layer in layers
        ],
        "gis.nearest": [here | {"layer": layer, "k": 100} for layer in layers],
        "gis.areas": [{"q": "Cikande"}],
        "open311.list_requests": [{"service_request_id": ",".join(w.reports)}],
        # the Atom feeds of the areas of the planted reports (issue 16)
        "complaint_data.area_feed": [
            {level: point(i)[key]} for i in range(10, 15) for level, key in AREA_KEYS
        ],
    }.get(endpoint, [])


@pytest.fixture(scope="module")
def scan(platform, world):
    """Every GET route, as an anonymous visitor and as another citizen: (findings, unfilled, calls)."""
    folder = Path(platform.app.static_folder)
    static = [str(f.relative_to(folder)) for f in folder.rglob("*") if f.is_file()] or ["gawe.css"]
    stranger = world.people["stranger"]["token"]
    visitors = {
        "anonymous": (browser(platform), {}),
        "another citizen": (browser(platform, stranger), auth(stranger)),
    }
    findings, unfilled, calls = set(), [], 0
    for rule in sorted(platform.app.url_map.iter_rules(), key=lambda r: r.rule):
        combos = fillings(rule, world, static) if "GET" in rule.methods else []
        if combos is None:
            unfilled.append(rule.rule)
        for values, query in ((v, q) for v in combos or () for q in queries(rule.endpoint, world)):
            url = rule.build(values, append_unknown=False)[1] + (
                "?" + urlencode(query) if query else ""
            )
            for who, (client, headers) in visitors.items():
                response = client.get(url, headers=headers)
                text, calls = (
                    str(response.headers) + response.get_data().decode("utf-8", "replace"),
                    calls + 1,
                )
                found = [s.label for s in world.plant.secrets if s.pattern.search(text)]
                findings |= {
                    f"GET {url} as {who} ({response.status_code}) shows {label}" for label in found
                }
    return sorted(findings), unfilled, calls


# --- the tests ---------------------------------------------------------------------------------


def test_every_planted_value_was_stored(platform, world):
    """The scan proves something only if every input really kept what was planted."""
    rows = []
    for key, url in platform.config.items():
        if key.endswith("_DATABASE_URL") and not key.startswith("GIS"):  # gis: public layers
            engine, meta = make_engine(url), MetaData()
            meta.reflect(engine)
            with engine.connect() as conn:
                rows += [
                    repr(tuple(r)) for t in meta.sorted_tables for r in conn.execute(t.select())
                ]
            engine.dispose()
    missing = [s.label for s in world.plant.secrets if not s.pattern.search("\n".join(rows))]
    assert not missing, "planted but not stored:\n" + "\n".join(missing)


def test_every_get_route_is_scanned(scan):
    findings, unfilled, calls = scan
    assert not unfilled, f"the scanner cannot fill these GET routes (teach fillings()): {unfilled}"
    assert calls > 300


def test_no_public_response_shows_personal_data(scan):
    findings, unfilled, calls = scan
    assert not findings, f"{len(findings)} public response(s) show personal data:\n" + "\n".join(
        findings
    )


def test_log_capture_keeps_lines_as_production_writes_them(capsys):
    log = logging.getLogger("tests.security.personal_data")
    reset = request_id_var.set("0123456789abcdef0123456789abcdef")
    try:
        raise ValueError("kaput")
    except ValueError:
        log.exception("could not", extra={"public_id": "SRG-2026-000001"})
    finally:
        request_id_var.reset(reset)
    log.debug("too fine for production")
    line = json.loads(logcapture.lines()[-1])  # the error: the debug line was not kept
    assert (line["level"], line["logger"], line["message"]) == ("ERROR", log.name, "could not")
    assert line["public_id"] == "SRG-2026-000001" and "ValueError: kaput" in line["exc_info"]
    assert line["request_id"] == "0123456789abcdef0123456789abcdef" and "time" in line
    assert capsys.readouterr() == ("", "")


def test_nik_shapes_are_found_and_ids_and_coordinates_are_not():
    nik = "3604154507910012"
    found = logcapture.nik_shaped([f'{{"note": "NIK {nik}"}}', f"Key (nik)=({nik}) already exists"])
    assert [n for n, _ in found] == [nik, nik]
    quiet = [
        f'"request_id": "ab{nik}cd"',  # hex
        f"lat -6.{nik}",  # decimals of a coordinate
        f"id 9{nik}",  # a longer number
        "3604159913910012",  # no such birth date
        "9904154507910012",  # no province 99
    ]
    assert logcapture.nik_shaped(quiet) == []


def test_no_log_line_holds_personal_data(world, scan):
    """Everything logged so far in this run (this module's planting and scanning included):
    neither a planted value nor anything NIK-shaped. The session checks again at its end."""
    lines = logcapture.lines()
    assert any(json.loads(line).get("logger") == "gateway.access" for line in lines)
    found = logcapture.findings(lines)
    assert not found, f"{len(found)} log line(s) hold personal data:\n" + "\n".join(found)
