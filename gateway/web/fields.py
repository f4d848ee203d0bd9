"""Error summaries in words: the keys of a refused form's `errors` (a schema's field names, a
service's rule names, `attribute[tingkat_kerusakan]`) named as the form's labels name them, in
Bahasa Indonesia, for `_form_errors.html` and `error.html`.

A key is named, first match wins, by:
1. the label table of the form being answered (`FORM_LABELS`, by the Flask endpoint that
   rendered it), where the form calls a field otherwise than most forms do;
2. the table of every form (`FIELD_LABELS`);
3. a complaint's category attribute (`attribute[code]`, `attr:code`, `attributes.code`): its
   description from the page's own categories (`categories`, the chosen one first) or attribute
   labels (`labels`), else its humanised code (the codes are Indonesian words);
4. the key humanised ("badan_hukum" -> "Badan hukum").

Nested errors name their path: `cost_lines.0.amount` is "Rincian biaya baris 1 — Jumlah",
`beneficiary.nik` "Penerima — NIK"; an upload's `file[0]` is "Berkas ke-1". marshmallow's
`_schema` (the form as a whole) has no field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

FIELD_LABELS: dict[str, str] = {
    # accounts: signing up, signing in, staff accounts
    "name": "Nama",
    "email": "Email",
    "password": "Kata sandi",
    "nik": "NIK",
    "roles": "Peran",
    "role": "Peran",
    "agency": "OPD",
    "agency_code": "OPD",
    "csrf": "Token keamanan formulir",
    "pra": "Token keamanan formulir",
    "token": "Tautan atur ulang kata sandi",
    "current_password": "Kata sandi saat ini",
    "new_password": "Kata sandi baru",
    # complaints
    "category": "Kategori",
    "description": "Uraian",
    "lat": "Lintang",
    "lon": "Bujur",
    "address": "Alamat",
    "attributes": "Keterangan kategori",
    "contact_email": "Email untuk kabar perkembangan",
    "contact_name": "Nama pelapor",
    "contact_phone": "Telepon pelapor",
    "media_url": "Tautan foto",
    "ignore_duplicates": "Laporan serupa",
    "photos": "Foto",
    "photo": "Foto",
    "photo_ids": "Foto",
    "action": "Tindakan",
    "note": "Catatan",
    "to_agency": "Diteruskan ke",
    "reason": "Alasan",
    "photo_id": "Foto",
    "duplicate_of": "Nomor laporan asli",
    "status": "Status",
    "kecamatan": "Kecamatan",
    "desa_code": "Desa",
    "overdue": "Tenggat",
    "bbox": "Batas peta",
    "page": "Halaman",
    "per_page": "Jumlah per halaman",
    # proposals: the applicant
    "applicant_id": "Pemohon",
    "phone": "Telepon",
    "bank_name": "Bank",
    "bank_account_number": "Nomor rekening",
    "bank_account_name": "Nama pemilik rekening",
    "legal_form": "Bentuk lembaga",
    "legal_entity_number": "Nomor pengesahan badan hukum (AHU)",
    "sk_kepengurusan": "Nomor SK kepengurusan",
    "established_on": "Tanggal berdiri",
    "npwp": "NPWP",
    "responsible_people": "Pengurus",
    "position": "Jabatan",
    # proposals: the proposal
    "kind": "Jenis",
    "bansos_type": "Jenis bansos",
    "budget_year": "Tahun anggaran",
    "title": "Judul",
    "purpose": "Tujuan dan manfaat",
    "activities": "Rencana kegiatan",
    "requested_amount": "Jumlah yang diminta",
    "cost_lines": "Rincian biaya",
    "item": "Uraian biaya",
    "amount": "Jumlah",
    "stage": "Tahap",
    "files": "Berkas",
    "file": "Berkas",
    "document": "Dokumen",
    "documents": "Dokumen",
    "doc_type": "Jenis berkas",
    "document_id": "Dokumen",
    "valid_from": "Berlaku sejak",
    "valid_until": "Berlaku sampai",
    # proposals: the conversation
    "body": "Pesan",
    # proposals: the staff's steps
    "decision": "Pernyataan",
    "declaration": "Pernyataan konflik kepentingan",
    "checked_on": "Tanggal pemeriksaan",
    "findings": "Temuan",
    "field_check": "Pemeriksaan lapangan",
    "decree_number": "Nomor Keputusan Bupati",
    "decree_date": "Tanggal keputusan",
    "nphd_number": "Nomor NPHD",
    "nphd_date": "Tanggal NPHD",
    "integrity_pact": "Pakta integritas",
    "disbursed_on": "Tanggal penyaluran",
    "sp2d_ref": "Nomor SP2D / transfer",
    "beneficiary": "Penerima",
    "reported_by": "Dasar laporan",
    "report": "Laporan kejadian",
    "recommend": "Rekomendasi",
    # proposals: the eligibility rules refused on submitting (services/proposals/eligibility.py)
    "dokumen": "Dokumen",
    "rekening": "Rekening bank",
    "jenis_pemohon": "Jenis pemohon",
    "domisili": "Domisili",
    "badan_hukum": "Badan hukum",
    "lpj": "Laporan pertanggungjawaban (LPJ)",
    "hibah_berturut": "Hibah tahun berturut-turut",
}

# An applicant profile's form (new, and changed): gateway/templates/_applicant_fields.html.
APPLICANT_FORM = {
    "name": "Nama pemohon",
    "address": "Alamat di Kabupaten Serang",
    "lat": "Lintang alamat",
    "lon": "Bujur alamat",
    "npwp": "NPWP lembaga",
}

# Where a form names a field otherwise than FIELD_LABELS: by the endpoint that renders it again.
FORM_LABELS: dict[str, dict[str, str]] = {
    "workspace.register": {"name": "Nama lengkap"},
    "workspace.password_reset": {"password": "Kata sandi baru"},
    "workspace.admin_create_staff": {
        "email": "Email dinas",
        "password": "Kata sandi awal",
        "agency": "OPD",
    },
    "workspace.applicant_create": APPLICANT_FORM,
    "workspace.applicant_update": APPLICANT_FORM,
    "workspace.hidden_reports": {"what": "Yang ditampilkan"},
    "workspace.proposal_create": {"category": "Bidang kegiatan", "title": "Judul kegiatan"},
    "workspace.applicant_document_upload": {"kind": "Jenis dokumen"},
    "workspace.proposal_update": {"category": "Bidang kegiatan", "title": "Judul kegiatan"},
    "workspace.emergency_open": {
        "category": "Bidang",
        "purpose": "Keadaan dan kebutuhan",
        "requested_amount": "Jumlah",
    },
    "web.file_complaint": {"address": "Alamat / patokan"},
    "workspace.reopen_report": {"note": "Alasan membuka kembali"},
    "workspace.staff_recategorise": {"category": "Kategori baru"},
    "workspace.staff_moderate": {"reason": "Alasan menyembunyikan"},
    "workspace.my_proposal_step": {"note": "Alasan menarik usulan"},
}

# A list's items, by the list's key: "{n}" is the item's number counted from 1.
ITEM_LABELS: dict[str, str] = {
    "cost_lines": "Rincian biaya baris {n}",
    "responsible_people": "Pengurus {n}",
}

ATTRIBUTE_KEYS = ("attributes", "attribute")
_INDEXED = re.compile(r"^(?P<key>[^\[\]]+)\[(?P<inner>[^\]]*)\]$")
WHOLE_FORM = "_schema"
SEPARATOR = " — "


def humanise(key: str) -> str:
    """A key as words: `badan_hukum` -> "Badan hukum"."""
    words = re.sub(r"[_\-.:]+", " ", str(key)).strip()
    return words[:1].upper() + words[1:] if words else ""


def attribute_labels_of(categories=None, labels=None, chosen: str | None = None) -> dict:
    """What each complaint category attribute is called on this page: from the page's categories
    (the chosen category's first), then from its attribute labels."""
    found: dict[str, str] = {}
    if isinstance(labels, Mapping):
        found |= {str(k): str(v) for k, v in labels.items() if isinstance(v, str)}
    if isinstance(categories, Iterable) and not isinstance(categories, str | bytes | Mapping):
        listed = [c for c in categories if isinstance(c, Mapping)]
        listed.sort(key=lambda c: c.get("code") != chosen)  # the chosen category last wins
        for category in reversed(listed):
            for attribute in category.get("attributes") or ():
                if isinstance(attribute, Mapping) and attribute.get("code"):
                    found[str(attribute["code"])] = str(
                        attribute.get("description") or humanise(attribute["code"])
                    )
    return found


class Namer:
    """The words of a form's error keys (see the module's docstring)."""

    def __init__(self, endpoint: str | None = None, attributes: Mapping | None = None):
        self.labels = FIELD_LABELS | FORM_LABELS.get(endpoint or "", {})
        self.attributes = dict(attributes or {})

    def attribute(self, code: str) -> str:
        return self.attributes.get(code) or humanise(code)

    def field(self, key, nested: bool = False) -> str:
        """A key in words; a `nested` one (inside a list item or another field) by the table of
        every form: a form's own labels speak of its top-level fields ("Nama pemohon" is not
        the name of a responsible person)."""
        key = str(key)
        labels = FIELD_LABELS if nested else self.labels
        if key in labels:
            return labels[key]
        if key.startswith("attr:"):
            return self.attribute(key[5:])
        if match := _INDEXED.match(key):
            name, inner = match["key"], match["inner"]
            if name in ATTRIBUTE_KEYS:
                return self.attribute(inner)
            if inner.isdigit():
                return f"{self.field(name, nested)} ke-{int(inner) + 1}"
            return f"{self.field(name, nested)}{SEPARATOR}{self.field(inner, True)}"
        return humanise(key)

    def lines(self, errors, path: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """(the field in words, its messages) for each refused field, nested ones included."""
        if isinstance(errors, Mapping):
            found = []
            for key, value in errors.items():
                found += self.lines(value, (*path, str(key)))
            return found
        messages = [errors] if isinstance(errors, str) else list(errors or ())
        texts = [str(m) for m in messages if not isinstance(m, Mapping | list | tuple)]
        found = [(self.path(path), " ".join(texts))] if texts else []
        for nested in messages:  # a list of per-item errors
            if isinstance(nested, Mapping | list | tuple):
                found += self.lines(nested, path)
        return found

    def path(self, path: tuple[str, ...]) -> str:
        """`("cost_lines", "0", "amount")` -> "Rincian biaya baris 1 — Jumlah"."""
        words: list[str] = []
        parent = None
        for key in path:
            if key == WHOLE_FORM:
                continue
            if parent in ATTRIBUTE_KEYS:
                words[-1:] = [self.attribute(key)]
            elif key.isdigit() and parent is not None:
                template = ITEM_LABELS.get(parent)
                item = template.format(n=int(key) + 1) if template else f"ke-{int(key) + 1}"
                if template:
                    words[-1:] = [item]
                else:
                    words[-1] = f"{words[-1]} {item}"
            else:
                words.append(self.field(key, nested=parent is not None))
            parent = key
        return SEPARATOR.join(words)


def error_lines(errors, endpoint: str | None = None, context: Mapping | None = None):
    """A form's errors as (field in words, messages) pairs; the page's `context` gives the
    complaint attributes' names (its `categories` and the chosen `values.category`, or its
    `labels`)."""
    context = context or {}
    values = context.get("values")
    chosen = values.get("category") if isinstance(values, Mapping) else None
    attributes = attribute_labels_of(context.get("categories"), context.get("labels"), chosen)
    return Namer(endpoint, attributes).lines(errors or {})
