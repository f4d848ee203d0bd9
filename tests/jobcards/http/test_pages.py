"""Kartu Kuning in a browser, every service on the real bus: a citizen applies through the web
form, uploads the three documents and sends it; a DISNAKER officer returns it with a note, the
citizen corrects and sends it again, the officer approves (a second decision is a clear 409);
the holder reports. Refusals show each field's error and keep what was typed; strangers get
404/403 and nothing changes."""

from __future__ import annotations

import io
import re

import pytest

from tests.jobcards.support import BASE, PDF, application_body, complete, png
from tests.support.factories import PASSWORD, auth, login, register_citizen, unique_email
from tests.support.snapshots import nothing_written
from tests.support.web import web_login

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class Browser:
    """A person at a browser: signed in on /masuk, each form posted with its page's token."""

    def __init__(self, app, email: str):
        self.client = app.test_client()
        self.email = email
        web_login(self.client, email)

    def get(self, path: str, status: int = 200):
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response

    def text(self, path: str) -> str:
        return self.get(path).get_data(as_text=True)

    def post(self, path: str, data: dict, page: str | None = None, **kwargs):
        token = CSRF.search(self.text(page or "/saya")).group(1)
        return self.client.post(path, data=data | {"csrf": token}, **kwargs)

    def upload(self, application_id: int, doc_type: str, content: bytes, name: str):
        page = f"/kartu-kuning/{application_id}"
        data = {"type": doc_type, "file": (io.BytesIO(content), name)}
        return self.post(f"{page}/dokumen", data, page, content_type="multipart/form-data")


def form(**changes) -> dict:
    """What a person types into the application form (lists one per line)."""
    body = application_body(**changes)
    return {k: v for k, v in body.items() if v is not None} | {
        "skills": "\n".join(body["skills"]),
        "training": "\n".join(body["training"]),
    }


def officer_email(client, admin_token) -> str:
    email = unique_email("officer.disnaker")
    body = {"name": "Petugas DISNAKER", "email": email, "password": PASSWORD}
    made = client.post(
        "/api/v1/admin/staff",
        json=body | {"roles": ["officer"], "agency": "DISNAKER"},
        headers=auth(admin_token),
    )
    assert made.status_code == 201, made.get_json()
    return email


@pytest.fixture(scope="module")
def officer(platform, admin_token):
    return Browser(platform.app, officer_email(platform.client, admin_token))


@pytest.fixture
def person(platform, client):
    email = register_citizen(client)["email"]
    return Browser(platform.app, email)


def location_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    found = re.fullmatch(r"/kartu-kuning/(\d+)\?ok=\w+", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def test_apply_upload_send_return_correct_approve_and_report(platform, client, person, officer):
    about = person.text("/kartu-kuning")
    assert 'href="/kartu-kuning/ajukan"' in about
    assert 'for="nik"' in person.text("/kartu-kuning/ajukan")
    typed = form(desa_code="kramatwatu", work_wanted="Operator mesin")  # a desa by its name
    made = person.post("/kartu-kuning/ajukan", typed, "/kartu-kuning/ajukan")
    application_id = location_id(made)
    page = person.text(made.headers["Location"])
    assert "Draf tersimpan" in page and "Draf" in page and 'id="file_pas_foto"' in page
    token = login(client, person.email)
    api = client.get(f"{BASE}/{application_id}", headers=auth(token)).get_json()
    assert api["status"] == "draft" and api["desa_code"] == "36.04.05.2001"
    assert api["skills"] == ["Mengelas", "Membaca gambar teknik"]
    assert api["work_wanted"] == "Operator mesin" and api["nik"] == typed["nik"]

    # the passport photo must be an image: refused next to its field, nothing stored
    with nothing_written(platform, "jobcards"):
        refused = person.upload(application_id, "pas_foto", PDF, "foto.pdf")
    assert refused.status_code == 415
    text = refused.get_data(as_text=True)
    assert 'aria-describedby="file_pas_foto-error"' in text and 'id="file_pas_foto-error"' in text
    early = person.post(
        f"/kartu-kuning/{application_id}/kirim", {}, f"/kartu-kuning/{application_id}"
    )
    assert early.status_code == 422 and "Dokumen belum lengkap" in early.get_data(as_text=True)
    for doc_type, content, name in (
        ("ktp", png((9, 9, 9)), "ktp.png"),
        ("ijazah", PDF, "ijazah.pdf"),
        ("pas_foto", png(), "foto.png"),
    ):
        assert location_id(person.upload(application_id, doc_type, content, name)) == application_id
    sent = person.post(
        f"/kartu-kuning/{application_id}/kirim", {}, f"/kartu-kuning/{application_id}"
    )
    assert location_id(sent) == application_id
    assert "Menunggu pemeriksaan" in person.text(sent.headers["Location"])

    # DISNAKER: from the queue to the application, its documents, a decision
    desk = f"/staf/kartu-kuning/{application_id}"
    assert f'href="{desk}"' in officer.text("/staf")
    details = officer.text(desk)
    assert typed["nik"] in details and "Operator mesin" in details
    link = re.search(rf'href="(/kartu-kuning/{application_id}/dokumen/\d+)"', details).group(1)
    document = officer.get(link)
    assert document.data.startswith(b"\x89PNG") and "no-store" in document.headers["Cache-Control"]
    no_note = officer.post(desk, {"action": "return", "note": ""}, desk)
    assert no_note.status_code == 422
    assert 'id="note-error"' in no_note.get_data(as_text=True)
    returned = officer.post(desk, {"action": "return", "note": "Alamat kurang lengkap."}, desk)
    assert returned.status_code == 303 and "ok=return" in returned.headers["Location"]

    # the citizen reads the note, corrects the data and sends it again
    mine = person.text(f"/kartu-kuning/{application_id}")
    assert "Alamat kurang lengkap." in mine and "Dikembalikan untuk perbaikan" in mine
    edit = person.text(f"/kartu-kuning/{application_id}/ubah")
    assert f'value="{typed["nik"]}"' in edit and "Mengelas\nMembaca gambar teknik" in edit
    fixed = person.post(
        f"/kartu-kuning/{application_id}/ubah",
        typed
        | {
            "desa_code": "36.04.05.2001",
            "address": "Jl. Raya Kramatwatu No. 12 RT 01 RW 02 Serang",
        },
        f"/kartu-kuning/{application_id}/ubah",
    )
    assert location_id(fixed) == application_id
    again = person.post(
        f"/kartu-kuning/{application_id}/kirim", {}, f"/kartu-kuning/{application_id}"
    )
    assert location_id(again) == application_id
    api = client.get(f"{BASE}/{application_id}", headers=auth(token)).get_json()
    assert api["status"] == "submitted" and api["address"].endswith("Serang")

    approved = officer.post(desk, {"action": "approve", "note": ""}, desk)
    assert approved.status_code == 303
    card_number = client.get(f"{BASE}/{application_id}", headers=auth(token)).get_json()[
        "card_number"
    ]
    assert card_number in officer.text(approved.headers["Location"])
    # a decision on a form opened before another's: a clear 409 page, the status as it stands
    late = officer.post(desk, {"action": "reject", "note": "Terlambat."}, "/staf")
    assert late.status_code == 409
    late_text = late.get_data(as_text=True)
    assert "tidak disimpan" in late_text and "Kartu aktif" in late_text

    # the holder: the card and the six-monthly report on /saya
    saya = person.text("/saya")
    assert f"/kartu-kuning/{application_id}/kartu.pdf" in saya
    assert f'action="/kartu-kuning/{application_id}/lapor"' in saya
    half = person.post(f"/kartu-kuning/{application_id}/lapor", {"status": "employed"})
    assert half.status_code == 422
    half_text = half.get_data(as_text=True)
    assert f'id="r{application_id}_employer-error"' in half_text
    assert '<option value="employed" selected>' in half_text
    reported = person.post(f"/kartu-kuning/{application_id}/lapor", {"status": "still_looking"})
    assert location_id(reported) == application_id
    assert "Laporan tersimpan" in person.text(reported.headers["Location"])
    api = client.get(f"{BASE}/{application_id}", headers=auth(token)).get_json()
    assert [r["status"] for r in api["reports"]] == ["still_looking"]
    assert api["status"] == "approved"


def test_a_refused_application_names_each_field_and_keeps_what_was_typed(platform, person):
    typed = form(nik="123", name="Siti Aminah", desa_code="Desa Yang Tidak Ada")
    with nothing_written(platform, "jobcards"):
        refused = person.post("/kartu-kuning/ajukan", typed, "/kartu-kuning/ajukan")
        assert refused.status_code == 422
        text = refused.get_data(as_text=True)
        assert 'aria-describedby="nik-hint nik-error"' in text and 'id="nik-error"' in text
        assert "NIK harus terdiri dari 16 angka." in text
        assert 'id="desa_code-error"' in text and "tidak ditemukan" in text
        assert 'value="Siti Aminah"' in text and 'value="Desa Yang Tidak Ada"' in text
        # the NIK's birth date is not the form's: the service's refusal, on its field
        other = form(birth_date="1999-04-13")
        wrong = person.post("/kartu-kuning/ajukan", other, "/kartu-kuning/ajukan")
        assert wrong.status_code == 422
        assert "Tanggal lahir tidak sesuai dengan NIK." in wrong.get_data(as_text=True)
        assert 'id="birth_date-error"' in wrong.get_data(as_text=True)


def test_strangers_get_404_or_403_and_nothing_changes(platform, client, person, officer):
    owner = register_citizen(client)
    draft = complete(client, login(client, owner["email"]))
    path = f"/kartu-kuning/{draft['id']}"
    with nothing_written(platform, "jobcards"):
        assert person.client.get(path).status_code == 404
        assert person.client.get(f"{path}/ubah").status_code == 404
        doc = draft["documents"][0]["id"]
        assert person.client.get(f"{path}/dokumen/{doc}").status_code == 404
        assert person.post(f"{path}/kirim", {}).status_code == 404
        assert person.post(f"{path}/ubah", form()).status_code == 404
        assert person.post(f"{path}/lapor", {"status": "still_looking"}).status_code == 404
        upload = {"type": "ktp", "file": (io.BytesIO(PDF), "k.pdf")}
        assert (
            person.post(f"{path}/dokumen", upload, content_type="multipart/form-data").status_code
            == 404
        )
        assert person.client.get(f"/staf{path}").status_code == 403
        assert person.post(f"/staf{path}", {"action": "approve", "note": ""}).status_code == 403
        # the officer reads it, but a draft is not theirs to send or decide
        assert officer.post(f"{path}/kirim", {}, "/staf").status_code == 403
        assert (
            officer.post(f"/staf{path}", {"action": "approve"}, f"/staf{path}").status_code == 409
        )
        anonymous = platform.app.test_client()
        assert anonymous.get("/kartu-kuning/ajukan").headers["Location"].startswith("/masuk")
        assert anonymous.get(path).headers["Location"].startswith("/masuk")
        assert person.client.post(f"{path}/kirim", data={"csrf": "palsu"}).status_code == 403


def test_the_verification_form_works_without_javascript(client):
    found = client.get("/kartu-kuning/cek?nomor=AK1-3604-1999-000000")
    assert found.status_code == 303
    assert found.headers["Location"] == "/kartu-kuning/cek/AK1-3604-1999-000000"
    assert client.get("/kartu-kuning/cek").headers["Location"] == "/kartu-kuning#cek"
    assert "Nomor kartu tidak dikenal" in client.get(found.headers["Location"]).get_data(
        as_text=True
    )
