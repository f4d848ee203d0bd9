"""Helpers of the Kartu Kuning tests: people, a valid application, files."""

from __future__ import annotations

import io
import itertools
import uuid
from datetime import date

from PIL import Image

from tests.support.factories import PASSWORD, auth, login, unique_email

BASE = "/api/v1/jobcards"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_seq = itertools.count(uuid.uuid4().int % 5000 + 1)


def nik_for(born: date, gender: str = "L") -> str:
    """A plausible NIK of Kabupaten Serang for that birth date (women: day + 40)."""
    day = born.day + (40 if gender == "P" else 0)
    return f"360405{day:02d}{born.month:02d}{born.year % 100:02d}{next(_seq) % 9999 + 1:04d}"


def application_body(born: date = date(1999, 4, 12), gender: str = "L", **changes) -> dict:
    return {
        "nik": nik_for(born, gender),
        "name": "Budi Santoso",
        "birth_place": "Serang",
        "birth_date": born.isoformat(),
        "gender": gender,
        "marital_status": "belum_kawin",
        "phone": f"0813{next(_seq):08d}",
        "address": "Jl. Raya Kramatwatu No. 12 RT 01 RW 02",
        "desa_code": "36.04.05.2001",
        "education_level": "smk",
        "education_major": "Teknik Mesin",
        "graduation_year": 2017,
        "skills": ["Mengelas", "Membaca gambar teknik"],
        "training": ["Pelatihan las BLK Serang 2018"],
        "work_wanted": "Operator produksi",
    } | changes


def png(color=(200, 180, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), color).save(out, format="PNG")
    return out.getvalue()


def staff(client, admin_token: str, role: str, agency: str) -> str:
    email = unique_email(f"{role}.{agency.lower()}")
    body = {"name": f"Staf {agency}", "email": email, "password": PASSWORD}
    made = client.post(
        "/api/v1/admin/staff",
        json=body | {"roles": [role], "agency": agency},
        headers=auth(admin_token),
    )
    assert made.status_code == 201, made.get_json()
    return login(client, email)


def upload(client, token: str, application_id: int, doc_type: str, content: bytes, name: str):
    return client.post(
        f"{BASE}/{application_id}/documents",
        data={"type": doc_type, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=auth(token),
    )


def complete(client, token: str, **changes) -> dict:
    """A draft with its three documents, not yet submitted."""
    made = client.post(BASE, json=application_body(**changes), headers=auth(token))
    assert made.status_code == 201, made.get_json()
    application = made.get_json()
    for doc_type, content, name in (
        ("ktp", png((10, 10, 10)), "ktp.png"),
        ("ijazah", PDF, "ijazah.pdf"),
        ("pas_foto", png(), "foto.png"),
    ):
        response = upload(client, token, application["id"], doc_type, content, name)
        assert response.status_code == 201, response.get_json()
    return response.get_json()


def submitted(client, token: str, **changes) -> dict:
    application = complete(client, token, **changes)
    response = client.post(f"{BASE}/{application['id']}/submit", headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()
