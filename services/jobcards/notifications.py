"""Kartu Kuning (DISNAKER): who hears of an AK/I application and card, and the texts they get.

- submitted (or resubmitted): the applicant a receipt; DISNAKER's officers that it waits in
  their queue;
- approved, returned, rejected: the applicant, by email and in the inbox (essential: they must
  know a decision);
- a report coming due, a card lapsed, a card closed: the holder.

The applicant is the account that made the application; staff are asked of accounts.
"""

from __future__ import annotations

import services.jobcards.contract as jobcards  # noqa: F401  (its events, in the catalogue)
from services.notifications.contract import (
    AgencyStaff,
    Audience,
    ConcernedUser,
    DefaultTemplate,
    Subscription,
    add_category,
    add_templates,
    subscribe,
)

CATEGORY = "kartu_kuning"
add_category(CATEGORY, "Kartu Kuning (kartu pencari kerja)")

APPLICANT = Audience("pemohon", ConcernedUser("applicant_user_id"))
OFFICERS = Audience("petugas", AgencyStaff("agency", roles=(jobcards.OFFICER,)))


def values(event: dict) -> dict:
    return {
        "nomor": f"KK-{event['application_id']:06d}",
        "catatan": event.get("note") or "-",
        "nomor_kartu": event.get("card_number") or "-",
        "berlaku_sampai": event.get("valid_until") or "-",
        "batas_lapor": event.get("report_due") or "-",
        "sisa_hari": str(event.get("days_left", "-")),
    }


subscribe(
    Subscription(
        jobcards.SUBMITTED_EVENT, CATEGORY, True, audiences=(APPLICANT, OFFICERS), values=values
    )
)
for event_type in (
    jobcards.APPROVED_EVENT,
    jobcards.RETURNED_EVENT,
    jobcards.REJECTED_EVENT,
    jobcards.REMINDER_EVENT,
    jobcards.LAPSED_EVENT,
    jobcards.CLOSED_EVENT,
):
    subscribe(Subscription(event_type, CATEGORY, True, audiences=(APPLICANT,), values=values))

_SAMPLE = {
    "nama": "Siti Aminah",
    "nomor": "KK-000042",
    "application_id": "42",
    "catatan": "Pas foto kurang jelas; unggah ulang dengan latar merah.",
    "nomor_kartu": "AK1-3604-2026-000042",
    "berlaku_sampai": "2028-11-23",
    "batas_lapor": "2027-05-23",
    "sisa_hari": "7",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}
_FOOTER = (
    "\n\nLihat permohonan Anda di {alamat_situs}/saya\n\n"
    "Email ini dikirim otomatis; mohon tidak membalas.\n"
    "Dinas Tenaga Kerja Kabupaten Serang"
)

# (event type, subject, email body, inbox text) for the applicant
_APPLICANT_TEXTS = (
    (
        jobcards.SUBMITTED_EVENT,
        "Permohonan Kartu Kuning {nomor} diterima",
        "Yth. {nama},\n\nPermohonan Kartu Kuning (AK/I) Anda dengan nomor {nomor} telah kami "
        "terima pada {waktu}. Petugas DISNAKER akan memeriksanya; setiap keputusan akan kami "
        "kabarkan.",
        "Permohonan Kartu Kuning {nomor} diterima dan menunggu pemeriksaan.",
    ),
    (
        jobcards.APPROVED_EVENT,
        "Kartu Kuning Anda terbit: {nomor_kartu}",
        "Yth. {nama},\n\nPermohonan {nomor} disetujui. Kartu Kuning Anda bernomor {nomor_kartu}, "
        "berlaku sampai {berlaku_sampai}. Cetak kartu dari halaman Saya. Laporkan status "
        "pencarian kerja Anda setiap enam bulan agar kartu tetap aktif.",
        "Kartu Kuning {nomor_kartu} terbit, berlaku sampai {berlaku_sampai}.",
    ),
    (
        jobcards.RETURNED_EVENT,
        "Permohonan Kartu Kuning {nomor} perlu diperbaiki",
        "Yth. {nama},\n\nPetugas DISNAKER mengembalikan permohonan {nomor} untuk diperbaiki.\n\n"
        "Catatan petugas: {catatan}\n\nPerbaiki dokumennya, lalu ajukan kembali.",
        "Permohonan {nomor} dikembalikan: {catatan}",
    ),
    (
        jobcards.REJECTED_EVENT,
        "Permohonan Kartu Kuning {nomor} ditolak",
        "Yth. {nama},\n\nMohon maaf, permohonan {nomor} ditolak.\n\nAlasan: {catatan}",
        "Permohonan {nomor} ditolak: {catatan}",
    ),
    (
        jobcards.REMINDER_EVENT,
        "Saatnya melapor: Kartu Kuning {nomor_kartu}",
        "Yth. {nama},\n\nLaporan enam bulanan Kartu Kuning {nomor_kartu} jatuh tempo pada "
        "{batas_lapor} ({sisa_hari} hari lagi). Laporkan apakah Anda masih mencari kerja atau "
        "sudah bekerja; kartu yang tidak dilapori menjadi tidak aktif.",
        "Lapor Kartu Kuning {nomor_kartu} paling lambat {batas_lapor}.",
    ),
    (
        jobcards.LAPSED_EVENT,
        "Kartu Kuning {nomor_kartu} tidak aktif",
        "Yth. {nama},\n\nKartu Kuning {nomor_kartu} kini tidak aktif karena laporan enam "
        "bulanan belum masuk. Laporkan status Anda untuk mengaktifkannya kembali.",
        "Kartu Kuning {nomor_kartu} tidak aktif: laporan belum masuk.",
    ),
    (
        jobcards.CLOSED_EVENT,
        "Kartu Kuning {nomor_kartu} ditutup",
        "Yth. {nama},\n\nTerima kasih atas laporan Anda. Selamat bekerja! Kartu Kuning "
        "{nomor_kartu} kini ditutup.",
        "Kartu Kuning {nomor_kartu} ditutup: Anda sudah bekerja.",
    ),
)

for _event, _subject, _body, _inbox in _APPLICANT_TEXTS:
    add_templates(
        DefaultTemplate(
            _event, "pemohon", "email", subject=_subject, body_text=_body + _FOOTER, sample=_SAMPLE
        ),
        DefaultTemplate(
            _event, "pemohon", "inbox", subject=_subject, body_text=_inbox, sample=_SAMPLE
        ),
    )
add_templates(
    DefaultTemplate(
        jobcards.SUBMITTED_EVENT,
        "petugas",
        "email",
        subject="Permohonan Kartu Kuning {nomor} menunggu pemeriksaan",
        body_text=(
            "Yth. {nama},\n\nPermohonan Kartu Kuning {nomor} masuk pada {waktu} dan menunggu "
            "pemeriksaan Anda. Antrean: {alamat_situs}/staf\n\nDinas Tenaga Kerja Kabupaten Serang"
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        jobcards.SUBMITTED_EVENT,
        "petugas",
        "inbox",
        subject="Permohonan Kartu Kuning {nomor} masuk antrean",
        body_text="Permohonan Kartu Kuning {nomor} menunggu pemeriksaan.",
        sample=_SAMPLE,
    ),
)
