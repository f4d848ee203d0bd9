"""Serang Open's printable documents as A4 PDFs (fpdf2), on the proposals blueprint: the
field-check report (berita acara), the NPHD with the approved amount and the receipt
(kuitansi) for the disbursement, each drawn from what the proposals service says the caller
may see of the record (services/proposals/printing.py), amounts in figures and in words.

The PDF's content streams are left uncompressed: its text can be searched like any other
answer (the personal-data scan and the authorisation matrix read it).
"""

from __future__ import annotations

from datetime import date

from flask import Response
from fpdf import FPDF

from gateway.access import PROPOSAL_READERS, access
from gateway.auth import current_actor, require
from gateway.proposals.rest import BASE, blueprint, proposals
from servicekit.dates import tanggal
from servicekit.roles import installed_agencies
from servicekit.terbilang import rupiah, rupiah_words

REGENCY = "PEMERINTAH KABUPATEN SERANG"
PROVINCE = "PROVINSI BANTEN"
WIDTH = 170.0  # A4 less 20 mm margins each side
WITHHELD = "(tidak ditampilkan)"
BLANK = "...................................."


@blueprint.get(f"{BASE}/<proposal_id:public_id>/print/<document>.pdf")
@access(PROPOSAL_READERS)
def print_document(public_id, document):
    """berita-acara, nphd or kuitansi, A4: for the applicant and the staff who may see the
    proposal (the applicant's private details only for those who may see them now); 409 until
    the proposal has reached the stage where the document exists, 422 for another name."""
    require(current_actor(), None)
    return pdf_response(public_id, document)


def pdf_response(public_id: str, document: str) -> Response:
    """The PDF, as the proposals service lets the caller see it (also for the web pages)."""
    found = proposals.printable(public_id, document)
    response = Response(render(found), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{document}-{found["public_id"]}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def render(found: dict) -> bytes:
    pdf = Paper(found)
    {"berita-acara": berita_acara, "nphd": nphd, "kuitansi": kuitansi}[found["document"]](
        pdf, found
    )
    return bytes(pdf.output())


# --- the documents ----------------------------------------------------------------------------


def berita_acara(pdf: Paper, d: dict) -> None:
    pdf.letterhead(agency_name(d["agency"]))
    pdf.caption(
        "BERITA ACARA VERIFIKASI LAPANGAN", f"Usulan {d['kind_label']} Nomor {d['public_id']}"
    )
    check = d["field_checks"][-1]
    pdf.para(
        f"Pada hari ini, {tanggal(day(check['checked_on']))}, petugas verifikasi "
        f"{agency_name(check['officer_agency'])} telah melakukan verifikasi lapangan atas usulan "
        f"{d['kind_label'].lower()} tahun anggaran {d['budget_year']} sebagai berikut:"
    )
    pdf.rows(
        ("Nomor usulan", d["public_id"]),
        ("Judul kegiatan", d["title"]),
        ("Pemohon", d["recipient"]["name"]),
        ("Alamat", shown(d["recipient"]["address"], d)),
        ("Lokasi kegiatan", place(d)),
        ("Nilai yang diajukan", rupiah(d["requested_amount"])),
        ("Terbilang", rupiah_words(d["requested_amount"]).capitalize()),
    )
    for number, item in enumerate(d["field_checks"], start=1):
        pdf.heading(f"Hasil verifikasi {number} ({tanggal(day(item['checked_on']))})")
        pdf.para(item["findings"])
        pdf.para(
            f"Foto lapangan: {item['photos']} berkas. Tanda tangan elektronik (SHA-256): "
            f"{item['signature']}",
            size=8,
        )
    if d["recommended_amount"] is not None:
        pdf.rows(
            ("Nilai direkomendasikan", rupiah(d["recommended_amount"])),
            ("Terbilang", rupiah_words(d["recommended_amount"]).capitalize()),
        )
    pdf.para("Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan seperlunya.")
    pdf.signatures(
        ("Pemohon / perwakilan lembaga", shown(d["recipient"]["chair_name"], d)),
        (f"Petugas verifikasi {check['officer_agency']}", BLANK),
    )


def nphd(pdf: Paper, d: dict) -> None:
    what = "HIBAH DAERAH" if d["kind"] == "hibah" else "BANTUAN SOSIAL"
    pdf.letterhead(agency_name(d["agency"]))
    number = d["nphd_number"] or f"{BLANK} (draf, belum ditandatangani)"
    pdf.caption(f"NASKAH PERJANJIAN {what}", f"Nomor: {number}")
    signed = tanggal(day(d["nphd_date"])) if d["nphd_date"] else BLANK
    pdf.para(f"Pada tanggal {signed}, yang bertanda tangan di bawah ini:")
    pdf.rows(
        ("PIHAK PERTAMA", f"Kepala {agency_name(d['agency'])}, atas nama Bupati Serang"),
        ("PIHAK KEDUA", d["recipient"]["name"]),
        ("Diwakili oleh", party(d)),
        ("Alamat", shown(d["recipient"]["address"], d)),
    )
    pdf.para(
        f"berdasarkan Keputusan Bupati Serang Nomor {d['decree_number'] or BLANK} tanggal "
        f"{tanggal(day(d['decree_date'])) if d['decree_date'] else BLANK}, sepakat mengadakan "
        f"perjanjian {what.lower()} dengan ketentuan sebagai berikut."
    )
    pdf.heading("Pasal 1 - Nilai dan tujuan")
    pdf.para(
        f"PIHAK PERTAMA memberikan {d['kind_label'].lower()} kepada PIHAK KEDUA sebesar "
        f"{rupiah(d['amount'])} ({rupiah_words(d['amount'])}) dari APBD Kabupaten Serang tahun "
        f"anggaran {d['budget_year']}, untuk kegiatan: {d['title']} (usulan {d['public_id']})."
    )
    pdf.heading("Pasal 2 - Penyaluran")
    pdf.para(
        "Dana disalurkan oleh BPKAD melalui transfer ke rekening PIHAK KEDUA "
        f"({account(d)}) setelah naskah ini dan pakta integritas ditandatangani."
    )
    pdf.heading("Pasal 3 - Kewajiban PIHAK KEDUA")
    pdf.para(
        "Menggunakan dana sesuai rencana anggaran biaya usulan, dan menyampaikan laporan "
        "pertanggungjawaban (LPJ) penggunaan dana kepada Bupati melalui PIHAK PERTAMA paling "
        "lambat tanggal 10 Januari tahun anggaran berikutnya. Dana yang tidak digunakan atau "
        "tidak dapat dipertanggungjawabkan wajib disetor kembali ke Kas Daerah."
    )
    if d["cost_lines"]:
        pdf.heading("Lampiran - Rencana anggaran biaya")
        pdf.rows(*((line["item"], rupiah(line["amount"])) for line in d["cost_lines"]))
    pdf.signatures(("PIHAK KEDUA", party(d)), ("PIHAK PERTAMA", BLANK))


def kuitansi(pdf: Paper, d: dict) -> None:
    pdf.letterhead("Badan Pengelolaan Keuangan dan Aset Daerah")
    pdf.caption("KUITANSI", f"Nomor: {d['public_id']}/{d['budget_year']}")
    pdf.rows(
        ("Sudah terima dari", "Pemerintah Kabupaten Serang (Bendahara Umum Daerah)"),
        ("Uang sejumlah", rupiah(d["amount"])),
        ("Terbilang", rupiah_words(d["amount"]).capitalize()),
        (
            "Untuk pembayaran",
            f"{d['kind_label']} tahun anggaran {d['budget_year']}: {d['title']} (usulan "
            f"{d['public_id']}), sesuai NPHD Nomor {d['nphd_number'] or BLANK} dan Keputusan "
            f"Bupati Serang Nomor {d['decree_number'] or BLANK}",
        ),
        ("Ditransfer ke", account(d)),
    )
    if d["disbursed_on"]:
        pdf.rows(
            ("Disalurkan", tanggal(day(d["disbursed_on"]))),
            ("Referensi SP2D", shown(d["sp2d_ref"], d)),
        )
    pdf.signatures(
        ("Setuju dibayar, Kepala BPKAD", BLANK),
        (receiver(d), party(d)),
        stamp="Meterai Rp10.000",
    )


# --- pieces -----------------------------------------------------------------------------------


def agency_name(code: str | None) -> str:
    return next((a.name for a in installed_agencies() if a.code == code), code or "-")


def day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def shown(value: str | None, d: dict) -> str:
    return (value or "-") if d["personal"] else WITHHELD


def place(d: dict) -> str:
    parts = [
        f"Desa {d['desa']}" if d["desa"] else "",
        f"Kec. {d['kecamatan']}" if d["kecamatan"] else "",
    ]
    return ", ".join(p for p in parts if p) + ", Kabupaten Serang"


def party(d: dict) -> str:
    r = d["recipient"]
    if r["kind"] == "individual":
        return r["name"]
    if not d["personal"]:
        return WITHHELD
    return f"{r['chair_name'] or BLANK} ({r['chair_position'] or 'Ketua'})"


def receiver(d: dict) -> str:
    if d["recipient"]["kind"] == "individual":
        return "Yang menerima"
    return f"Yang menerima, {d['recipient']['name']}"


def account(d: dict) -> str:
    r = d["recipient"]
    if not d["personal"]:
        return WITHHELD
    if not r["bank_account_number"]:
        return "-"
    return f"{r['bank_name']} nomor {r['bank_account_number']} a.n. {r['bank_account_name']}"


def latin(text: str | None) -> str:
    """The core PDF fonts speak Latin-1: anything else is replaced, never an error."""
    text = (text or "-").replace("\u2013", "-").replace("\u2014", "-")
    return text.encode("latin-1", "replace").decode("latin-1")


class Paper(FPDF):
    """An A4 page with the regency's letterhead, rows of label and value, and signatures."""

    def __init__(self, found: dict):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_compression(False)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(latin(f"{found['document']} {found['public_id']}"))
        self.set_author("Pemerintah Kabupaten Serang")
        self.found = found
        self.add_page()

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", "I", 7)
        self.cell(
            WIDTH,
            4,
            latin(f"Serang Open - usulan {self.found['public_id']} - halaman {self.page_no()}"),
            align="C",
        )

    def letterhead(self, unit: str) -> None:
        self.set_font("Helvetica", "B", 14)
        self.cell(WIDTH, 7, REGENCY, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "B", 12)
        self.cell(WIDTH, 6, latin(unit.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        self.cell(WIDTH, 5, PROVINCE, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_line_width(0.8)
        self.line(20, self.get_y() + 1.5, 20 + WIDTH, self.get_y() + 1.5)
        self.set_line_width(0.2)
        self.ln(6)

    def caption(self, text: str, subtitle: str) -> None:
        self.set_font("Helvetica", "BU", 12)
        self.cell(WIDTH, 6, latin(text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)
        self.cell(WIDTH, 5, latin(subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def heading(self, text: str) -> None:
        self.ln(1)
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(WIDTH, 5, latin(text), new_x="LMARGIN", new_y="NEXT")

    def para(self, text: str, size: float = 10) -> None:
        self.set_font("Helvetica", "", size)
        self.multi_cell(WIDTH, 5, latin(text), align="J", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def rows(self, *rows: tuple[str, str]) -> None:
        for label, value in rows:
            self.set_font("Helvetica", "", 10)
            self.cell(48, 5.5, latin(label))
            self.cell(4, 5.5, ":")
            self.multi_cell(WIDTH - 52, 5.5, latin(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def signatures(self, *who: tuple[str, str], stamp: str | None = None) -> None:
        """Side by side: each role, room to sign (and a duty stamp's place), the name."""
        if self.get_y() > 230:
            self.add_page()
        self.ln(6)
        width = WIDTH / len(who)
        top = self.get_y()
        for index, (role, name) in enumerate(who):
            x = 20 + index * width
            self.set_xy(x, top)
            self.set_font("Helvetica", "", 10)
            self.multi_cell(width - 4, 5, latin(role), align="C")
            if stamp and index == len(who) - 1:
                self.set_xy(x, top + 14)
                self.set_font("Helvetica", "I", 7)
                self.cell(width - 4, 4, latin(stamp), align="C")
            self.set_xy(x, top + 30)
            self.set_font("Helvetica", "BU", 10)
            self.multi_cell(width - 4, 5, latin(name), align="C")
