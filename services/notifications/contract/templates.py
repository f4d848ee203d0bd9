"""The texts of every message, per (event type, audience, channel), in Bahasa Indonesia.

Seeded into the `templates` table when the service starts: a missing one is added, an
existing one is left as it is (so an edited text survives a restart). Placeholders are
`{name}`: the event's own fields, `nama` (the recipient's name), `waktu` (when the event
happened, in WIB), `alamat_situs`, and what the subscription's `values` adds. A message
whose placeholder has no value is never sent: its event is parked with the name missing.
`sample` is what an admin's preview uses when no value is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DefaultTemplate:
    event_type: str
    audience: str
    channel: str
    body_text: str
    subject: str | None = None
    body_html: str | None = None
    sample: dict = field(default_factory=dict)


_TEST_SAMPLE = {
    "nama": "Siti Aminah",
    "catatan": "Uji coba pengiriman setelah penggantian server SMTP.",
    "waktu": "23 November 2026 09.15 WIB",
    "agency": "DPUPR",
    "alamat_situs": "https://gawe.serangkab.go.id",
}

DEFAULT_TEMPLATES: list[DefaultTemplate] = [
    DefaultTemplate(
        "notifications.test_requested",
        "warga",
        "email",
        subject="Pesan uji dari Gawe Kabupaten Serang",
        body_text=(
            "Yth. {nama},\n\n"
            "Ini adalah pesan uji dari layanan notifikasi Gawe Kabupaten Serang, "
            "dikirim pada {waktu}.\n\n"
            "Catatan dari admin: {catatan}\n\n"
            "Anda tidak perlu membalas email ini. Pengaturan notifikasi dapat diubah di "
            "{alamat_situs}.\n\n"
            "Salam,\nPemerintah Kabupaten Serang"
        ),
        body_html=(
            "<p>Yth. {nama},</p>"
            "<p>Ini adalah pesan uji dari layanan notifikasi Gawe Kabupaten Serang, "
            "dikirim pada {waktu}.</p>"
            "<p><strong>Catatan dari admin:</strong> {catatan}</p>"
            '<p>Anda tidak perlu membalas email ini. Pengaturan notifikasi dapat diubah di <a href="{alamat_situs}">{alamat_situs}</a>.</p>'
            "<p>Salam,<br>Pemerintah Kabupaten Serang</p>"
        ),
        sample=_TEST_SAMPLE,
    ),
    DefaultTemplate(
        "notifications.test_requested",
        "warga",
        "inbox",
        subject="Pesan uji",
        body_text="Ini adalah pesan uji dari admin Gawe ({waktu}). Catatan: {catatan}",
        sample=_TEST_SAMPLE,
    ),
    DefaultTemplate(
        "notifications.test_requested",
        "staf",
        "email",
        subject="Pesan uji untuk staf {agency}",
        body_text=(
            "Yth. {nama},\n\n"
            "Ini adalah pesan uji untuk staf {agency} dari layanan notifikasi Gawe, "
            "dikirim pada {waktu}.\n\n"
            "Catatan dari admin: {catatan}\n\n"
            "Salam,\nAdmin Gawe Kabupaten Serang"
        ),
        sample=_TEST_SAMPLE,
    ),
    DefaultTemplate(
        "notifications.test_requested",
        "staf",
        "inbox",
        subject="Pesan uji untuk staf {agency}",
        body_text="Pesan uji dari admin Gawe ({waktu}). Catatan: {catatan}",
        sample=_TEST_SAMPLE,
    ),
]


def add_templates(*templates: DefaultTemplate) -> None:
    """Called by an app's module in services/notifications/apps/ with the texts of its events."""
    DEFAULT_TEMPLATES.extend(templates)
