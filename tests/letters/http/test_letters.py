"""Sisumaker through the gateway, with every service on the real bus: a letter from its
registration to done, its scan, the agency's archive and its notifications."""

from __future__ import annotations

import re
from datetime import timedelta

import eventlet
import pytest
from nameko.events import event_handler
from nameko.runners import ServiceRunner
from sqlalchemy import text

from gateway.blobs import main as blobs_command
from servicekit.database import make_engine
from services.letters.contract import (
    DISPOSITION_COMPLETED,
    DISPOSITION_GIVEN,
    LETTER_COMPLETED,
    LETTER_REGISTERED,
)
from services.letters.rules import today
from tests.letters.conftest import (
    dispose,
    letter_body,
    make_staff,
    register,
    unique_pdf,
    upload_scan,
)
from tests.support import logcapture
from tests.support.snapshots import stored_files
from tests.support.waiting import wait_until

HEARD: list = []
AGENDA = re.compile(r"^DPUPR/(\d{4})/(\d{5})$")


class Listener:
    """Another app on the bus, hearing every event of letters."""

    name = "letters_listener"

    @event_handler("letters", LETTER_REGISTERED.split(".", 1)[1])
    def registered(self, payload):
        HEARD.append(payload)

    @event_handler("letters", DISPOSITION_GIVEN.split(".", 1)[1])
    def given(self, payload):
        HEARD.append(payload)

    @event_handler("letters", DISPOSITION_COMPLETED.split(".", 1)[1])
    def completed(self, payload):
        HEARD.append(payload)

    @event_handler("letters", LETTER_COMPLETED.split(".", 1)[1])
    def done(self, payload):
        HEARD.append(payload)


@pytest.fixture(scope="module")
def platform(platform):
    HEARD.clear()  # the other backend's platform heard letters with the same ids
    listener = ServiceRunner(platform.config)
    listener.add_service(Listener)
    listener.start()
    yield platform
    listener.stop()


@pytest.fixture(scope="module")
def dpupr(platform, admin):
    """DPUPR's clerk, head, officer and verifier; DINSOS's head (another agency)."""
    client = platform.client
    people = {
        "clerk": make_staff(client, admin, "clerk", "DPUPR"),
        "head": make_staff(client, admin, "head", "DPUPR"),
        "officer": make_staff(client, admin, "officer", "DPUPR"),
        "verifier": make_staff(client, admin, "verifier", "DPUPR"),
        "kabid": make_staff(client, admin, "officer", "DPUPR"),
    }
    logcapture.watch({f"{k}'s email": re.compile(re.escape(p.email)) for k, p in people.items()})
    return people


def events_of(letter_id: int) -> list[dict]:
    return [e for e in HEARD if e["letter_id"] == letter_id]


def inbox(client, person) -> list[dict]:
    return client.get("/api/v1/inbox", headers=person.headers).get_json()["items"]


def test_a_letter_goes_from_registration_through_dispositions_to_done(client, dpupr, smtp):
    clerk, head, officer, verifier, kabid = (
        dpupr[k] for k in ("clerk", "head", "officer", "verifier", "kabid")
    )
    letter = register(client, clerk, classification="segera", subject="Perbaikan Jembatan Ciujung")
    number = AGENDA.match(letter["agenda_number"])
    assert number and int(number.group(1)) == today().year, letter["agenda_number"]
    assert letter["status"] == "baru" and letter["dispositions"] == []
    assert letter["classification_label"] == "Segera" and letter["may_dispose"] is False

    # the head hears of the new letter, sees it and whom he may dispose it to
    assert wait_until(
        lambda: [m for m in smtp.to(head.email) if letter["agenda_number"] in m["Subject"]],
        timeout=20,
    )
    listed = client.get("/api/v1/letters", headers=head.headers).get_json()
    assert letter["id"] in [item["id"] for item in listed["items"]]
    assert listed["page"] == 1 and listed["total"] >= 1
    staff = client.get("/api/v1/letters/recipients", headers=head.headers).get_json()
    by_id = {p["user_id"]: p for p in staff["items"]}
    assert {officer.id, verifier.id, clerk.id, kabid.id} <= set(by_id) and head.id not in by_id
    assert by_id[officer.id]["name"] == officer.name and by_id[officer.id]["roles"] == ["officer"]
    assert "@" not in str(staff)  # names and ids only: no addresses

    seen = client.get(f"/api/v1/letters/{letter['id']}", headers=head.headers).get_json()
    assert seen["may_dispose"] is True
    due = (today() + timedelta(days=5)).isoformat()
    disposed = dispose(
        client, head, letter["id"], [officer, verifier], instruction="siapkan jawaban", due_date=due
    )
    assert disposed["status"] == "diproses"
    given = {d["to_user_id"]: d for d in disposed["dispositions"]}
    assert set(given) == {officer.id, verifier.id}
    assert all(d["from_user_id"] == head.id and d["due_date"] == due for d in given.values())
    assert given[officer.id]["to_name"] == officer.name and given[officer.id]["parent_id"] is None

    # every recipient gets an inbox message and an email
    for person in (officer, verifier):
        assert wait_until(
            lambda p=person: [
                m for m in smtp.to(p.email) if letter["agenda_number"] in m["Subject"]
            ],
            timeout=20,
        )
        assert wait_until(
            lambda p=person: [
                i for i in inbox(client, p) if letter["agenda_number"] in i["subject"]
            ],
            timeout=20,
        )
    mail = [m for m in smtp.to(officer.email) if "Disposisi" in m["Subject"]][0]
    body = mail.get_body(("plain",)).get_content()
    assert "siapkan jawaban" in body and due in body

    # the officer passes his part down to the kabid, with an instruction of his own
    mine = client.get(f"/api/v1/letters/{letter['id']}", headers=officer.headers).get_json()
    assert mine["may_dispose"] is True and mine["my_open_dispositions"] == [given[officer.id]["id"]]
    passed = dispose(client, officer, letter["id"], [kabid], instruction="Cek lokasi jembatan")
    child = next(d for d in passed["dispositions"] if d["to_user_id"] == kabid.id)
    assert child["parent_id"] == given[officer.id]["id"] and child["from_user_id"] == officer.id
    assert child["instruction"] == "Cek lokasi jembatan"

    # each completes their part; the letter is done when the last one does
    url = f"/api/v1/letters/{letter['id']}/dispositions"
    for person, disposition_id in (
        (officer, given[officer.id]["id"]),
        (verifier, given[verifier.id]["id"]),
    ):
        done = client.post(
            f"{url}/{disposition_id}/complete",
            json={"report": "Sudah ditindaklanjuti."},
            headers=person.headers,
        )
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["status"] == "diproses"  # the kabid's is still open
    last = client.post(
        f"{url}/{child['id']}/complete",
        json={"report": "Lokasi sudah dicek, foto terlampir di berkas fisik."},
        headers=kabid.headers,
    ).get_json()
    assert last["status"] == "selesai" and last["completed_at"]
    assert all(d["status"] == "selesai" and d["report"] for d in last["dispositions"])
    # whoever gave a disposition hears it was completed; the clerk that the letter is done
    assert wait_until(
        lambda: [i for i in inbox(client, clerk) if "selesai" in i["subject"]], timeout=20
    )
    assert wait_until(
        lambda: [i for i in inbox(client, officer) if "selesai" in i["subject"]], timeout=20
    )

    # other apps hear every step, by ids and codes: no subject, no summary
    assert wait_until(lambda: len(events_of(letter["id"])) == 1 + 3 + 3 + 1, timeout=20)
    for event in events_of(letter["id"]):
        assert "Ciujung" not in str(event) and "Rapat" not in str(event)
        assert event["agency"] == "DPUPR" and event["agenda_number"] == letter["agenda_number"]
    codes = sorted(
        e["instruction_code"] for e in events_of(letter["id"]) if "instruction_code" in e
    )
    assert codes == ["lainnya", "siapkan jawaban", "siapkan jawaban"]


def test_agenda_numbers_stay_unique_when_clerks_register_at_the_same_moment(
    client, platform, admin, dpupr
):
    other_clerk = make_staff(platform.client, admin, "clerk", "DPUPR")
    clerks = [dpupr["clerk"], other_clerk] * 5
    pool = eventlet.GreenPool(10)
    numbers = list(
        pool.imap(lambda c: register(platform.app.test_client(), c)["agenda_number"], clerks)
    )
    assert len(set(numbers)) == len(numbers) == 10
    sequences = sorted(int(AGENDA.match(n).group(2)) for n in numbers)
    assert sequences == list(range(sequences[0], sequences[0] + 10))  # no gap, no repeat


def test_the_scan_is_a_pdf_kept_for_those_who_may_see_the_letter(
    client, platform, dpupr, blob_dir, monkeypatch
):
    clerk, head, officer = dpupr["clerk"], dpupr["head"], dpupr["officer"]
    letter = register(client, clerk, classification="rahasia")
    content = unique_pdf()
    stored = upload_scan(client, clerk, letter["id"], content)
    assert stored.status_code == 201, stored.get_json()
    assert stored.get_json()["has_scan"] is True
    read = client.get(f"/api/v1/letters/{letter['id']}/scan", headers=head.headers)
    assert read.status_code == 200 and read.data == content
    assert read.mimetype == "application/pdf" and "no-store" in read.headers["Cache-Control"]
    # a rahasia letter's scan: not for staff who are not its recipients, until they are
    url = f"/api/v1/letters/{letter['id']}/scan"
    assert client.get(url, headers=officer.headers).status_code == 404
    dispose(client, head, letter["id"], [officer])
    assert client.get(url, headers=officer.headers).data == content

    # an image is not a scan: refused by its content, whatever its name, and nothing stored
    before = stored_files(blob_dir)
    png = upload_scan(client, clerk, letter["id"], b"\x89PNG\r\n\x1a\n" + b"0" * 64, "surat.pdf")
    assert png.status_code == 415 and "scan[0]" in png.get_json()["errors"]
    assert stored_files(blob_dir) == before

    # the blob sweeper keeps the scan a letter refers to
    key = next(iter(stored_files(blob_dir)))
    assert key.startswith("letters/")
    monkeypatch.setenv("AMQP_URI", platform.config["AMQP_URI"])
    monkeypatch.setenv("GAWE_BLOB_DIR", str(blob_dir))
    assert blobs_command(["sweep", "--older-than", "0", "--services", "letters"]) == 0
    assert key in stored_files(blob_dir)


def test_the_archive_is_searched_by_text_sender_classification_status_and_dates(client, dpupr):
    clerk, head, officer = dpupr["clerk"], dpupr["head"], dpupr["officer"]
    on = today()
    tag = f"Drainase-{on.toordinal()}"
    old = register(
        client,
        clerk,
        subject=f"{tag} Kecamatan Cikande",
        sender="Camat Cikande",
        letter_date=(on - timedelta(days=40)).isoformat(),
        received_date=(on - timedelta(days=30)).isoformat(),
        classification="penting",
    )
    new = register(client, clerk, summary=f"Usulan {tag} desa", sender="Kepala Desa Kragilan")
    dispose(client, head, new["id"], [officer])

    def ids(**query) -> list[int]:
        answer = client.get("/api/v1/letters", query_string=query, headers=head.headers)
        assert answer.status_code == 200, answer.get_json()
        return [item["id"] for item in answer.get_json()["items"]]

    assert set(ids(q=tag.lower())) == {old["id"], new["id"]}
    assert ids(q=tag, sender="cikande") == [old["id"]]
    assert ids(q=tag, classification="penting") == [old["id"]]
    assert ids(q=tag, status="diproses") == [new["id"]]
    assert ids(q=tag, status="baru") == [old["id"]]
    assert ids(q=tag, received_from=(on - timedelta(days=1)).isoformat()) == [new["id"]]
    assert ids(q=tag, received_to=(on - timedelta(days=1)).isoformat()) == [old["id"]]
    assert ids(q=old["agenda_number"]) == [old["id"]]
    assert ids(q=f"{tag}%") == []  # a wildcard is a character like any other
    page = client.get(
        "/api/v1/letters", query_string={"q": tag, "per_page": 1, "page": 2}, headers=head.headers
    ).get_json()
    assert page["total"] == 2 and page["per_page"] == 1 and len(page["items"]) == 1
    mine = client.get(
        "/api/v1/letters", query_string={"mine": "true"}, headers=officer.headers
    ).get_json()
    assert new["id"] in [i["id"] for i in mine["items"]]
    assert old["id"] not in [i["id"] for i in mine["items"]]


def test_overdue_dispositions_head_the_lists(client, platform, dpupr):
    clerk, head, officer, verifier = (dpupr[k] for k in ("clerk", "head", "officer", "verifier"))
    late = register(client, clerk, subject="Laporan yang terlambat")
    dispose(client, head, late["id"], [officer, verifier])
    register(client, clerk, subject="Surat yang lebih baru")
    later = dispose(client, head, register(client, clerk)["id"], [officer])
    late_one = next(
        d["id"]
        for d in client.get(f"/api/v1/letters/{late['id']}", headers=head.headers).get_json()[
            "dispositions"
        ]
        if d["to_user_id"] == verifier.id
    )
    # time passes: the verifier's disposition is now past its due date
    engine = make_engine(platform.config["LETTERS_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE dispositions SET due_date = :d WHERE id = :i"),
            {"d": today() - timedelta(days=2), "i": late_one},
        )
    engine.dispose()

    listed = client.get("/api/v1/letters", headers=head.headers).get_json()["items"]
    assert listed[0]["id"] == late["id"] and listed[0]["overdue"] is True
    assert listed[0]["next_due_date"] == (today() - timedelta(days=2)).isoformat()
    assert not any(item["overdue"] for item in listed[1:])
    assert later["id"] in [item["id"] for item in listed[1:]]
    detail = client.get(f"/api/v1/letters/{late['id']}", headers=head.headers).get_json()
    assert detail["dispositions"][0]["id"] == late_one and detail["dispositions"][0]["overdue"]
    assert detail["dispositions"][1]["overdue"] is False


def test_the_platform_knows_the_app(client):
    ready = client.get("/readyz").get_json()
    assert "letters" in str(ready), ready
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/letters", "/api/v1/letters/recipients"} <= set(paths)
    assert letter_body()["classification"] == "biasa"


def test_the_staff_pages_show_the_agencys_letters(client, dpupr, platform, admin):
    from gateway.workspace.session import COOKIE

    clerk, head = dpupr["clerk"], dpupr["head"]
    letter = register(client, clerk, subject="Halaman surat uji")
    upload_scan(client, clerk, letter["id"], unique_pdf())
    browser = platform.app.test_client()
    assert browser.get("/staf/surat").status_code == 303  # to sign in first
    browser.set_cookie(COOKIE, head.headers["Authorization"].split(" ", 1)[1])
    listing = browser.get("/staf/surat", query_string={"q": "Halaman surat"})
    assert listing.status_code == 200 and letter["agenda_number"] in listing.get_data(as_text=True)
    page = browser.get(f"/staf/surat/{letter['id']}")
    assert page.status_code == 200 and "Halaman surat uji" in page.get_data(as_text=True)
    assert browser.get(f"/staf/surat/{letter['id']}/pindaian.pdf").data.startswith(b"%PDF")
    officer = platform.app.test_client()  # the staff desk links to the letters
    officer.set_cookie(COOKIE, dpupr["officer"].headers["Authorization"].split(" ", 1)[1])
    desk = officer.get("/staf")
    assert desk.status_code == 200 and "/staf/surat" in desk.get_data(as_text=True)
    assert "Antrean Serang Open" in desk.get_data(as_text=True)
    # the clerk and the head work at the staff desk too: their letters, not Serang Open's queue
    for person in (clerk, head):
        their = platform.app.test_client()
        their.set_cookie(COOKIE, person.headers["Authorization"].split(" ", 1)[1])
        desk = their.get("/staf")
        text = desk.get_data(as_text=True)
        assert desk.status_code == 200 and "/staf/surat" in text, text[:300]
        assert "Antrean Serang Open" not in text and "Meja staf" in text
    assert browser.get("/staf/surat", query_string={"status": "hilang"}).status_code == 400
    stranger = platform.app.test_client()
    dinsos = make_staff(client, admin, "head", "DINSOS")
    assert stranger.get(f"/staf/surat/{letter['id']}", headers=dinsos.headers).status_code == 404
