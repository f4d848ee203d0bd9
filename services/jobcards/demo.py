"""Demo data of Kartu Kuning (idempotent): the demo citizen's applications in every state, so
DISNAKER's demo officer (petugas.disnaker@gawe.example, made by the accounts demo) has a queue
and the citizen's /saya shows cards. Written into the jobcards database directly: the demo
loads before the services start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import database_url
from servicekit.database import make_engine
from services.jobcards import rules
from services.jobcards.models import Application, CardReport

OFFICER = "petugas.disnaker@gawe.example"
# (status, name, birth date, gender, education, note)
PEOPLE = (
    ("draft", "Rina Marlina", date(2001, 3, 9), "P", "sma", None),
    ("submitted", "Agus Salim", date(1998, 7, 21), "L", "smk", None),
    ("submitted", "Dewi Lestari", date(2000, 1, 30), "P", "d3", None),
    (
        "returned",
        "Hendra Gunawan",
        date(1997, 11, 2),
        "L",
        "s1",
        "Ijazah tidak terbaca; unggah ulang.",
    ),
    ("approved", "Siti Aminah", date(1999, 5, 17), "P", "s1", None),
    ("rejected", "Joko Widodo", date(1995, 8, 8), "L", "sma", "NIK tidak sesuai dengan KTP."),
    ("lapsed", "Yusuf Maulana", date(1996, 2, 14), "L", "smk", None),
    ("closed", "Lina Marlina", date(1994, 12, 1), "P", "d3", None),
)


def load(context: dict | None = None) -> dict:
    accounts = (context or {}).get("accounts", {})
    citizen = accounts.get("demo_citizen_id")
    officer = accounts.get("user_ids", {}).get(OFFICER)
    if citizen is None:
        return {}
    engine = make_engine(database_url("jobcards"))
    with Session(engine) as session:
        if session.scalar(select(Application.id).where(Application.applicant_user_id == citizen)):
            engine.dispose()
            return {"officer": OFFICER}
        for index, person in enumerate(PEOPLE):
            session.add(_application(citizen, officer, index, *person))
        session.commit()
    engine.dispose()
    return {"officer": OFFICER}


def _application(citizen, officer, index, status, name, born, gender, level, note) -> Application:
    now = datetime.now(UTC)
    day = born.day + (40 if gender == "P" else 0)
    issued = date.today() - timedelta(days=200 if status == "lapsed" else 30 + index)
    application = Application(
        applicant_user_id=citizen,
        status=status,
        nik=f"360405{day:02d}{born.month:02d}{born.year % 100:02d}{9000 + index:04d}",
        name=name,
        birth_place="Serang",
        birth_date=born,
        gender=gender,
        marital_status="belum_kawin",
        address=f"Jl. Raya Kramatwatu No. {index + 1}",
        desa_code="36.04.05.2001",
        desa_name="Kramatwatu",
        kecamatan_code="36.04.05",
        kecamatan_name="Kramatwatu",
        education_level=level,
        education_major=None,
        graduation_year=born.year + 18,
        skills=["Komputer perkantoran"],
        training=[],
        work_wanted="Staf administrasi",
        note=note,
        reminders_sent=0,
        created_at=now - timedelta(days=40),
        submitted_at=None if status == "draft" else now - timedelta(days=35 - index),
        updated_at=now,
        decided_by=officer if status not in ("draft", "submitted") else None,
    )
    if status in ("approved", "lapsed", "closed"):
        application.card_number = rules.card_number(issued.year, 900_000 + index)
        application.issued_on = issued
        application.valid_until = rules.valid_until(issued)
        application.report_due = None if status == "closed" else rules.next_report_due(issued)
    if status == "closed":
        application.closed_on = date.today() - timedelta(days=3)
        application.reports = [
            CardReport(
                status="employed",
                employer="PT Krakatau Steel",
                employed_on=application.closed_on,
                reported_at=now,
            )
        ]
    return application
