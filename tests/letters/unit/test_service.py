"""Sisumaker's rules and entrypoints on a real SQLite session, nothing on the bus: nameko's
worker_factory for the service, plain Desks for the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy.orm import Session

from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from services.letters import disposing, reading, registering, rules, store
from services.letters.contract import (
    DISPOSITION_GIVEN,
    LETTER_COMPLETED,
    LETTER_REGISTERED,
    agenda_number,
)
from services.letters.desk import Desk
from services.letters.models import Base, Disposition, Letter
from services.letters.service import LettersService

CLERK = Actor(user_id=1, roles=frozenset({"clerk"}), agency="DPUPR")
HEAD = Actor(user_id=2, roles=frozenset({"head"}), agency="DPUPR")
OFFICER = Actor(user_id=3, roles=frozenset({"officer"}), agency="DPUPR")
VERIFIER = Actor(user_id=4, roles=frozenset({"verifier"}), agency="DPUPR")
OTHER_HEAD = Actor(user_id=9, roles=frozenset({"head"}), agency="DINSOS")
CITIZEN = Actor(user_id=5, roles=frozenset({"citizen"}))
ADMIN = Actor(user_id=6, roles=frozenset({"admin"}))
STAFF = {
    "DPUPR": [
        {"user_id": 1, "name": "Tata Usaha", "roles": ["clerk"], "email": "tu@x.example"},
        {"user_id": 2, "name": "Kepala", "roles": ["head"], "email": "kepala@x.example"},
        {"user_id": 3, "name": "Petugas", "roles": ["officer"], "email": "p@x.example"},
        {"user_id": 4, "name": "Verifikator", "roles": ["verifier"], "email": "v@x.example"},
    ],
    "DINSOS": [{"user_id": 9, "name": "Kepala Dinsos", "roles": ["head"], "email": "k@y.example"}],
}


class Accounts:
    def agency_staff(self, agency, roles):
        return STAFF.get(agency, [])


class Outbox:
    def __init__(self):
        self.events = []

    def add(self, event_type, **payload):
        self.events.append((event_type, payload))


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'letters.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def desk(session):
    outbox = Outbox()

    def as_(actor):
        return Desk(session, actor, outbox, Accounts())

    as_.outbox = outbox
    return as_


def body(**changes):
    on = rules.today()
    return {
        "sender": "Bappeda",
        "letter_number": "005/12",
        "letter_date": (on - timedelta(days=2)).isoformat(),
        "received_date": on.isoformat(),
        "subject": "Rapat",
        "classification": "biasa",
    } | changes


def due(days=3):
    return (rules.today() + timedelta(days=days)).isoformat()


def test_agenda_numbers_have_five_digits_and_count_per_agency_and_year(session):
    assert agenda_number("DPUPR", 2026, 42) == "DPUPR/2026/00042"
    assert [store.next_sequence(session, "DPUPR", 2026) for _ in range(3)] == [1, 2, 3]
    assert store.next_sequence(session, "DINSOS", 2026) == 1
    assert store.next_sequence(session, "DPUPR", 2027) == 1


def test_the_clerk_registers_and_the_head_is_told(desk):
    letter = registering.register(desk(CLERK), body(subject="  Rapat koordinasi  "))
    assert letter["subject"] == "Rapat koordinasi" and letter["status"] == "baru"
    assert letter["agenda_number"].startswith(f"DPUPR/{rules.today().year}/")
    [(kind, event)] = desk.outbox.events
    assert kind == LETTER_REGISTERED and event["registered_by"] == CLERK.user_id
    assert "Rapat" not in str(event)


@pytest.mark.parametrize("actor", [HEAD, OFFICER, ADMIN, CITIZEN])
def test_only_a_clerk_of_an_agency_registers(desk, actor):
    with pytest.raises(Forbidden):
        registering.register(desk(actor), body())
    with pytest.raises(Unauthorized):
        registering.register(desk(Actor()), body())


def test_dates_in_the_future_or_out_of_order_are_named(desk):
    tomorrow = (rules.today() + timedelta(days=1)).isoformat()
    with pytest.raises(Invalid) as future:
        registering.register(desk(CLERK), body(received_date=tomorrow, letter_date=tomorrow))
    assert set(future.value.errors) == {"letter_date", "received_date"}
    with pytest.raises(Invalid) as order:
        registering.register(
            desk(CLERK),
            body(
                letter_date=rules.today().isoformat(),
                received_date=(rules.today() - timedelta(days=1)).isoformat(),
            ),
        )
    assert "received_date" in order.value.errors


def test_a_rahasia_letter_is_seen_by_its_clerk_head_and_recipients_only(desk):
    letter = registering.register(desk(CLERK), body(classification="rahasia"))
    other_clerk = Actor(user_id=7, roles=frozenset({"clerk"}), agency="DPUPR")
    for actor in (CLERK, HEAD):
        assert reading.get_letter(desk(actor), letter["id"])["id"] == letter["id"]
    for actor in (OFFICER, other_clerk, OTHER_HEAD):
        with pytest.raises(NotFound):
            reading.get_letter(desk(actor), letter["id"])
        assert reading.list_letters(desk(actor), {})["total"] == 0
    disposing.dispose(
        desk(HEAD),
        letter["id"],
        {"to_user_ids": [3], "instruction": "untuk diketahui", "due_date": due()},
    )
    assert reading.get_letter(desk(OFFICER), letter["id"])["my_open_dispositions"]
    with pytest.raises(Forbidden):
        reading.list_letters(desk(CITIZEN), {})
    with pytest.raises(Forbidden):
        reading.list_letters(desk(ADMIN), {})


def test_a_disposition_goes_to_staff_of_the_same_agency_and_not_in_the_past(desk):
    letter = registering.register(desk(CLERK), body())
    for wrong, field in (
        ({"to_user_ids": [9]}, "to_user_ids"),  # DINSOS
        ({"to_user_ids": [2]}, "to_user_ids"),  # the head himself
        ({"to_user_ids": [3, 3]}, "to_user_ids"),
        ({"to_user_ids": []}, "to_user_ids"),
        ({"due_date": (rules.today() - timedelta(days=1)).isoformat()}, "due_date"),
        ({"instruction": " "}, "instruction"),
        ({"instruction": "x" * 201}, "instruction"),
    ):
        payload = {"to_user_ids": [3], "instruction": "tindak lanjuti", "due_date": due()} | wrong
        with pytest.raises(Invalid) as refused:
            disposing.dispose(desk(HEAD), letter["id"], payload)
        assert field in refused.value.errors, wrong
    with pytest.raises(Forbidden):
        disposing.dispose(
            desk(OFFICER), letter["id"], {"to_user_ids": [4], "instruction": "x", "due_date": due()}
        )
    with pytest.raises(NotFound):
        disposing.dispose(
            desk(OTHER_HEAD),
            letter["id"],
            {"to_user_ids": [9], "instruction": "x", "due_date": due()},
        )


def test_the_letter_is_done_when_every_disposition_is(desk):
    letter = registering.register(desk(CLERK), body())
    given = disposing.dispose(
        desk(HEAD),
        letter["id"],
        {"to_user_ids": [3, 4], "instruction": "Tindak lanjuti", "due_date": due()},
    )
    kinds = [k for k, _ in desk.outbox.events]
    assert kinds.count(DISPOSITION_GIVEN) == 2
    assert {e["instruction_code"] for k, e in desk.outbox.events if k == DISPOSITION_GIVEN} == {
        "tindak lanjuti"
    }
    first, second = given["dispositions"]
    with pytest.raises(Forbidden):
        disposing.complete(desk(OFFICER), letter["id"], second["id"], {"report": "x"})
    with pytest.raises(Invalid):
        disposing.complete(desk(OFFICER), letter["id"], first["id"], {"report": "  "})
    assert (
        disposing.complete(desk(OFFICER), letter["id"], first["id"], {"report": "ok"})["status"]
        == "diproses"
    )
    with pytest.raises(Conflict):
        disposing.complete(desk(OFFICER), letter["id"], first["id"], {"report": "lagi"})
    with pytest.raises(NotFound):
        disposing.complete(desk(VERIFIER), letter["id"] + 1, second["id"], {"report": "ok"})
    done = disposing.complete(desk(VERIFIER), letter["id"], second["id"], {"report": "ok"})
    assert done["status"] == "selesai" and done["may_dispose"] is False
    assert [k for k, _ in desk.outbox.events][-1] == LETTER_COMPLETED
    with pytest.raises(Conflict):
        disposing.dispose(
            desk(HEAD), letter["id"], {"to_user_ids": [3], "instruction": "x", "due_date": due()}
        )


def test_letter_status_and_overdue_rules():
    open_, done = (
        SimpleNamespace(status="terbuka", due_date=date(2026, 1, 5)),
        SimpleNamespace(status="selesai", due_date=date(2026, 1, 1)),
    )
    assert rules.letter_status([]) == "baru"
    assert rules.letter_status([open_, done]) == "diproses"
    assert rules.letter_status([done]) == "selesai"
    assert rules.is_overdue(open_, date(2026, 1, 6)) and not rules.is_overdue(
        open_, date(2026, 1, 5)
    )
    assert not rules.is_overdue(done, date(2026, 1, 6))
    assert rules.instruction_code(" Hadiri/Wakili ") == "hadiri/wakili"
    assert rules.instruction_code("Cek lokasi") == "lainnya"
    # midnight in Jakarta is still the day before in UTC
    assert rules.today(datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == date(2026, 1, 2)


def test_overdue_letters_come_first(desk, session):
    early = registering.register(desk(CLERK), body(subject="Lama"))
    registering.register(desk(CLERK), body(subject="Baru"))
    disposing.dispose(
        desk(HEAD), early["id"], {"to_user_ids": [3], "instruction": "x", "due_date": due()}
    )
    session.get(Disposition, 1).due_date = rules.today() - timedelta(days=1)
    session.flush()
    listed = reading.list_letters(desk(HEAD), {})["items"]
    assert [i["subject"] for i in listed] == ["Lama", "Baru"] and listed[0]["overdue"]


def test_the_service_delegates_with_the_callers_actor(session):
    service = worker_factory(LettersService, db=session, actor=CLERK)
    service.accounts.agency_staff.return_value = STAFF["DPUPR"]
    letter = service.register_letter(body())
    service.outbox.add.assert_called_once()
    assert service.list_letters({})["items"][0]["id"] == letter["id"]
    assert service.get_letter(letter["id"])["agenda_number"] == letter["agenda_number"]
    service.check_scan(letter["id"])
    scan = {
        "key": "letters/ab/" + "ab" * 32 + ".pdf",
        "content_type": "application/pdf",
        "size": 9,
        "sha256": "ab" * 32,
    }
    assert service.attach_scan(letter["id"], scan)["has_scan"] is True
    assert service.get_scan(letter["id"])["filename"].startswith("surat-DPUPR-")
    assert service.blob_keys() == [scan["key"]]
    names = [p["name"] for p in service.recipients({})["items"]]
    assert names == ["Kepala", "Petugas", "Verifikator"]  # everyone but the caller, by name
    assert "email" not in str(service.recipients({}))
    assert session.get(Letter, letter["id"]).scan_size == 9
