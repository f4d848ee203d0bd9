"""Sisumaker's forms on /staf/surat, used as a browser does (session cookie, the form's CSRF
token, no JavaScript): the clerk registers a letter with its scan, the head disposes it, a
recipient passes theirs down and each completes theirs; a refused form comes back with what
was typed and each field's error; nobody else sees or changes anything."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from services.letters.rules import today
from tests.letters.conftest import PDF, dispose, make_staff, register, unique_pdf
from tests.support import logcapture
from tests.support.snapshots import files_unchanged, nothing_written, unchanged
from tests.support.web import web_login

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
AGENDA = re.compile(r"DPUPR/\d{4}/\d{5}")


class Browser:
    """A person at their browser: signed in on /masuk, posting the forms their pages gave."""

    def __init__(self, platform, person):
        self.person = person
        self.client = platform.app.test_client()
        web_login(self.client, person.email)

    def get(self, path: str, status: int = 200) -> str:
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.get_data(as_text=True)

    def post(self, path: str, data: dict, page: str | None = None, **kwargs):
        """The form on `page` (else on `path`): its CSRF token as the page gave it."""
        token = CSRF.search(self.get(page or path)).group(1)
        return self.client.post(path, data=data | {"csrf": token}, **kwargs)


@pytest.fixture(scope="module")
def people(platform, admin):
    client = platform.client
    found = {
        "clerk": make_staff(client, admin, "clerk", "DPUPR", "Tata Usaha Halaman"),
        "head": make_staff(client, admin, "head", "DPUPR", "Kepala Halaman"),
        "officer": make_staff(client, admin, "officer", "DPUPR", "Kabid Halaman"),
        "verifier": make_staff(client, admin, "verifier", "DPUPR", "Kasi Halaman"),
        "dinsos_head": make_staff(client, admin, "head", "DINSOS"),
    }
    logcapture.watch({f"{k}'s email": re.compile(re.escape(p.email)) for k, p in found.items()})
    return found


@pytest.fixture(scope="module")
def browsers(platform, people):
    return {name: Browser(platform, person) for name, person in people.items()}


def letter_form(**changes) -> dict:
    on = today()
    form = {
        "sender": "Kementerian Dalam Negeri",
        "letter_number": "100.3/412/Bangda",
        "letter_date": (on - timedelta(days=4)).isoformat(),
        "received_date": (on - timedelta(days=1)).isoformat(),
        "subject": "Permintaan data jalan kabupaten lewat halaman",
        "classification": "penting",
        "summary": "Data kondisi jalan kabupaten per kecamatan.",
    }
    return form | changes


def scan(content: bytes, name: str = "surat.pdf") -> dict:
    return {"scan": (io.BytesIO(content), name)}


def api_letter(client, person, letter_id: int) -> dict:
    response = client.get(f"/api/v1/letters/{letter_id}", headers=person.headers)
    assert response.status_code == 200
    return response.get_json()


def test_the_clerk_registers_a_letter_with_its_scan(platform, client, people, browsers, blob_dir):
    clerk = browsers["clerk"]
    listing = clerk.get("/staf/surat")
    assert "Catat surat masuk" in listing and 'enctype="multipart/form-data"' in listing
    assert "Catat surat masuk" not in browsers["head"].get("/staf/surat")  # the clerk's form

    content = unique_pdf()
    response = clerk.post("/staf/surat", letter_form() | scan(content))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    found = re.fullmatch(r"/staf/surat/(\d+)\?ok=dicatat", location)
    assert found, location
    letter_id = int(found.group(1))

    page = clerk.get(location)
    letter = api_letter(client, people["clerk"], letter_id)
    assert AGENDA.fullmatch(letter["agenda_number"])
    assert f"nomor agenda {letter['agenda_number']}" in page
    assert "Permintaan data jalan kabupaten lewat halaman" in page
    assert letter["subject"] == "Permintaan data jalan kabupaten lewat halaman"
    assert letter["classification"] == "penting" and letter["status"] == "baru"
    assert letter["has_scan"] is True
    downloaded = clerk.client.get(f"/staf/surat/{letter_id}/pindaian.pdf")
    assert downloaded.status_code == 200 and downloaded.data == content


def test_a_refused_registration_keeps_what_was_typed_and_names_each_field(
    platform, people, browsers, blob_dir
):
    clerk = browsers["clerk"]
    typed = letter_form(subject="   ", sender="Pengirim yang tetap terisi")
    with nothing_written(platform, "letters"), files_unchanged(blob_dir):
        response = clerk.post("/staf/surat", typed)  # no scan either
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert 'value="Pengirim yang tetap terisi"' in page
        assert 'value="100.3/412/Bangda"' in page
        assert 'aria-describedby="subject-error"' in page
        assert '<p id="subject-error" class="error">Wajib diisi.</p>' in page
        assert '<p id="scan-error" class="error">Lampirkan pindaian surat (PDF).</p>' in page
        assert '<a href="#subject">Perihal</a>' in page  # the summary links to the field

        swapped = {"letter_date": today().isoformat()}
        swapped["received_date"] = (today() - timedelta(days=3)).isoformat()
        response = clerk.post("/staf/surat", letter_form(**swapped) | scan(PDF))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert (
            '<p id="received_date-error" class="error">'
            "Tanggal diterima tidak boleh sebelum tanggal surat.</p>"
        ) in page
        assert f'value="{swapped["letter_date"]}"' in page

        # a scan that is not a PDF, with every field right: still nothing registered
        response = clerk.post("/staf/surat", letter_form() | scan(b"GIF89a bukan pdf", "a.pdf"))
        assert response.status_code == 415
        page = response.get_data(as_text=True)
        assert 'id="scan-error"' in page and "Hanya PDF" in page
        assert 'value="Permintaan data jalan kabupaten lewat halaman"' in page

        # a date after today is the service's refusal, shown next to its field
        future = (today() + timedelta(days=2)).isoformat()
        response = clerk.post(
            "/staf/surat", letter_form(letter_date=future, received_date=future) | scan(PDF)
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert (
            '<p id="letter_date-error" class="error">Tanggal tidak boleh setelah hari ini.</p>'
            in page
        )


def test_the_head_disposes_a_recipient_passes_it_down_and_each_completes(
    platform, client, people, browsers
):
    head, officer, verifier = (browsers[k] for k in ("head", "officer", "verifier"))
    letter = register(client, people["clerk"], subject="Undangan rapat lewat halaman")
    path = f"/staf/surat/{letter['id']}"

    page = head.get(path)
    assert "Beri disposisi" in page
    assert f'name="to_user_ids" value="{people["officer"].id}"' in page
    assert '<option value="siapkan jawaban">' in page and '<option value="lainnya">' in page
    assert "Laporkan dan selesaikan" not in page  # nothing for the head to complete
    due = (today() + timedelta(days=5)).isoformat()
    form = {
        "to_user_ids": str(people["officer"].id),
        "instruction": "lainnya",
        "instruction_other": "Koordinasikan dengan Bappeda",
        "note": "Segera, mohon.",
        "due_date": due,
    }
    response = head.post(f"{path}/disposisi", form, page=path)
    assert response.status_code == 303 and response.headers["Location"] == f"{path}?ok=disposisi"
    page = head.get(response.headers["Location"])
    assert "Disposisi terkirim" in page and "Koordinasikan dengan Bappeda" in page
    assert f"Batas waktu {due}" in page and "Belum selesai" in page
    [given] = api_letter(client, people["head"], letter["id"])["dispositions"]
    assert given["instruction"] == "Koordinasikan dengan Bappeda"
    assert given["to_user_id"] == people["officer"].id and given["due_date"] == due

    # the officer passes it down to the verifier, then reports and completes their own
    page = officer.get(path)
    assert "Teruskan disposisi" in page and "Laporkan dan selesaikan" in page
    down = {
        "to_user_ids": str(people["verifier"].id),
        "instruction": "siapkan jawaban",
        "due_date": due,
    }
    assert officer.post(f"{path}/disposisi", down, page=path).status_code == 303
    response = officer.post(
        f"{path}/disposisi/{given['id']}/selesai", {"report": "Sudah dikoordinasikan."}, page=path
    )
    assert response.status_code == 303 and response.headers["Location"] == f"{path}?ok=selesai"
    page = officer.get(response.headers["Location"])
    assert "Laporan: Sudah dikoordinasikan." in page

    state = api_letter(client, people["head"], letter["id"])
    passed = next(d for d in state["dispositions"] if d["to_user_id"] == people["verifier"].id)
    assert passed["parent_id"] == given["id"] and passed["instruction"] == "siapkan jawaban"
    assert state["status"] == "diproses"
    response = verifier.post(
        f"{path}/disposisi/{passed['id']}/selesai", {"report": "Draf jawaban siap."}, page=path
    )
    assert response.status_code == 303
    done = api_letter(client, people["head"], letter["id"])
    assert done["status"] == "selesai"
    assert {d["report"] for d in done["dispositions"]} == {
        "Sudah dikoordinasikan.",
        "Draf jawaban siap.",
    }

    # a done letter: no form is offered, and an old form's post is a clear 409
    assert "Beri disposisi" not in head.get(path)
    with nothing_written(platform, "letters"):
        response = head.post(f"{path}/disposisi", form, page=path)
        assert response.status_code == 409
        assert "Surat sudah selesai. Tidak ada yang diubah" in response.get_data(as_text=True)
        response = verifier.post(
            f"{path}/disposisi/{passed['id']}/selesai", {"report": "Lagi."}, page=path
        )
        assert response.status_code == 409
        assert "Disposisi sudah selesai." in response.get_data(as_text=True)


def test_a_refused_disposition_keeps_what_was_typed(platform, client, people, browsers):
    head = browsers["head"]
    letter = register(client, people["clerk"])
    path = f"/staf/surat/{letter['id']}"
    typed = {
        "instruction": "lainnya",
        "instruction_other": "",
        "note": "Catatan yang tetap terisi",
        "due_date": (today() - timedelta(days=1)).isoformat(),
    }
    with nothing_written(platform, "letters"):
        response = head.post(f"{path}/disposisi", typed, page=path)  # nobody ticked
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Catatan yang tetap terisi</textarea>" in page
        assert '<option value="lainnya" selected>' in page
        assert 'id="to_user_ids-error"' in page and "Pilih 1 sampai 20 penerima." in page
        assert '<p id="instruction-error" class="error">Wajib diisi.</p>' in page

        ticked = typed | {"to_user_ids": str(people["officer"].id), "instruction": "tindak lanjuti"}
        response = head.post(f"{path}/disposisi", ticked, page=path)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert '<p id="due_date-error" class="error">Batas waktu sudah lewat.</p>' in page
        assert f'value="{people["officer"].id}" style="width:auto" checked' in page

    # the recipient's report: refused empty, kept in its own form
    [given] = dispose(client, people["head"], letter["id"], [people["officer"]])["dispositions"]
    officer = browsers["officer"]
    with nothing_written(platform, "letters"):
        response = officer.post(
            f"{path}/disposisi/{given['id']}/selesai", {"report": " "}, page=path
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'aria-describedby="report-{given["id"]}-error"' in page
        assert f'<p id="report-{given["id"]}-error" class="error">Wajib diisi.</p>' in page


def test_an_overdue_disposition_shows_on_the_letters_page(platform, client, people, browsers):
    letter = register(client, people["clerk"], subject="Surat yang terlambat di halaman")
    [given] = dispose(client, people["head"], letter["id"], [people["officer"]])["dispositions"]
    late = today() - timedelta(days=3)
    engine = make_engine(platform.config["LETTERS_DATABASE_URL"])  # time passes
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE dispositions SET due_date = :d WHERE id = :i"),
            {"d": late, "i": given["id"]},
        )
    engine.dispose()
    page = browsers["head"].get(f"/staf/surat/{letter['id']}")
    assert f"Batas waktu {late.isoformat()} · terlambat" in page
    assert "ada disposisi terlambat" in page


def test_others_see_nothing_and_change_nothing(platform, client, people, browsers, blob_dir):
    head, officer, verifier = (browsers[k] for k in ("head", "officer", "verifier"))
    plain = register(client, people["clerk"], subject="Surat biasa untuk penolakan")
    [to_officer] = dispose(client, people["head"], plain["id"], [people["officer"]])["dispositions"]
    secret = register(client, people["clerk"], classification="rahasia", subject="Rahasia Y")
    [to_verifier] = dispose(client, people["head"], secret["id"], [people["verifier"]])[
        "dispositions"
    ]
    plain_path, secret_path = f"/staf/surat/{plain['id']}", f"/staf/surat/{secret['id']}"
    token = CSRF.search(officer.get(plain_path)).group(1)
    due = (today() + timedelta(days=3)).isoformat()
    form = {"to_user_ids": str(people["verifier"].id), "instruction": "untuk diketahui"}
    form |= {"due_date": due, "csrf": token}

    with (
        nothing_written(platform, "letters"),
        files_unchanged(blob_dir),
        unchanged(client, f"/api/v1/letters/{secret['id']}", people["head"].headers),
    ):
        # a rahasia letter is not there for the agency's other staff, whatever they post
        assert officer.get(secret_path, status=404)
        assert "Rahasia Y" not in officer.get("/staf/surat")
        for path, body in (
            (f"{secret_path}/disposisi", form),
            (f"{secret_path}/disposisi/{to_verifier['id']}/selesai", {"report": "x"}),
        ):
            response = officer.client.post(path, data=body | {"csrf": token})
            assert response.status_code == 404, path
            assert "Rahasia Y" not in response.get_data(as_text=True)
        # another agency's head: every letter of DPUPR is unknown
        dinsos = browsers["dinsos_head"]
        assert dinsos.get(plain_path, status=404)
        dinsos_token = CSRF.search(dinsos.get("/staf/surat")).group(1)
        response = dinsos.client.post(f"{plain_path}/disposisi", data=form | {"csrf": dinsos_token})
        assert response.status_code == 404
        # the verifier sees the plain letter but neither disposes it nor completes another's
        response = verifier.post(f"{plain_path}/disposisi", form, page=plain_path)
        assert response.status_code == 403
        response = verifier.post(
            f"{plain_path}/disposisi/{to_officer['id']}/selesai", {"report": "x"}, page=plain_path
        )
        assert response.status_code == 403
        assert "Hanya penerima disposisi yang dapat menyelesaikannya." in response.get_data(
            as_text=True
        )
        # the head is no clerk: the form is refused before its scan is read
        response = head.post("/staf/surat", letter_form() | scan(unique_pdf()))
        assert response.status_code == 403
        # a form without its page's token, or from nobody signed in
        response = officer.client.post(
            f"{plain_path}/disposisi/{to_officer['id']}/selesai", data={"report": "x"}
        )
        assert response.status_code == 403
        anonymous = platform.app.test_client()
        response = anonymous.post("/staf/surat", data=letter_form())
        assert response.status_code == 303 and response.headers["Location"].startswith("/masuk")
