"""Area alerts of the complaints app (issue 16): the confirmation email, and one email per new
report in a confirmed alert's area, each with the link that ends the alert.

The recipient is the address the alert was made for, asked of complaints by RPC
(`alert_contact`, with the codes of the links and the area in words), never read from the
event. Email only: an alert belongs to an address, not an account, so there is no inbox.
"""

from __future__ import annotations

from services.complaints.contract import ALERT_MATCHED, ALERT_REQUESTED
from services.notifications.contract.subscriptions import (
    Audience,
    FiledBy,
    Subscription,
    subscribe,
)
from services.notifications.contract.templates import DefaultTemplate, add_templates

SUBSCRIBER = Audience("pelanggan", FiledBy("complaints", "alert_contact", "alert_id"), ("email",))

subscribe(
    Subscription(
        event_type=ALERT_REQUESTED, category="pengaduan", essential=False, audiences=(SUBSCRIBER,)
    )
)
subscribe(
    Subscription(
        event_type=ALERT_MATCHED,
        category="pengaduan",
        essential=False,
        audiences=(SUBSCRIBER,),
        values=lambda event: {
            "lokasi": ", ".join(
                part
                for part in (
                    event.get("desa_name") and f"Desa {event['desa_name']}",
                    event.get("kecamatan_name") and f"Kec. {event['kecamatan_name']}",
                )
                if part
            )
            or f"{event['lat']:.5f}, {event['lon']:.5f}"
        },
    )
)

_SAMPLE = {
    "nama": "Bapak/Ibu",
    "wilayah": "Kecamatan Cikande",
    "kategori": "Jalan rusak, Jembatan rusak",
    "kode_konfirmasi": "contoh-kode-konfirmasi",
    "kode_berhenti": "contoh-kode-berhenti",
    "public_id": "SRG-2026-000123",
    "category_name": "Jalan rusak",
    "lokasi": "Desa Cikande, Kec. Cikande",
    "waktu": "23 November 2026 09.15 WIB",
    "alamat_situs": "https://gawe.serangkab.go.id",
}
_STOP = (
    "\n\nAnda menerima email ini karena berlangganan peringatan laporan untuk {wilayah}.\n"
    "Berhenti berlangganan (tanpa masuk akun): "
    "{alamat_situs}/pengaduan/peringatan/berhenti?kode={kode_berhenti}\n\n"
    "Email ini dikirim otomatis; mohon tidak membalas.\nPemerintah Kabupaten Serang"
)

add_templates(
    DefaultTemplate(
        ALERT_REQUESTED,
        "pelanggan",
        "email",
        subject="Konfirmasi peringatan laporan: {wilayah}",
        body_text=(
            "Yth. {nama},\n\n"
            "Seseorang (semoga Anda) meminta peringatan email setiap ada laporan baru di "
            "{wilayah} untuk kategori: {kategori}.\n\n"
            "Untuk mulai menerimanya, buka tautan konfirmasi ini:\n"
            "{alamat_situs}/pengaduan/peringatan/konfirmasi?kode={kode_konfirmasi}\n\n"
            "Jika Anda tidak memintanya, abaikan email ini: tanpa konfirmasi tidak ada email "
            "lain yang dikirim ke alamat ini.\n\nPemerintah Kabupaten Serang"
        ),
        sample=_SAMPLE,
    ),
    DefaultTemplate(
        ALERT_MATCHED,
        "pelanggan",
        "email",
        subject="Laporan baru di {wilayah}: {category_name} ({public_id})",
        body_text=(
            "Yth. {nama},\n\n"
            "Ada laporan baru di wilayah peringatan Anda:\n\n"
            "Nomor: {public_id}\nKategori: {category_name}\nLokasi: {lokasi}\nDiterima: {waktu}"
            "\n\nLihat laporannya di {alamat_situs}/pengaduan/{public_id}" + _STOP
        ),
        sample=_SAMPLE,
    ),
)
