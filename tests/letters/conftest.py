"""The platform for Sisumaker tests, and factories: an agency's clerk, head and staff, letters
and their scans; a real SMTP server in the test process catches the emails."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

import pytest

from services.letters.rules import today
from tests.notifications.conftest import FAST
from tests.support.factories import PASSWORD, auth, login, unique_email

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_seq = itertools.count(1)


def unique_pdf() -> bytes:
    """A PDF no other test uploads: the blob store names files by content."""
    return PDF + f"% {uuid.uuid4().hex}\n".encode()


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST, "SERVICE_RPC_TIMEOUT": 3.0}
    return {"service_config": config}


@pytest.fixture(scope="module")
def blob_dir(platform, tmp_path_factory):
    """This module's own blob store (GAWE_BLOB_DIR), so that its files can be counted."""
    root = tmp_path_factory.mktemp("blobs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GAWE_BLOB_DIR", str(root))
        platform.app.extensions.pop("gawe_blobs", None)
        yield root
    platform.app.extensions.pop("gawe_blobs", None)


class Person:
    """A staff account: its id, email, name and bearer headers."""

    def __init__(self, client, user: dict, email: str):
        self.id, self.email, self.name = user["id"], email, user["name"]
        self.headers = auth(login(client, email))


def make_staff(client, admin: str, role: str, agency: str, name: str | None = None) -> Person:
    email = unique_email(f"{role}.{agency.lower()}")
    body = {
        "name": name or f"Staf {role} {agency} {next(_seq)}",
        "email": email,
        "password": PASSWORD,
        "roles": [role],
        "agency": agency,
    }
    created = client.post("/api/v1/admin/staff", json=body, headers=auth(admin))
    assert created.status_code == 201, created.get_json()
    return Person(client, created.get_json(), email)


def letter_body(**changes) -> dict:
    on = today()
    body = {
        "sender": "Kementerian Pekerjaan Umum dan Perumahan Rakyat",
        "letter_number": f"UM.01.02/{next(_seq)}",
        "letter_date": (on - timedelta(days=3)).isoformat(),
        "received_date": on.isoformat(),
        "subject": "Undangan rapat koordinasi jalan daerah",
        "classification": "biasa",
        "summary": "Rapat koordinasi penanganan jalan kabupaten tahun anggaran berjalan.",
    }
    return body | changes


def register(client, clerk: Person, **changes) -> dict:
    response = client.post("/api/v1/letters", json=letter_body(**changes), headers=clerk.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def dispose(client, who: Person, letter_id: int, to: list[Person], **changes) -> dict:
    body = {
        "to_user_ids": [p.id for p in to],
        "instruction": "tindak lanjuti",
        "note": "Mohon dikoordinasikan dengan bidang terkait.",
        "due_date": (today() + timedelta(days=7)).isoformat(),
    } | changes
    response = client.post(
        f"/api/v1/letters/{letter_id}/dispositions", json=body, headers=who.headers
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def upload_scan(client, who: Person, letter_id: int, content: bytes, name: str = "surat.pdf"):
    import io

    return client.post(
        f"/api/v1/letters/{letter_id}/scan",
        data={"scan": [(io.BytesIO(content), name)]},
        content_type="multipart/form-data",
        headers=who.headers,
    )


def iso(day: date) -> str:
    return day.isoformat()
