"""Serang Open (proposals): who hears of a hibah or bansos proposal, and the texts they get.

- submitted (or resubmitted, or opened by staff): the applicant a receipt; Bagian Kesra's
  staff that it waits for the administrative check;
- every later stage change: the applicant (each decision is essential: they must know it),
  and the staff whose queue it has reached now (the event names the agency per role: the OPD's
  verifiers, TAPD's budget team, Kesra's or BPKAD's officers);
- an LPJ reminder before its deadline (4 and 2 weeks by default): the applicant;
- a new message in a proposal's conversation: the other side (the applicant, or the verifiers
  of the agency whose staff wrote last, else of the OPD), without the message's text: they
  read it signed in.

The applicant is the citizen account that created the proposal; staff are asked of accounts.
"""

from __future__ import annotations

import services.proposals.contract  # noqa: F401  (its events, in the catalogue)
from services.notifications.contract.subscriptions import (
    AgencyStaff,
    Audience,
    ConcernedUser,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DefaultTemplate, add_templates

APPLICANT = Audience("pemohon", ConcernedUser("applicant_user_id"))
QUEUES = (
    Audience("verifikator", AgencyStaff("queue_agency_verifier", roles=("verifier",))),
    Audience("petugas", AgencyStaff("queue_agency_officer", roles=("officer",))),
    Audience("tim_anggaran", AgencyStaff("queue_agency_budget_team", roles=("budget_team",))),
)


def rupiah(amount: int | None) -> str:
    return "-" if amount is None else "Rp" + f"{amount:,}".replace(",", ".")


def proposal_values(event: dict) -> dict:
    """Values every proposals text can use, with a readable default for what may be empty."""
    place = ", ".join(
        part
        for part in (
            event.get("desa_name") and f"Desa {event['desa_name']}",
            event.get("kecamatan_name") and f"Kec. {event['kecamatan_name']}",
        )
        if part
    )
    return {
        "lokasi": place or "Kabupaten Serang",
        "nilai_diajukan": rupiah(event.get("requested_amount")),
        "nilai": rupiah(event.get("amount")),
        "catatan": event.get("note") or "-",
        "berikutnya": event.get("next_actor_label") or "-",
    }


for event_type in ("proposals.submitted", "proposals.stage_changed"):
    subscribe(
        Subscription(
            event_type=event_type,
            category="usulan",
            essential=True,
            audiences=(APPLICANT, *QUEUES),
            values=proposal_values,
        )
    )
subscribe(
    Subscription(
        event_type="proposals.lpj_reminder_due",
        category="usulan",
        essential=True,
        audiences=(APPLICANT,),
        values=proposal_values,
    )
)

_SAMPLE = {
    "nama": "Siti Aminah",
    "public_id": "SO-2026-000042",
    "title": "Pembinaan atlet pencak silat pelajar",
    "kind_label": "Hibah",
    "recipient_name": "Perkumpulan Pencak Silat Kabupaten Serang",
    "agency": "DISPORA",
    "budget_year": "2027",
    "stage_label": "Direkomendasikan (pertimbangan TAPD)",
    "action_label": "Direkomendasikan",
    "lokasi": "Desa Cikande, Kec. Cikande",
    "nilai_diajukan": "Rp150.000.000",
    "nilai": "Rp120.000.000",
    "catatan": "Rincian honor pelatih disesuaikan dengan standar harga.",
    "berikutnya": "TAPD",
    "lpj_due": "2028-01-10",
    "days_left": "14",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}
_FOOTER = (
    "\n\nIkuti perkembangannya di {alamat_situs}/usulan/{public_id}\n\n"
    "Email ini dikirim otomatis; mohon tidak membalas.\nPemerintah Kabupaten Serang"
)
_STAFF_BODY = (
    "Yth. {nama},\n\n"
    "Usulan {kind_label} {public_id} kini menunggu tindakan Anda ({agency}):\n\n"
    "Judul: {title}\nPemohon: {recipient_name}\nLokasi: {lokasi}\n"
    "Nilai diajukan: {nilai_diajukan}\nTahap: {stage_label}\nSejak: {waktu}\n\n"
    "Sebelum memutuskan, nyatakan ada atau tidaknya konflik kepentingan. Antrean Anda: "
    "{alamat_situs}/usulan/antrean\n\nPemerintah Kabupaten Serang"
)


def _staff_templates(event_type: str) -> list[DefaultTemplate]:
    templates = []
    for audience in QUEUES:
        templates += [
            DefaultTemplate(
                event_type,
                audience.name,
                "email",
                subject="Usulan {public_id} menunggu tindakan: {stage_label}",
                body_text=_STAFF_BODY,
                sample=_SAMPLE,
            ),
            DefaultTemplate(
                event_type,
                audience.name,
                "inbox",
                subject="Usulan {public_id} masuk antrean",
                body_text="{kind_label} \u201c{title}\u201d ({recipient_name}) kini: {stage_label}.",
                sample=_SAMPLE,
            ),
        ]
    return templates


add_templates(
    DefaultTemplate(
        "proposals.submitted",
        "pemohon",
        "email",
        subject="Usulan {public_id} diterima: {title}",
        body_text=(
            "Yth. {nama},\n\n"
            "Usulan {kind_label} Anda \u201c{title}\u201d tahun anggaran {budget_year} senilai "
            "{nilai_diajukan} telah diterima pada {waktu} dengan nomor {public_id}.\n\n"
            "Tahap berikutnya: pemeriksaan administrasi oleh Bagian Kesra, lalu evaluasi oleh "
            "{agency}. Setiap keputusan akan kami kabarkan." + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.submitted",
        "pemohon",
        "inbox",
        subject="Usulan {public_id} diterima",
        body_text="Usulan \u201c{title}\u201d ({nilai_diajukan}) diterima dan menunggu "
        "pemeriksaan administrasi.",
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.stage_changed",
        "pemohon",
        "email",
        subject="Usulan {public_id}: {stage_label}",
        body_text=(
            "Yth. {nama},\n\n"
            "Ada keputusan atas usulan {kind_label} Anda \u201c{title}\u201d ({public_id}):\n\n"
            "{action_label}\nTahap sekarang: {stage_label}\nNilai: {nilai}\n"
            "Catatan: {catatan}\nWaktu: {waktu}\nBerikutnya: {berikutnya}" + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.stage_changed",
        "pemohon",
        "inbox",
        subject="Usulan {public_id}: {stage_label}",
        body_text="{action_label}. Catatan: {catatan}",
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.lpj_reminder_due",
        "pemohon",
        "email",
        subject="Pengingat LPJ {public_id}: {days_left} hari lagi",
        body_text=(
            "Yth. {nama},\n\n"
            "Laporan pertanggungjawaban (LPJ) atas {kind_label} \u201c{title}\u201d ({public_id}) "
            "harus diserahkan paling lambat {lpj_due}, {days_left} hari lagi.\n\n"
            "LPJ yang terlambat menghalangi pengajuan usulan Anda berikutnya." + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.lpj_reminder_due",
        "pemohon",
        "inbox",
        subject="Pengingat LPJ {public_id}",
        body_text="LPJ \u201c{title}\u201d jatuh tempo {lpj_due} ({days_left} hari lagi).",
        sample=_SAMPLE,
    ),
    *_staff_templates("proposals.submitted"),
    *_staff_templates("proposals.stage_changed"),
)

# --- the conversation (issue 16) ---------------------------------------------------------------

MESSAGE_AUDIENCES = (
    Audience("pemohon", ConcernedUser("to_user_id")),
    Audience("verifikator", AgencyStaff("to_agency", roles=("verifier",))),
)
subscribe(
    Subscription(
        event_type="proposals.message_posted",
        category="usulan",
        essential=True,
        audiences=MESSAGE_AUDIENCES,
        values=proposal_values,
    )
)
_MESSAGE_SAMPLE = _SAMPLE | {"message_id": "7", "from_side": "staff"}
add_templates(
    DefaultTemplate(
        "proposals.message_posted",
        "pemohon",
        "email",
        subject="Pesan baru dari petugas tentang usulan {public_id}",
        body_text=(
            "Yth. {nama},\n\n"
            "Petugas yang menangani usulan {kind_label} Anda \u201c{title}\u201d ({public_id}) "
            "mengirim pesan pada {waktu}.\n\n"
            "Baca dan balas setelah masuk: {alamat_situs}/saya/usulan/{public_id}\n\n"
            "Email ini dikirim otomatis; mohon tidak membalas.\nPemerintah Kabupaten Serang"
        ),
        sample=_MESSAGE_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.message_posted",
        "pemohon",
        "inbox",
        subject="Pesan baru tentang usulan {public_id}",
        body_text="Petugas mengirim pesan tentang \u201c{title}\u201d. Buka usulan untuk membacanya.",
        sample=_MESSAGE_SAMPLE,
    ),
    DefaultTemplate(
        "proposals.message_posted",
        "verifikator",
        "email",
        subject="Pesan baru dari pemohon usulan {public_id}",
        body_text=(
            "Yth. {nama},\n\n"
            "Pemohon usulan {kind_label} \u201c{title}\u201d ({public_id}, {recipient_name}) "
            "mengirim pesan pada {waktu}.\n\n"
            "Baca dan balas setelah masuk: {alamat_situs}/staf/usulan/{public_id}\n\n"
            "Pemerintah Kabupaten Serang"
        ),
        sample=_MESSAGE_SAMPLE | {"from_side": "applicant"},
    ),
    DefaultTemplate(
        "proposals.message_posted",
        "verifikator",
        "inbox",
        subject="Pesan baru dari pemohon usulan {public_id}",
        body_text="Pemohon \u201c{title}\u201d ({recipient_name}) mengirim pesan.",
        sample=_MESSAGE_SAMPLE | {"from_side": "applicant"},
    ),
)
