"""Reference data of Serang Open: activity categories (and the OPD responsible for each), the
document checklist of each kind, the standing documents an organisation's profile holds, legal
forms. Per-agency rules as data, not code.
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
        DocumentType("rab", "Rencana anggaran biaya (RAB)"),
        DocumentType("akta_pendirian", "Akta pendirian lembaga"),
        DocumentType("sk_kemenkumham", "SK pengesahan badan hukum (Kemenkumham)"),
        DocumentType("ktp_ketua", "KTP ketua/pimpinan"),
        DocumentType("sk_kepengurusan", "SK kepengurusan"),
        # uploaded per proposal before the profile held the akta and the SK Kemenkumham apart
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

# How long a standing document holds: NEVER has no end (a deed), OPTIONAL may have one (a KTP
# or an NPWP card), EXPIRES must have one (a board's term, a domicile letter).
NEVER, OPTIONAL, EXPIRES = "none", "optional", "required"
VALIDITIES = (NEVER, OPTIONAL, EXPIRES)


@dataclass(frozen=True)
class StandingKind:
    """A document of the organisation itself, kept on its profile with its validity and reused
    by every proposal's checklist (issue 16)."""

    code: str  # also its document type (DOCUMENT_TYPES) in a checklist
    validity: str
    copies: tuple[str, ...]  # per-proposal document types uploaded before, which still count

    @property
    def name(self) -> str:
        return DOCUMENT_TYPES[self.code].name


STANDING_KINDS: dict[str, StandingKind] = {
    k.code: k
    for k in (
        StandingKind("akta_pendirian", NEVER, ("akta_pendirian", "akta_badan_hukum")),
        StandingKind("sk_kemenkumham", NEVER, ("sk_kemenkumham", "akta_badan_hukum")),
        StandingKind("sk_kepengurusan", EXPIRES, ("sk_kepengurusan",)),
        StandingKind("npwp", OPTIONAL, ("npwp",)),
        StandingKind("ktp_ketua", OPTIONAL, ("ktp_ketua",)),
        StandingKind("surat_domisili", EXPIRES, ("surat_domisili",)),
    )
}
# Document types no longer uploaded per proposal: the organisation's profile holds them.
PROFILE_DOCUMENTS = frozenset(STANDING_KINDS) | {"akta_badan_hukum"}
STAFF_DOCUMENTS = frozenset({"foto_verifikasi", "laporan_kejadian"})
# Documents the applicant may upload to a proposal while it is theirs; the rest are staff's or
# the profile's.
APPLICANT_DOCUMENTS = frozenset(DOCUMENT_TYPES) - STAFF_DOCUMENTS - PROFILE_DOCUMENTS
LPJ_DOCUMENTS = ("lpj_laporan",)

# What submitting requires, per (kind, applicant kind), after Permendagri 32/2011 as amended:
# the proposal's own documents, then the organisation's standing ones (from its profile).
CHECKLISTS: dict[tuple[str, str], tuple[str, ...]] = {
    (HIBAH, ORGANISATION): (
        "surat_permohonan",
        "rab",
        "rekening_bank",
        "akta_pendirian",
        "sk_kemenkumham",
        "sk_kepengurusan",
        "npwp",
        "ktp_ketua",
        "surat_domisili",
    ),
    (BANSOS, ORGANISATION): (
        "surat_permohonan",
        "rab",
        "rekening_bank",
        "sk_kepengurusan",
        "ktp_ketua",
        "surat_domisili",
    ),
    (BANSOS, INDIVIDUAL): ("surat_permohonan", "ktp_pemohon", "kartu_keluarga", "sktm"),
    (HIBAH, INDIVIDUAL): (),  # not eligible at all (see eligibility)
}


def checklist(kind: str, applicant_kind: str, bansos_type: str | None = None) -> tuple[str, ...]:
    """Everything submitting requires: the proposal's own documents and the standing ones."""
    if kind == BANSOS and bansos_type == UNPLANNED:
        return ("laporan_kejadian",)
    return CHECKLISTS[(kind, applicant_kind)]


def proposal_documents(
    kind: str, applicant_kind: str, bansos_type: str | None = None
) -> tuple[str, ...]:
    """The checklist's documents uploaded to the proposal itself."""
    return tuple(c for c in checklist(kind, applicant_kind, bansos_type) if c not in STANDING_KINDS)


def profile_documents(
    kind: str, applicant_kind: str, bansos_type: str | None = None
) -> tuple[str, ...]:
    """The checklist's standing documents, taken from the organisation's profile."""
    return tuple(c for c in checklist(kind, applicant_kind, bansos_type) if c in STANDING_KINDS)
