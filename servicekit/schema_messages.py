"""marshmallow's generic error messages in Bahasa Indonesia, for every schema in the platform.

Imported once by `servicekit.schemas`; field-specific messages are set where a field is defined.
"""

from marshmallow import Schema, fields

_MESSAGES = {
    fields.Field: {
        "required": "Wajib diisi.",
        "null": "Tidak boleh kosong.",
        "validator_failed": "Nilai tidak valid.",
    },
    fields.String: {
        "invalid": "Harus berupa teks.",
        "invalid_utf8": "Bukan teks UTF-8 yang valid.",
    },
    fields.Integer: {"invalid": "Harus berupa bilangan bulat."},
    fields.Number: {"invalid": "Harus berupa angka.", "too_large": "Angka terlalu besar."},
    fields.Float: {"special": "Angka khusus (NaN atau tak hingga) tidak diizinkan."},
    fields.Boolean: {"invalid": "Harus berupa true atau false."},
    fields.Email: {"invalid": "Alamat email tidak valid."},
    fields.List: {"invalid": "Harus berupa daftar."},
    fields.Nested: {"type": "Harus berupa objek."},
    fields.DateTime: {"invalid": "Format tanggal-waktu tidak valid (ISO 8601)."},
    fields.Date: {"invalid": "Format tanggal tidak valid (YYYY-MM-DD)."},
    fields.UUID: {"invalid_uuid": "UUID tidak valid."},
}

for _field_cls, _messages in _MESSAGES.items():
    _field_cls.default_error_messages = {**_field_cls.default_error_messages, **_messages}

Schema.error_messages = {
    **getattr(Schema, "error_messages", {}),
    "unknown": "Kolom tidak dikenal.",
    "type": "Data harus berupa objek JSON.",
}
