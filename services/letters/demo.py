"""Demo letters of DPUPR (idempotent; `make demo` calls `load` after the accounts demo):
one in every state, written through the service's own rules as its demo clerk
(tu.dpupr@gawe.example), head (kepala.dpupr@gawe.example) and officer
(petugas.dpupr@gawe.example) would. Their events wait in the outbox, so once the service runs
the head and the officer find the messages in their inbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import database_url
from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.outbox import record_event
from services.letters import disposing, registering, rules
from services.letters.desk import Desk
from services.letters.models import Disposition, Letter, outbox

CLERK, HEAD, OFFICER = (
    "tu.dpupr@gawe.example",
    "kepala.dpupr@gawe.example",
    "petugas.dpupr@gawe.example",
)
NAMES = {CLERK: "Tata Usaha DPUPR", HEAD: "Kepala DPUPR", OFFICER: "Petugas DPUPR"}
MARK = "DEMO/"  # the demo letters' own numbers start with it


class _Outbox:
    def __init__(self, session: Session):
        self.session = session

    def add(self, event_type: str, **payload) -> dict:
        return record_event(self.session, outbox, event_type, **payload)


class _Accounts:
    """The accounts demo's DPUPR staff, as accounts.agency_staff would name them."""

    def __init__(self, ids: dict[str, int]):
        self.staff = [
            {"user_id": ids[email], "name": NAMES[email], "roles": [role]}
            for email, role in ((CLERK, "clerk"), (HEAD, "head"), (OFFICER, "officer"))
        ]

    def agency_staff(self, agency, roles):
        return self.staff


def load(context: dict | None = None) -> dict:
    ids = ((context or {}).get("accounts") or {}).get("user_ids") or {}
    if not all(ids.get(email) for email in NAMES):
        raise SystemExit("the letters demo needs the accounts demo's DPUPR clerk, head and officer")
    engine = make_engine(database_url("letters"))
    try:
        with Session(engine) as session:
            if session.scalar(select(Letter.id).where(Letter.letter_number.startswith(MARK))):
                return {}
            made = _letters(session, ids)
            session.commit()
    finally:
        engine.dispose()
    print(f"Surat demo DPUPR: {made} surat (tu.dpupr, kepala.dpupr, petugas.dpupr)")
    return {}


def _letters(session: Session, ids: dict[str, int]) -> int:
    def desk(email: str, role: str) -> Desk:
        actor = Actor(user_id=ids[email], roles=frozenset({role}), agency="DPUPR")
        return Desk(session, actor, _Outbox(session), _Accounts(ids))

    clerk, head, officer = desk(CLERK, "clerk"), desk(HEAD, "head"), desk(OFFICER, "officer")
    on = rules.today()

    def day(offset: int) -> str:
        return (on - timedelta(days=offset)).isoformat()

    def letter(n: int, received: int, subject: str, sender: str, classification: str, summary: str):
        body = {
            "sender": sender,
            "letter_number": f"{MARK}{n:03d}/{on.year}",
            "letter_date": day(received + 2),
            "received_date": day(received),
            "subject": subject,
            "classification": classification,
            "summary": summary,
        }
        return registering.register(clerk, body)["id"]

    def give(who: Desk, letter_id: int, instruction: str, days: int, to: str = OFFICER) -> int:
        body = {
            "to_user_ids": [ids[to]],
            "instruction": instruction,
            "note": "Mohon segera ditindaklanjuti dan dilaporkan.",
            "due_date": (on + timedelta(days=days)).isoformat(),
        }
        return disposing.dispose(who, letter_id, body)["dispositions"][-1]["id"]

    # new: waiting for the head
    letter(
        1,
        0,
        "Permohonan perbaikan jalan desa Kragilan",
        "Kepala Desa Kragilan",
        "segera",
        "Jalan poros desa sepanjang 1,2 km rusak berat setelah musim hujan.",
    )
    letter(
        2,
        1,
        "Hasil audit kinerja pengadaan",
        "Inspektorat Kabupaten Serang",
        "rahasia",
        "Temuan audit atas paket pengadaan jalan tahun lalu (rahasia).",
    )
    # in progress: disposed to the officer, due in a week
    third = letter(
        3,
        3,
        "Undangan rapat koordinasi drainase perkotaan",
        "Bappeda Kabupaten Serang",
        "penting",
        "Rapat koordinasi rencana drainase kawasan Ciruas.",
    )
    give(head, third, "hadiri/wakili", 7)
    # in progress and overdue: disposed ten days ago, due three days ago
    fourth = letter(
        4,
        12,
        "Laporan kerusakan jembatan Ciujung",
        "Camat Kragilan",
        "segera",
        "Retakan pada oprit jembatan, mohon pemeriksaan teknis.",
    )
    late = give(head, fourth, "tindak lanjuti", 1)
    session.get(Disposition, late).due_date = on - timedelta(days=3)
    # done: disposed, reported and completed
    fifth = letter(
        5,
        20,
        "Permintaan data panjang jalan kabupaten",
        "BPS Kabupaten Serang",
        "biasa",
        "Data panjang dan kondisi jalan kabupaten per kecamatan.",
    )
    done = give(head, fifth, "siapkan jawaban", 5)
    disposing.complete(officer, fifth, done, {"report": "Data telah dikirim lewat surat balasan."})
    session.flush()
    return 5
