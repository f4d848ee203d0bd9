"""Reference data of Serang Open: activity categories (and the OPD responsible for each), the
document checklist of each kind, legal forms. Per-agency rules as data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass

HIBAH, BANSOS = "hibah", "bansos"
KINDS = (HIBAH, BANSOS)
KIND_LABELS = {HIBAH: "Hibah", BANSOS: "Bantuan sosial"}
PLANNED, UNPLANNED = "planned", "unplanned"
BANSOS_TYPES = (PLANNED, UNPLANNED)
BANSOS_TYPE_LABELS = {PLANNED: "Terencana", UNPLANNED: "Tidak terencana (darurat)"}

ORGANISATION, INDIVIDUAL = "organisation", "individual"
APPLICANT_KINDS = (ORGANISATION, INDIVIDUAL)

# Legal forms; the first ones are legal entities (badan hukum), which hibah requires.
LEGAL_ENTITY_FORMS = ("yayasan", "perkumpulan")
LEGAL_FORMS = (*LEGAL_ENTITY_FORMS, "ormas", "lembaga", "masjid", "sekolah", "kelompok")


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    agency: str  # the OPD that evaluates and signs the NPHD
    kinds: tuple[str, ...]


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("olahraga", "Olahraga dan prestasi atlet", "DISPORA", (HIBAH,)),
        Category("kepemudaan", "Kepemudaan dan kepramukaan", "DISPORA", (HIBAH,)),
        Category("keagamaan", "Keagamaan (masjid, majelis taklim, LPTQ, MUI)", "KESRA", (HIBAH,)),
        Category("pendidikan", "Pendidikan (sekolah, pesantren, madrasah)", "DINDIKBUD", KINDS),
        Category("kesehatan", "Kesehatan dan kemanusiaan (PMI)", "DINKES", KINDS),
        Category("sosial", "Kesejahteraan sosial", "DINSOS", KINDS),
        Category("bencana", "Korban bencana dan keadaan darurat", "BPBD", (BANSOS,)),
        Category("rumah", "Rumah tidak layak huni", "DISPERKIM", (BANSOS,)),
        Category("lingkungan", "Lingkungan hidup dan kebersihan", "DLH", (HIBAH,)),
        Category("kepegawaian", "Korps pegawai (KORPRI)", "KESRA", (HIBAH,)),
    )
}


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str
    photos_only: bool = False  # a photo of a place, not a scanned letter: JPEG, PNG or WebP


DOCUMENT_TYPES: dict[str, DocumentType] = {
    d.code: d
    for d in (
        DocumentType("surat_permohonan", "Surat permohonan dan proposal kegiatan"),
        DocumentType("ktp_ketua", "KTP ketua/pimpinan"),
        DocumentType("sk_kepengurusan", "SK kepengurusan"),
        DocumentType("akta_badan_hukum", "Akta pendirian dan pengesahan badan hukum"),
        DocumentType("surat_domisili", "Surat keterangan domisili"),
        DocumentType("rekening_bank", "Rekening koran / buku tabungan atas nama lembaga"),
        DocumentType("npwp", "NPWP lembaga"),
        DocumentType("ktp_pemohon", "KTP pemohon"),
        DocumentType("kartu_keluarga", "Kartu keluarga"),
        DocumentType("sktm", "Surat keterangan tidak mampu dari kepala desa"),
        DocumentType("laporan_kejadian", "Laporan kepala desa, camat atau OPD"),
        DocumentType("pakta_integritas", "Pakta integritas penerima"),
        DocumentType("lpj_laporan", "Laporan pertanggungjawaban (LPJ)"),
        DocumentType("lpj_bukti", "Bukti pengeluaran (kuitansi, foto kegiatan)"),
        DocumentType("foto_verifikasi", "Foto verifikasi lapangan", photos_only=True),
    )
}
# Documents the applicant may upload at any stage while a proposal is theirs; the rest are staff's.
APPLICANT_DOCUMENTS = frozenset(DOCUMENT_TYPES) - {"foto_verifikasi", "laporan_kejadian"}
STAFF_DOCUMENTS = frozenset({"foto_verifikasi", "laporan_kejadian"})
LPJ_DOCUMENTS = ("lpj_laporan",)

# What submitting requires, per (kind, applicant kind), after Permendagri 32/2011 as amended.
CHECKLISTS: dict[tuple[str, str], tuple[str, ...]] = {
    (HIBAH, ORGANISATION): (
        "surat_permohonan",
        "ktp_ketua",
        "sk_kepengurusan",
        "akta_badan_hukum",
        "surat_domisili",
        "rekening_bank",
        "npwp",
    ),
    (BANSOS, ORGANISATION): (
        "surat_permohonan",
        "ktp_ketua",
        "sk_kepengurusan",
        "surat_domisili",
        "rekening_bank",
    ),
    (BANSOS, INDIVIDUAL): ("surat_permohonan", "ktp_pemohon", "kartu_keluarga", "sktm"),
    (HIBAH, INDIVIDUAL): (),  # not eligible at all (see eligibility)
}


def checklist(kind: str, applicant_kind: str, bansos_type: str | None = None) -> tuple[str, ...]:
    if kind == BANSOS and bansos_type == UNPLANNED:
        return ("laporan_kejadian",)
    return CHECKLISTS[(kind, applicant_kind)]
