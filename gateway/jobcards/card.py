"""The AK/I card as a PDF at ID-1 size (85.60 × 53.98 mm): the holder's photo, the data printed
on an AK/I, its validity and a QR code of its public verification address."""

from __future__ import annotations

import io
from datetime import date

import segno
from fpdf import FPDF

from gateway.uploads import blob_store
from servicekit.config import env_str
from servicekit.dates import tanggal as in_words

WIDTH, HEIGHT = 85.60, 53.98  # ID-1, millimetres
YELLOW = (255, 221, 87)


def public_url() -> str:
    """The suite's public address (GAWE_PUBLIC_URL, as the notifications' links use)."""
    return (env_str("GAWE_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")


def verification_url(card_number: str) -> str:
    return f"{public_url()}/kartu-kuning/cek/{card_number}"


def tanggal(iso: str) -> str:
    day = date.fromisoformat(iso)
    return in_words(day)


def _latin(text: str | None) -> str:
    """The core PDF fonts speak Latin-1: anything else is replaced, never an error."""
    return (text or "-").replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def render(card: dict) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format=(HEIGHT, WIDTH))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(f"Kartu AK/I {card['card_number']}")
    pdf.set_author("Dinas Tenaga Kerja Kabupaten Serang")
    pdf.add_page()
    pdf.set_fill_color(*YELLOW)
    pdf.rect(0, 0, WIDTH, 9.5, style="F")
    pdf.set_xy(2.5, 1.2)
    pdf.set_font("Helvetica", "B", 6.5)
    pdf.cell(WIDTH - 5, 3.2, "PEMERINTAH KABUPATEN SERANG - DINAS TENAGA KERJA", align="C")
    pdf.set_xy(2.5, 4.6)
    pdf.set_font("Helvetica", "B", 6)
    pdf.cell(WIDTH - 5, 3.2, "KARTU TANDA BUKTI PENDAFTARAN PENCARI KERJA (AK/I)", align="C")

    _photo(pdf, card)
    rows = (
        ("No. Pendaftaran", card["card_number"]),
        ("Nama", card["name"]),
        ("NIK", card["nik"]),
        ("Tempat/Tgl. Lahir", f"{card['birth_place']}, {tanggal(card['birth_date'])}"),
        ("Jenis Kelamin", card["gender"]),
        ("Status", card.get("marital_status") or "-"),
        ("Pendidikan", card["education"]),
        ("Alamat", card["address"]),
        ("Pekerjaan dicari", card["work_wanted"]),
    )
    y = 11.2
    for label, value in rows:
        pdf.set_xy(23.5, y)
        pdf.set_font("Helvetica", "", 4.6)
        pdf.cell(17, 2.9, _latin(label))
        pdf.set_font("Helvetica", "B" if label == "No. Pendaftaran" else "", 4.6)
        pdf.cell(1.5, 2.9, ":")
        pdf.cell(26, 2.9, _latin(value)[:48])
        y += 3.15
    pdf.set_xy(2.5, 44.5)
    pdf.set_font("Helvetica", "B", 5)
    pdf.cell(
        50, 3, _latin(f"Berlaku: {tanggal(card['issued_on'])} s.d. {tanggal(card['valid_until'])}")
    )
    pdf.set_xy(2.5, 47.8)
    pdf.set_font("Helvetica", "", 4)
    pdf.cell(60, 2.5, "Wajib lapor setiap 6 bulan. Cek keaslian: pindai kode QR.")

    qr = io.BytesIO()
    segno.make(verification_url(card["card_number"]), error="m").save(
        qr, kind="png", scale=6, border=1
    )
    qr.seek(0)
    pdf.image(qr, x=WIDTH - 16.5, y=HEIGHT - 17.5, w=15, h=15)
    return bytes(pdf.output())


def _photo(pdf: FPDF, card: dict) -> None:
    """The passport photo, 3 × 4 (or a frame when there is none)."""
    x, y, w, h = 3, 11.5, 18, 24
    path = blob_store().path(card["photo_key"]) if card.get("photo_key") else None
    if path is not None and card.get("photo_type", "").startswith("image/"):
        try:
            pdf.image(str(path), x=x, y=y, w=w, h=h, keep_aspect_ratio=True)
            return
        except Exception:  # noqa: BLE001  (a photo the PDF library cannot embed: the frame)
            pass
    pdf.rect(x, y, w, h)
    pdf.set_xy(x, y + h / 2 - 1.5)
    pdf.set_font("Helvetica", "", 4)
    pdf.cell(w, 3, "Pas foto 3x4", align="C")
