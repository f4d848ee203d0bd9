"""The platform for Serang Open tests, and factories: people, staff, profiles, drafts, uploads.

One platform per test module (real services on a private vhost, real gateway, a real SMTP
server in the test process); everything goes through HTTP like a browser or an app would.
"""

from __future__ import annotations

import io
import itertools
import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import text

from servicekit.database import make_engine
from services.proposals.contract.catalogue import (
    EXPIRES,
    NEVER,
    STANDING_KINDS,
    profile_documents,
    proposal_documents,
)
from tests.notifications.conftest import FAST
from tests.support.factories import auth, login, register_citizen, unique_email
from tests.support.serang import desa_points

THIS_YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_seq = itertools.count(1)
_points = itertools.count(3)


def png(colour: tuple[int, int, int] = (10, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="PNG")
    return out.getvalue()


def unique_pdf() -> bytes:
    """A PDF no other test uploads: the blob store names files by content."""
    return PDF + f"% {uuid.uuid4().hex}\n".encode()


def unique_png() -> bytes:
    return png(tuple(uuid.uuid4().bytes[:3]))


@pytest.fixture(scope="module")
def blob_dir(platform, tmp_path_factory):
    """This module's own blob store (GAWE_BLOB_DIR), so that its files can be counted."""
    root = tmp_path_factory.mktemp("blobs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GAWE_BLOB_DIR", str(root))
        platform.app.extensions.pop("gawe_blobs", None)
        yield root
    platform.app.extensions.pop("gawe_blobs", None)


def blob_files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        **FAST,
        "SERVICE_RPC_TIMEOUT": 3.0,
        "PROPOSALS_LPJ_SWEEP_INTERVAL": 0.5,
    }
    return {"service_config": config}


@pytest.fixture(scope="module")
def client(platform, admin_token):
    """One client for the whole module: its module fixtures (staff, owners) sign in with it.
    Submitting needs an open round (issue 16): before anything else of the module, Bagian
    Kesra opens this year's and next year's hibah and bansos rounds through the API."""
    kesra = make_staff(platform.client, admin_token, "verifier", "KESRA")
    open_rounds(platform.client, kesra["token"])
    return platform.client


def make_staff(client, admin_token: str, role: str, agency: str) -> dict:
    email = unique_email(f"{role}.{agency.lower()}")
    body = {
        "name": f"Staf {role} {agency}",
        "email": email,
        "password": "rahasia-Serang-2026",
        "roles": [role],
        "agency": agency,
    }
    response = client.post("/api/v1/admin/staff", json=body, headers=auth(admin_token))
    assert response.status_code == 201, response.get_json()
    return {"token": login(client, email), "email": email, "role": role, "agency": agency}


@pytest.fixture(scope="module")
def staff(client, admin):
    """The people of the process: Kesra, the OPD verifiers and officers, TAPD (BPKAD)."""
    return {
        "kesra": make_staff(client, admin, "verifier", "KESRA"),
        "dispora": make_staff(client, admin, "verifier", "DISPORA"),
        "dispora_officer": make_staff(client, admin, "officer", "DISPORA"),
        "dinsos": make_staff(client, admin, "verifier", "DINSOS"),
        "dinsos_officer": make_staff(client, admin, "officer", "DINSOS"),
        "dinkes": make_staff(client, admin, "verifier", "DINKES"),
        "tapd": make_staff(client, admin, "budget_team", "BPKAD"),
    }


def open_rounds(client, token: str, years=(THIS_YEAR, THIS_YEAR + 1)) -> list[dict]:
    """Open the hibah and bansos rounds of `years` for the whole of this year, through the API
    as Bagian Kesra (or an admin); a round that is already there is left as it is."""
    opened = []
    for year in years:
        for kind in ("hibah", "bansos"):
            body = {
                "budget_year": year,
                "kind": kind,
                "opens_on": f"{THIS_YEAR}-01-01",
                "closes_on": f"{THIS_YEAR}-12-31",
            }
            response = client.post("/api/v1/proposals/rounds", json=body, headers=auth(token))
            assert response.status_code in (201, 409), response.get_json()
            opened.append(response.get_json())
    return opened


def citizen(client) -> dict:
    user = register_citizen(client, name=f"Pemohon Uji {next(_seq)}")
    return user | {"token": login(client, user["email"])}


def fresh_point() -> dict:
    points = desa_points()
    return points[(next(_points) * 41) % len(points)]


def nik() -> str:
    return f"3604{uuid.uuid4().int % 10**12:012d}"


def organisation_body(point: dict | None = None, **overrides) -> dict:
    point = point or fresh_point()
    name = f"Yayasan Uji Serang {uuid.uuid4().hex[:6]}"
    return {
        "name": name,
        "legal_form": "yayasan",
        "legal_entity_number": f"AHU-{uuid.uuid4().int % 10**7:07d}.AH.01.04",
        "sk_kepengurusan": "SK/01/2025",
        "established_on": "2015-03-01",
        "address": f"Jl. Raya Uji No. {next(_seq)} RT 01 RW 02",
        "lat": point["lat"],
        "lon": point["lon"],
        "phone": f"0812{uuid.uuid4().int % 10**8:08d}",
        "email": unique_email("lembaga"),
        "npwp": f"{uuid.uuid4().int % 10**15:015d}",
        "bank_name": "Bank BJB",
        "bank_account_number": f"00{uuid.uuid4().int % 10**10:010d}",
        "bank_account_name": name,
        "responsible_people": [
            {"name": "Haji Ahmad Ketua", "position": "Ketua", "nik": nik(), "phone": "081234567890"}
        ],
    } | overrides


def individual_body(point: dict | None = None, **overrides) -> dict:
    point = point or fresh_point()
    return {
        "name": "Siti Nurhasanah Warga",
        "nik": nik(),
        "address": f"Kp. Uji No. {next(_seq)} RT 03 RW 04",
        "lat": point["lat"],
        "lon": point["lon"],
        "phone": f"0813{uuid.uuid4().int % 10**8:08d}",
        "email": unique_email("perorangan"),
        "bank_name": "Bank BRI",
        "bank_account_number": f"01{uuid.uuid4().int % 10**10:010d}",
        "bank_account_name": "Siti Nurhasanah Warga",
    } | overrides


def create_applicant(client, token: str, kind: str = "organisation", **overrides) -> dict:
    body = (organisation_body if kind == "organisation" else individual_body)(**overrides)
    path = "organisations" if kind == "organisation" else "individuals"
    response = client.post(f"/api/v1/proposals/{path}", json=body, headers=auth(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def draft_body(applicant_id: int, kind: str = "hibah", **overrides) -> dict:
    point = overrides.pop("point", None) or fresh_point()
    amount = overrides.pop("requested_amount", 30_000_000)
    return {
        "applicant_id": applicant_id,
        "kind": kind,
        "budget_year": THIS_YEAR,
        "title": f"Usulan uji {next(_seq)}",
        "purpose": "Pembinaan kegiatan masyarakat di tingkat desa selama satu tahun.",
        "activities": "Pelatihan, perlengkapan, pertandingan antardesa.",
        "category": "olahraga" if kind == "hibah" else "sosial",
        "requested_amount": amount,
        "cost_lines": [
            {"item": "Perlengkapan", "amount": amount - amount // 3},
            {"item": "Konsumsi dan transport", "amount": amount // 3},
        ],
        "lat": point["lat"],
        "lon": point["lon"],
    } | overrides


def create_draft(client, token: str, applicant_id: int, kind: str = "hibah", **overrides) -> dict:
    response = client.post(
        "/api/v1/proposals", json=draft_body(applicant_id, kind, **overrides), headers=auth(token)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def upload(client, token: str, public_id: str, doc_type: str, content: bytes = PDF, name="a.pdf"):
    return client.post(
        f"/api/v1/proposals/{public_id}/documents",
        data={"doc_type": doc_type, "files": [(io.BytesIO(content), name)]},
        headers=auth(token),
        content_type="multipart/form-data",
    )


def validity(kind: str) -> dict:
    """Dates a standing document of `kind` holds with for this year's and next year's budget."""
    rule = STANDING_KINDS[kind].validity
    if rule == EXPIRES:
        return {"valid_from": f"{THIS_YEAR - 1}-01-01", "valid_until": f"{THIS_YEAR + 3}-12-31"}
    if rule == NEVER:
        return {"valid_from": "2015-03-01"}
    return {}


def upload_standing(
    client, token: str, applicant_id: int, kind: str, content: bytes = PDF, name="a.pdf", **dates
):
    """POST one standing document to an organisation's profile (dates: valid_from/valid_until;
    without any, the kind's usual validity)."""
    form = {"kind": kind} | (dates if dates else validity(kind))
    return client.post(
        f"/api/v1/proposals/applicants/{applicant_id}/documents",
        data=form | {"file": (io.BytesIO(content), name)},
        headers=auth(token),
        content_type="multipart/form-data",
    )


def standing_documents(client, token: str, applicant_id: int) -> dict:
    response = client.get(
        f"/api/v1/proposals/applicants/{applicant_id}/documents", headers=auth(token)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def keep_standing(client, token: str, applicant_id: int, kinds=tuple(STANDING_KINDS)) -> dict:
    """The organisation's profile holds a valid version of each of `kinds` (uploaded where not)."""
    listing = standing_documents(client, token, applicant_id)
    for item in listing["items"]:
        if item["kind"] in kinds and item["status"] != "valid":
            response = upload_standing(client, token, applicant_id, item["kind"])
            assert response.status_code == 201, response.get_json()
            listing = response.get_json()
    return listing


def upload_checklist(client, token: str, proposal: dict) -> dict:
    """The proposal's own documents uploaded to it, and the organisation's standing ones kept
    on its profile: what submitting needs."""
    kind, applicant_kind = proposal["kind"], proposal["applicant"]["kind"]
    standing = profile_documents(kind, applicant_kind, proposal["bansos_type"])
    if standing:
        keep_standing(client, token, proposal["applicant"]["id"], standing)
    latest = proposal
    for doc_type in proposal_documents(kind, applicant_kind, proposal["bansos_type"]):
        response = upload(client, token, proposal["public_id"], doc_type)
        assert response.status_code == 201, response.get_json()
        latest = response.get_json()
    return latest


def submitted_proposal(client, token: str, kind: str = "hibah", **overrides) -> dict:
    """A citizen's organisation (hibah) or individual (bansos) proposal, submitted."""
    applicant_kind = "organisation" if kind == "hibah" else "individual"
    applicant = create_applicant(client, token, applicant_kind)
    draft = create_draft(client, token, applicant["id"], kind, **overrides)
    upload_checklist(client, token, draft)
    response = client.post(
        f"/api/v1/proposals/{draft['public_id']}/submit", json={}, headers=auth(token)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def act(client, who: dict | str, public_id: str, action: str, **extra):
    token = who["token"] if isinstance(who, dict) else who
    return client.post(
        f"/api/v1/proposals/{public_id}/transitions",
        json={"action": action, **extra},
        headers=auth(token),
    )


def declare(client, who: dict, public_id: str, decision: str = "no_conflict", note=None):
    response = client.post(
        f"/api/v1/proposals/{public_id}/declarations",
        json={"decision": decision, "note": note},
        headers=auth(who["token"]),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def field_check(client, verifier: dict, public_id: str) -> dict:
    photo = upload(client, verifier["token"], public_id, "foto_verifikasi", png(), "lokasi.png")
    assert photo.status_code == 201, photo.get_json()
    photo_ids = [
        d["id"] for d in photo.get_json()["documents"] if d["doc_type"] == "foto_verifikasi"
    ]
    response = client.post(
        f"/api/v1/proposals/{public_id}/field-checks",
        json={
            "checked_on": f"{THIS_YEAR}-06-01",
            "findings": "Sekretariat ada dan aktif; kegiatan sesuai proposal.",
            "photo_ids": photo_ids,
        },
        headers=auth(verifier["token"]),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def registry_item(client, public_id: str, **filters) -> dict | None:
    response = client.get("/api/v1/registry/proposals", query_string={"per_page": 100, **filters})
    assert response.status_code == 200, response.get_json()
    return next((i for i in response.get_json()["items"] if i["public_id"] == public_id), None)


def private_values(proposal: dict) -> list[str]:
    """Everything of an applicant that must never be in a public response."""
    applicant = proposal["applicant"]
    values = [
        applicant.get("phone"),
        applicant.get("email"),
        applicant.get("npwp"),
        applicant.get("bank_account_number"),
        applicant.get("address"),
        applicant.get("nik"),
        proposal.get("sp2d_ref"),
    ]
    values += [p.get("nik") for p in applicant.get("responsible_people") or []]
    values += [p.get("phone") for p in applicant.get("responsible_people") or []]
    values += [d["url"] for d in proposal.get("documents") or []]
    if applicant["kind"] == "individual":
        values.append(applicant["name"])
    return [v for v in values if v]


def public_responses(client, public_id: str) -> dict[str, str]:
    """Every public response that speaks of the proposal (no login), as text."""
    bodies = {
        "registry": client.get("/api/v1/registry/proposals", query_string={"per_page": 100}),
        "entry": client.get(f"/api/v1/registry/proposals/{public_id}"),
        "csv": client.get("/api/v1/registry/proposals.csv"),
        "json": client.get("/api/v1/registry/grants.360g.json"),
        "applications": client.get("/api/v1/registry/applications.json"),
        "gis": client.get("/gis/collections/proposals/items", query_string={"limit": 1000}),
    }
    for name, response in bodies.items():
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
    return {name: r.get_data(as_text=True) for name, r in bodies.items()}


def assert_nothing_private(client, proposal: dict) -> dict[str, str]:
    texts = public_responses(client, proposal["public_id"])
    secrets = private_values(proposal)
    for name, body in texts.items():
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{name} leaks {leaked}"
        for key in ("nik", "bank_account", "npwp", "phone", "email", "sp2d"):
            assert f'"{key}' not in body.lower(), f"{name} has a field named {key}"
    return texts


def db_rows(url: str, sql: str, **params) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def emails_about(smtp, address: str, public_id: str) -> list:
    return [m for m in smtp.to(address) if public_id in m["Subject"]]


def as_json(response) -> dict:
    return json.loads(response.get_data(as_text=True))


def load_demo(platform) -> None:
    """make demo's Serang Open proposals (every stage), straight into this platform's database."""
    from sqlalchemy.orm import Session

    from services.proposals.demo import load_demo_proposals

    engine = make_engine(platform.config["PROPOSALS_DATABASE_URL"])
    with Session(engine) as session, session.begin():
        load_demo_proposals(session)
    engine.dispose()
