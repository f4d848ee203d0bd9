"""Demo data of Serang Open: `python -m services.proposals.demo` (run by `make run`).

Fifteen proposals spread over every stage, hibah and bansos, several OPD and kecamatan, with
their applicants' private details filled in (fictional), each with its timeline and a valid
audit chain. It writes the database directly (the services need not run); the desa and
kecamatan of each point are given here, as gis.locate would have answered. The map layer is
fed by an event per proposal left in the outbox, which the service publishes once it starts.
`--owner-user-id N` (make demo passes warga@gawe.example's id) makes that citizen a member of
Karang Taruna Bina Desa Pontang, so the demo citizen sees the organisation's proposals. Every
demo organisation keeps its standing documents (akta, SK, NPWP, KTP ketua, domisili) on its
profile, valid through the demo's budget years (demo_standing.py): a new proposal of theirs
needs only its own documents to be submitted.

Idempotent: a proposal whose title already exists is left alone.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.config import database_url
from servicekit.context import Actor
from servicekit.database import make_engine
from servicekit.outbox import record_event
from services.proposals import store
from services.proposals.contract.catalogue import (
    CATEGORIES,
    INDIVIDUAL,
    ORGANISATION,
    profile_documents,
)
from services.proposals.contract.stages import APPLICANT, SYSTEM, TRANSITIONS
from services.proposals.demo_standing import keep_demo_standing, record_demo_used
from services.proposals.dependencies import load_rules
from services.proposals.lifecycle import queue_routing
from services.proposals.models import (
    Applicant,
    ApplicantMember,
    Proposal,
    Round,
    StageChange,
    outbox,
)
from services.proposals.views import event_facts

# (desa code, desa, kecamatan code, kecamatan, lat, lon): published desa centres
PLACES = {
    "kramatwatu": ("36.04.05.2001", "Kramatwatu", "36.04.05", "Kramatwatu", -6.0653, 106.1190),
    "ciruas": ("36.04.09.2001", "Ciruas", "36.04.09", "Ciruas", -6.1065, 106.2317),
    "kragilan": ("36.04.11.2001", "Kragilan", "36.04.11", "Kragilan", -6.1344, 106.2895),
    "pontang": ("36.04.12.2001", "Pontang", "36.04.12", "Pontang", -6.0123, 106.2809),
    "tanara": ("36.04.14.2001", "Tanara", "36.04.14", "Tanara", -6.0198, 106.3820),
    "cikande": ("36.04.15.2001", "Cikande", "36.04.15", "Cikande", -6.2218, 106.3577),
    "kibin": ("36.04.16.2001", "Kibin", "36.04.16", "Kibin", -6.1553, 106.3284),
    "petir": ("36.04.19.2001", "Petir", "36.04.19", "Petir", -6.2242, 106.2022),
    "bojonegara": ("36.04.07.2001", "Bojonegara", "36.04.07", "Bojonegara", -5.9771, 106.0970),
}

ORGANISATIONS = {
    "koni": ("KONI Kabupaten Serang", "perkumpulan", "kramatwatu"),
    "pmi": ("Palang Merah Indonesia Kabupaten Serang", "perkumpulan", "ciruas"),
    "lptq": ("Yayasan LPTQ Kabupaten Serang", "yayasan", "kragilan"),
    "karang_taruna": ("Perkumpulan Karang Taruna Bina Desa Pontang", "perkumpulan", "pontang"),
    "pesantren": ("Yayasan Pondok Pesantren Al-Hidayah Cikande", "yayasan", "cikande"),
    "masjid": ("Yayasan Masjid Jami Nurul Iman Petir", "yayasan", "petir"),
    "lingkungan": ("Perkumpulan Bank Sampah Kibin Lestari", "perkumpulan", "kibin"),
}
PEOPLE = {
    "ibu_rohimah": ("Rohimah binti Sarta", "tanara"),
    "pak_jaenudin": ("Jaenudin Saputra", "bojonegara"),
    "ibu_nurlela": ("Nurlela Hasanah", "kragilan"),
}

BEFORE = ["submit", "complete", "recommend", "accept", "approve", "sign_agreement", "disburse"]
PATHS = {
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "evaluation": ["submit", "complete"],
    "recommended": BEFORE[:3],
    "not_recommended": ["submit", "complete", "not_recommend"],
    "deferred": [*BEFORE[:3], "defer"],
    "rejected": [*BEFORE[:3], "reject"],
    "accepted": BEFORE[:4],
    "approved": BEFORE[:5],
    "agreement_signed": BEFORE[:6],
    "disbursed": BEFORE,
    "lpj_submitted": [*BEFORE, "submit_lpj"],
    "lpj_overdue": [*BEFORE, "mark_lpj_overdue"],
    "lpj_verified": [*BEFORE, "submit_lpj", "verify_lpj"],
    "withdrawn": ["submit", "withdraw"],
}
NOTES = {
    "return": "Surat keterangan domisili belum dilegalisir kepala desa; mohon dilengkapi.",
    "not_recommend": "Kegiatan sudah dibiayai program pusat tahun ini.",
    "defer": "Ditunda ke anggaran perubahan karena pagu belanja hibah terbatas.",
    "reject": "Pagu belanja hibah tahun ini tidak mencukupi.",
    "withdraw": "Kegiatan dibiayai CSR perusahaan setempat.",
    "complete": "Berkas administrasi lengkap.",
    "verify_lpj": "LPJ lengkap dan sesuai NPHD.",
}

# (title, applicant key, kind, category, requested, target stage, budget year offset)
PROPOSALS = (
    (
        "Pembinaan atlet Porprov Banten",
        "koni",
        "hibah",
        "olahraga",
        750_000_000,
        "lpj_verified",
        -1,
    ),
    (
        "Pelatihan relawan tanggap bencana",
        "pmi",
        "hibah",
        "kesehatan",
        150_000_000,
        "lpj_overdue",
        -1,
    ),
    ("MTQ tingkat kabupaten", "lptq", "hibah", "keagamaan", 300_000_000, "lpj_submitted", 0),
    (
        "Bantuan sembako korban banjir rob",
        "ibu_rohimah",
        "bansos",
        "sosial",
        2_500_000,
        "disbursed",
        0,
    ),
    (
        "Pelatihan kewirausahaan pemuda desa",
        "karang_taruna",
        "hibah",
        "kepemudaan",
        45_000_000,
        "agreement_signed",
        0,
    ),
    ("Rehabilitasi asrama santri", "pesantren", "hibah", "pendidikan", 200_000_000, "approved", 0),
    ("Perbaikan atap masjid", "masjid", "hibah", "keagamaan", 85_000_000, "accepted", 0),
    (
        "Pengadaan gerobak pengangkut sampah",
        "lingkungan",
        "hibah",
        "lingkungan",
        60_000_000,
        "recommended",
        1,
    ),
    (
        "Bantuan biaya sekolah anak yatim",
        "pak_jaenudin",
        "bansos",
        "pendidikan",
        3_000_000,
        "evaluation",
        1,
    ),
    (
        "Perlengkapan posyandu lansia",
        "ibu_nurlela",
        "bansos",
        "kesehatan",
        4_500_000,
        "submitted",
        1,
    ),
    (
        "Festival olahraga tradisional",
        "karang_taruna",
        "hibah",
        "olahraga",
        90_000_000,
        "returned",
        1,
    ),
    (
        "Renovasi madrasah diniyah",
        "pesantren",
        "hibah",
        "pendidikan",
        400_000_000,
        "not_recommended",
        1,
    ),
    ("Kejuaraan pencak silat pelajar", "koni", "hibah", "olahraga", 250_000_000, "deferred", 1),
    ("Ambulans desa", "pmi", "hibah", "kesehatan", 600_000_000, "rejected", 1),
    ("Peringatan hari besar Islam", "masjid", "hibah", "keagamaan", 25_000_000, "withdrawn", 1),
)


def _applicant(session: Session, key: str, now: datetime) -> Applicant:
    if key in ORGANISATIONS:
        name, legal_form, place_key = ORGANISATIONS[key]
        kind = ORGANISATION
    else:
        (name, place_key), legal_form, kind = PEOPLE[key], None, INDIVIDUAL
    found = session.scalar(select(Applicant).where(Applicant.name == name))
    if found is not None:
        return found
    desa_code, desa, kec_code, kecamatan, lat, lon = PLACES[place_key]
    serial = zlib.crc32(name.encode()) % 10**8
    applicant = Applicant(
        kind=kind,
        name=name,
        legal_form=legal_form,
        legal_entity_number=f"AHU-{serial:07d}.AH.01.04" if kind == ORGANISATION else None,
        sk_kepengurusan=f"SK/{serial % 1000:03d}/PENGURUS/2024" if kind == ORGANISATION else None,
        established_on=date(2009, 5, 17) if kind == ORGANISATION else None,
        address=f"Jl. Raya {desa} No. {serial % 90 + 1}, Desa {desa}, Kec. {kecamatan}",
        lat=lat,
        lon=lon,
        domicile_inside=True,
        desa_code=desa_code,
        desa_name=desa,
        kecamatan_code=kec_code,
        kecamatan_name=kecamatan,
        nik=f"3604{serial:08d}0001" if kind == INDIVIDUAL else None,
        phone=f"0812{serial:08d}",
        email=f"demo.{serial}@contoh.id",
        npwp=f"{serial:09d}-401.000" if kind == ORGANISATION else None,
        bank_name="Bank BJB",
        bank_account_number=f"0{serial:09d}",
        bank_account_name=name,
        responsible_people=[
            {"name": "H. Ahmad Suhaemi", "position": "Ketua", "nik": f"3604{serial:08d}0002"},
            {"name": "Siti Maryam", "position": "Bendahara", "phone": "081300000000"},
        ]
        if kind == ORGANISATION
        else [],
        created_at=now,
        updated_at=now,
    )
    session.add(applicant)
    session.flush()
    return applicant


def _walk(session: Session, proposal: Proposal, path: list[str], start: datetime) -> None:
    rules = load_rules(None)
    at = start
    for action in path:
        at += timedelta(days=9, hours=3)
        if action == "approve":  # the decree comes with the budget year
            at = max(at, datetime(proposal.budget_year, 1, 20, 3, 0, tzinfo=UTC))
        elif action == "mark_lpj_overdue":
            at = datetime.combine(proposal.lpj_due, datetime.min.time(), UTC) + timedelta(days=1)
        transition = TRANSITIONS[action]
        spec = transition.actor
        agency = rules.agencies.resolve(spec, proposal.agency_code)
        actor = Actor(roles=frozenset(spec.roles[:1]), agency=agency)
        amount = None
        if action in ("recommend", "accept", "approve", "disburse"):
            amount = (
                proposal.recommended_amount
                or proposal.requested_amount * 9 // 10 // 100_000 * 100_000
            )
            field = {"recommend": "recommended_amount", "accept": "accepted_amount"}.get(
                action, "approved_amount" if action == "approve" else "disbursed_amount"
            )
            setattr(proposal, field, amount)
        if action == "submit":
            proposal.submitted_at = at
        elif action == "approve":
            proposal.decree_number = f"400.9/Kep.{proposal.id:03d}-Huk/{proposal.budget_year}"
            proposal.decree_date = at.date()
        elif action == "sign_agreement":
            proposal.nphd_number = (
                f"NPHD/{proposal.agency_code}/{proposal.id:03d}/{proposal.budget_year}"
            )
            proposal.nphd_date, proposal.integrity_pact = at.date(), True
        elif action == "disburse":
            proposal.disbursed_on, proposal.sp2d_ref = at.date(), f"SP2D-{proposal.id:05d}-LS"
            proposal.lpj_due = rules.lpj_due(proposal.budget_year)
        elif action == "submit_lpj":
            proposal.lpj_submitted_at = at
        note = NOTES.get(action)
        store.add_stage_change(
            session,
            proposal,
            StageChange(
                proposal_id=proposal.id,
                at=at,
                action=action,
                from_stage=proposal.stage,
                to_stage=transition.target,
                actor_label="Pemohon"
                if spec is APPLICANT
                else ("Sistem" if spec is SYSTEM else agency),
                actor_agency=agency,
                note=note,
                amount=amount,
            ),
        )
        data = {"from": proposal.stage, "to": transition.target, "note": note, "amount": amount}
        store.append_audit(session, proposal, action, actor, data, at)
        proposal.stage, proposal.stage_since, proposal.stage_note = transition.target, at, note
        proposal.updated_at = at


def load_demo_proposals(session: Session) -> int:
    now = datetime.now(UTC)
    this_year = now.year
    added, submitted = 0, []
    for index, (title, who, kind, category, amount, stage, offset) in enumerate(PROPOSALS):
        if session.scalar(select(Proposal.id).where(Proposal.title == title)) is not None:
            continue
        applicant = _applicant(session, who, now)
        desa_code, desa, kec_code, kecamatan, lat, lon = PLACES[
            ORGANISATIONS[who][2] if who in ORGANISATIONS else PEOPLE[who][1]
        ]
        budget_year = this_year + offset
        start = datetime(budget_year - 1, 2, 1, 2, 0, tzinfo=UTC) + timedelta(days=index * 3)
        proposal = Proposal(
            applicant_id=applicant.id,
            applicant=applicant,
            kind=kind,
            bansos_type="planned" if kind == "bansos" else None,
            budget_year=budget_year,
            title=title,
            purpose=f"{title} bagi masyarakat Kecamatan {kecamatan}.",
            activities="Persiapan, pelaksanaan, pelaporan.",
            category=category,
            agency_code=CATEGORIES[category].agency,
            requested_amount=amount,
            cost_lines=[
                {"item": "Belanja barang", "amount": amount - amount // 4},
                {"item": "Belanja jasa dan konsumsi", "amount": amount // 4},
            ],
            lat=lat + 0.001 * (index % 5),
            lon=lon + 0.001 * (index % 3),
            desa_code=desa_code,
            desa_name=desa,
            kecamatan_code=kec_code,
            kecamatan_name=kecamatan,
            stage="draft",
            stage_since=start,
            created_at=start,
            updated_at=start,
        )
        store.create_proposal(session, proposal)
        _walk(session, proposal, PATHS[stage], start)
        submitted.append(proposal)
        facts = event_facts(proposal) | queue_routing(
            proposal.stage, proposal.agency_code, load_rules(None).agencies
        )
        record_event(session, outbox, "proposals.submitted", **facts, action="submit")
        added += 1
    keep_demo_standing(session, [name for name, _, _ in ORGANISATIONS.values()], now)
    for proposal in submitted:  # every demo proposal was submitted: with the profile's versions
        kinds = profile_documents(proposal.kind, proposal.applicant.kind, proposal.bansos_type)
        record_demo_used(session, proposal, kinds, proposal.submitted_at or now)
    session.commit()
    return added


def load_demo_rounds(session: Session, today: date | None = None) -> int:
    """Next budget year's hibah and bansos rounds, open from 15 January to 31 March of that
    year (issue 16): until then the demo shows them as not yet open."""
    year = (today or datetime.now(UTC).date()).year + 1
    added = 0
    for kind in ("hibah", "bansos"):
        exists = select(Round.id).where(Round.budget_year == year, Round.kind == kind)
        if session.scalar(exists) is not None:
            continue
        now = datetime.now(UTC)
        opens, closes = date(year, 1, 15), date(year, 3, 31)
        session.add(
            Round(
                budget_year=year,
                kind=kind,
                opens_on=opens,
                closes_on=closes,
                created_at=now,
                updated_at=now,
            )
        )
        added += 1
    session.commit()
    return added


OWNED_BY_DEMO_CITIZEN = "karang_taruna"


def add_demo_member(session: Session, user_id: int) -> None:
    """The demo citizen acts for one organisation (as its secretary would)."""
    name = ORGANISATIONS[OWNED_BY_DEMO_CITIZEN][0]
    applicant = session.scalar(select(Applicant).where(Applicant.name == name))
    if applicant is not None and all(m.user_id != user_id for m in applicant.members):
        applicant.members.append(ApplicantMember(user_id=user_id, added_at=datetime.now(UTC)))
    session.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owner-user-id", type=int, help="the citizen who acts for Karang Taruna")
    args = parser.parse_args(argv)
    engine = make_engine(database_url("proposals"))
    with Session(engine) as session:
        added = load_demo_proposals(session)
        load_demo_rounds(session)
        if args.owner_user_id is not None:
            add_demo_member(session, args.owner_user_id)
        total = session.scalar(select(Proposal.id).order_by(Proposal.id.desc()).limit(1)) or 0
    engine.dispose()
    print(f"Serang Open: {added} usulan demo ditambahkan ({total} usulan).")
    print("  registri publik: /api/v1/registry/proposals  (CSV: .csv, 360Giving JSON: .json)")
    print("  masa pengajuan tahun depan dibuka 15 Januari: /api/v1/proposals/rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
