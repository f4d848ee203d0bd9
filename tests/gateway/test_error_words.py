"""Error summaries name each field in words, as its form's label does, never by its key
(issue 13): the label tables and the naming of nested, indexed and attribute keys
(gateway/web/fields.py). No platform: plain functions."""

from __future__ import annotations

import re

import pytest
from marshmallow import fields as f

from gateway.web.fields import FIELD_LABELS, FORM_LABELS, error_lines, humanise
from gateway.workspace import accounts, admin, citizens, report_desk, staff
from services.complaints.contract import ReportCreateSchema

KEY_LIKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$|\[|\]")  # snake_case or brackets: a raw key


def form_schemas():
    """Every schema a web form of the workspace loads, and the report form's."""
    found = {ReportCreateSchema}
    for module in (accounts, admin, citizens, report_desk, staff):
        found |= {
            value
            for name, value in vars(module).items()
            if name.endswith("Schema") and isinstance(value, type) and "Query" not in name
        }
    return sorted(found, key=lambda schema: schema.__name__)


def keys_of(schema) -> set[str]:
    """A schema's field keys, nested schemas' and list items' too."""
    keys = set()
    for name, field in schema().fields.items():
        keys.add(field.data_key or name)
        inner = field.inner if isinstance(field, f.List) else field
        if isinstance(inner, f.Nested):
            keys |= keys_of(type(inner.schema))
    return keys


@pytest.mark.parametrize("schema", form_schemas(), ids=lambda s: s.__name__)
def test_every_field_of_every_web_form_has_a_label_in_words(schema):
    missing = sorted(keys_of(schema) - set(FIELD_LABELS))
    assert missing == [], f"{schema.__name__}: label these keys in gateway/web/fields.py"


def test_the_labels_are_words_not_keys():
    for table in (FIELD_LABELS, *FORM_LABELS.values()):
        for key, label in table.items():
            assert label and not KEY_LIKE.search(label), (key, label)
            assert label[0].isupper(), (key, label)


def test_form_tables_name_real_pages():
    from gateway import create_app
    from gateway.settings import GatewaySettings

    app = create_app(GatewaySettings(amqp_uri="memory://", secret_key="k" * 64))
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(FORM_LABELS) <= endpoints


def test_the_sign_up_form_names_its_fields_as_its_labels_do():
    errors = {"name": ["Nama harus 2 sampai 120 karakter."], "nik": ["NIK harus 16 angka."]}
    assert error_lines(errors, "workspace.register") == [
        ("Nama lengkap", "Nama harus 2 sampai 120 karakter."),
        ("NIK", "NIK harus 16 angka."),
    ]
    assert error_lines({"name": ["x"]}, "workspace.applicant_create") == [("Nama pemohon", "x")]
    assert error_lines({"name": ["x"]}) == [("Nama", "x")]


def test_a_forms_own_labels_name_its_top_level_fields_only():
    errors = {"name": ["x"], "responsible_people": {0: {"name": ["y"]}}}
    for endpoint in ("workspace.applicant_create", "workspace.applicant_update"):
        assert error_lines(errors, endpoint) == [
            ("Nama pemohon", "x"),
            ("Pengurus 1 — Nama", "y"),  # a responsible person's name, not the applicant's
        ]


def test_the_bank_account_and_eligibility_rules_in_words():
    errors = {"bank_account_name": ["Harus sama."], "rekening": ["Rekening belum diisi."]}
    assert error_lines(errors) == [
        ("Nama pemilik rekening", "Harus sama."),
        ("Rekening bank", "Rekening belum diisi."),
    ]


def test_a_category_attribute_is_named_by_its_description_the_chosen_category_first():
    categories = [
        {"code": "lain", "attributes": [{"code": "tingkat_kerusakan", "description": "Lain"}]},
        {
            "code": "jalan-rusak",
            "attributes": [{"code": "tingkat_kerusakan", "description": "Tingkat kerusakan jalan"}],
        },
    ]
    context = {"categories": categories, "values": {"category": "jalan-rusak"}}
    errors = {"attribute[tingkat_kerusakan]": ["Wajib diisi."], "attr:warna": ["Tidak dikenal."]}
    assert error_lines(errors, "web.file_complaint", context) == [
        ("Tingkat kerusakan jalan", "Wajib diisi."),
        ("Warna", "Tidak dikenal."),  # an attribute no category names: its code in words
    ]
    nested = {"attributes": {"tingkat_kerusakan": ["Wajib diisi."]}}
    assert error_lines(nested, None, context) == [("Tingkat kerusakan jalan", "Wajib diisi.")]
    # the report's own page names them by its attribute labels
    labels = {"labels": {"panjang_kerusakan_m": "Panjang kerusakan (m)"}}
    found = error_lines({"attribute[panjang_kerusakan_m]": "Harus angka."}, None, labels)
    assert found == [("Panjang kerusakan (m)", "Harus angka.")]


def test_nested_and_listed_errors_name_their_path():
    errors = {
        "cost_lines": {0: {"amount": ["Harus berupa bilangan bulat."]}, 2: {"item": ["Wajib."]}},
        "beneficiary": {"nik": ["NIK harus 16 angka."]},
        "responsible_people": {1: {"phone": ["Tidak valid."]}},
        "file[1]": ["Bukan PDF."],
        "_schema": ["Isian tidak lengkap."],
    }
    assert error_lines(errors) == [
        ("Rincian biaya baris 1 — Jumlah", "Harus berupa bilangan bulat."),
        ("Rincian biaya baris 3 — Uraian biaya", "Wajib."),
        ("Penerima — NIK", "NIK harus 16 angka."),
        ("Pengurus 2 — Telepon", "Tidak valid."),
        ("Berkas ke-2", "Bukan PDF."),
        ("", "Isian tidak lengkap."),  # the form as a whole: no field to name
    ]


def test_messages_as_a_string_a_list_or_nothing():
    assert error_lines({"email": "Alamat email tidak valid."}) == [
        ("Email", "Alamat email tidak valid.")
    ]
    assert error_lines({"note": ["Wajib.", "Terlalu panjang."]}) == [
        ("Catatan", "Wajib. Terlalu panjang.")
    ]
    assert error_lines({}) == [] and error_lines(None) == []


def test_an_unknown_key_is_humanised():
    assert humanise("still_looking") == "Still looking"
    assert humanise("nomor-agenda") == "Nomor agenda"
    assert error_lines({"badan_hukum_baru": ["x"]}) == [("Badan hukum baru", "x")]
