"""Complaints (pengaduan): who hears of a report, and the texts they get.

- a new report: the officers of the agency it was routed to (so it does not wait unseen),
  and the reporter a receipt with the public id to follow it by;
- every status change: the reporter (a merge into another report is the change to
  "Duplikat", so it is told once, with the officer's note, not twice).

The reporter is whoever filed the report: a citizen's account, or the contact email an
anonymous reporter left. Their address is asked of the complaints service by RPC.
"""

from __future__ import annotations

from services.complaints.contract import FEEDBACK_REQUESTED, REPORT_CREATED, STATUS_CHANGED
from services.notifications.contract.subscriptions import (
    AgencyStaff,
    Audience,
    FiledBy,
    Followers,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DefaultTemplate, add_templates

REPORTER = FiledBy(
    "complaints", "reporter_contact", "report_id", when_any=("reporter_user_id", "has_contact")
)


def report_values(event: dict) -> dict:
    """Values every complaints text can use, with a readable default for what may be empty."""
    place = ", ".join(
        part
        for part in (
            event.get("desa_name") and f"Desa {event['desa_name']}",
            event.get("kecamatan_name") and f"Kec. {event['kecamatan_name']}",
        )
        if part
    )
    return {
        "lokasi": place or f"{event['lat']:.5f}, {event['lon']:.5f}",
        "status_label": event.get("status_label") or event["status"],
        "catatan": event.get("note") or "-",
    }


subscribe(
    Subscription(
        event_type=REPORT_CREATED,
        category="pengaduan",
        essential=False,
        audiences=(
            Audience("staf", AgencyStaff("agency", roles=("officer",))),
            Audience("pelapor", REPORTER),
        ),
        values=report_values,
    )
)
subscribe(
    Subscription(
        event_type=STATUS_CHANGED,
        category="pengaduan",
        essential=False,
        audiences=(
            Audience("pelapor", REPORTER),
            # supporters who chose status emails (issue 16), each with an opt-out link
            Audience(
                "pendukung", Followers("complaints", "supporter_contacts", "report_id"), ("email",)
            ),
        ),
        values=report_values,
    )
)
_SAMPLE = {
    "nama": "Ahmad Fauzi",
    "public_id": "SRG-2026-000123",
    "category_name": "Jalan rusak",
    "agency": "DPUPR",
    "lokasi": "Desa Cikande, Kec. Cikande",
    "status_label": "Sedang dikerjakan",
    "catatan": "Tim UPT Jalan Wilayah I dijadwalkan menambal lubang pekan ini.",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}

_FOOTER = (
    "\n\nIkuti perkembangannya di {alamat_situs}/pengaduan/{public_id}\n\n"
    "Email ini dikirim otomatis; mohon tidak membalas.\n"
    "Pemerintah Kabupaten Serang"
)

add_templates(
    DefaultTemplate(
        REPORT_CREATED,
        "staf",
        "email",
        subject="Laporan baru {public_id}: {category_name} di {lokasi}",
        body_text=(
            "Yth. {nama},\n\n"
            "Ada laporan baru untuk {agency} yang menunggu verifikasi:\n\n"
            "Nomor: {public_id}\nKategori: {category_name}\nLokasi: {lokasi}\n"
            "Diterima: {waktu}\n\n"
            "Silakan periksa dan tindak lanjuti laporan ini di {alamat_situs}/pengaduan/{public_id}"
            "\n\nPemerintah Kabupaten Serang"
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        REPORT_CREATED,
        "staf",
        "inbox",
        subject="Laporan baru {public_id}",
        body_text="{category_name} di {lokasi} menunggu verifikasi ({waktu}).",
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        REPORT_CREATED,
        "pelapor",
        "email",
        subject="Laporan Anda diterima: {public_id}",
        body_text=(
            "Yth. {nama},\n\n"
            "Terima kasih. Laporan Anda tentang {category_name} di {lokasi} telah kami terima "
            "pada {waktu} dengan nomor {public_id} dan diteruskan ke {agency}.\n\n"
            "Simpan nomor ini untuk mengikuti perkembangan laporan Anda." + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        REPORT_CREATED,
        "pelapor",
        "inbox",
        subject="Laporan {public_id} diterima",
        body_text="Laporan {category_name} di {lokasi} diterima dan diteruskan ke {agency}.",
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        STATUS_CHANGED,
        "pelapor",
        "email",
        subject="Laporan {public_id}: {status_label}",
        body_text=(
            "Yth. {nama},\n\n"
            "Status laporan Anda {public_id} ({category_name} di {lokasi}) kini: "
            "{status_label}.\n\nCatatan petugas: {catatan}\nWaktu: {waktu}" + _FOOTER
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        STATUS_CHANGED,
        "pelapor",
        "inbox",
        subject="Laporan {public_id}: {status_label}",
        body_text="Status laporan {category_name} di {lokasi} kini {status_label}. Catatan: {catatan}",
        sample=_SAMPLE,
    ),
)

# --- "Sudah diperbaiki?" (issue 16) -----------------------------------------------------------
# After a report is resolved its reporter is asked by email whether it is fixed, with two
# links carrying a single-use token that the complaints service makes when asked (the event
# carries ids only): confirm closes the report, reopen sends it back to the agency's queue.
subscribe(
    Subscription(
        event_type=FEEDBACK_REQUESTED,
        category="pengaduan",
        essential=False,
        audiences=(
            Audience(
                "pelapor",
                FiledBy(
                    "complaints",
                    "feedback_contact",
                    "report_id",
                    when_any=("reporter_user_id", "has_contact"),
                ),
                ("email",),
            ),
        ),
        values=report_values,
    )
)
add_templates(
    DefaultTemplate(
        FEEDBACK_REQUESTED,
        "pelapor",
        "email",
        subject="Sudah diperbaiki? Laporan {public_id}",
        body_text=(
            "Yth. {nama},\n\n"
            "{agency} menyatakan laporan Anda {public_id} ({category_name} di {lokasi}) "
            "sudah selesai dikerjakan.\n\nSudah diperbaiki?\n\n"
            "Ya, sudah diperbaiki (laporan ditutup):\n{alamat_situs}{tautan_sudah}\n\n"
            "Belum, buka kembali laporan ini:\n{alamat_situs}{tautan_belum}\n\n"
            "Anda tidak perlu masuk ke akun; setiap tautan hanya dapat dipakai sekali." + _FOOTER
        ),
        sample=_SAMPLE
        | {
            "tautan_sudah": "/pengaduan/SRG-2026-000123/tanggapan?token=contoh&jawaban=sudah",
            "tautan_belum": "/pengaduan/SRG-2026-000123/tanggapan?token=contoh&jawaban=belum",
        },
    ),
)

# --- supporters who chose status emails (issue 16) -----------------------------------------
add_templates(
    DefaultTemplate(
        STATUS_CHANGED,
        "pendukung",
        "email",
        subject="Laporan yang Anda dukung {public_id}: {status_label}",
        body_text=(
            "Yth. {nama},\n\n"
            "Status laporan {public_id} ({category_name} di {lokasi}) yang Anda dukung kini: "
            "{status_label}.\n\nCatatan petugas: {catatan}\nWaktu: {waktu}\n\n"
            "Tidak ingin menerima kabar laporan ini lagi? Berhenti di "
            "{alamat_situs}{tautan_berhenti}" + _FOOTER
        ),
        sample=_SAMPLE | {"tautan_berhenti": "/pengaduan/berhenti-mengikuti?token=contoh"},
    ),
)

# Area alerts (issue 16): their subscriptions and texts live in a module of their own.
import services.notifications.apps.complaints_alerts  # noqa: E402, F401
