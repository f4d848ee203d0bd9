"""A report's private audit log, as other processes know it (issue 17): every change to the
report with who exactly made it and what the public timeline leaves out, each entry chained to
the previous one by its hash. Read by Inspektorat's auditors, admins and the handling agency's
staff; the reporter's contact details are in it only as SHA-256 fingerprints."""

from __future__ import annotations

from marshmallow import Schema, fields


class AuditEntryOutSchema(Schema):
    seq = fields.Integer(metadata={"description": "1, 2, ... tanpa celah"})
    at = fields.String(metadata={"description": "waktu (UTC, ISO 8601)"})
    action = fields.String(
        metadata={"description": "submit, verify, forward, resolve, hide, add_photos, ..."}
    )
    actor_user_id = fields.Integer(allow_none=True, metadata={"description": "akun yang bertindak"})
    actor_roles = fields.List(fields.String())
    actor_agency = fields.String(allow_none=True)
    data = fields.Dict(
        metadata={
            "description": "rinciannya: status dan batas waktu sebelum dan sesudah, catatan, OPD "
            "dan kategori sebelum dan sesudah, alasan moderasi, jawaban pelapor; data kontak "
            "pelapor hanya sebagai sidik SHA-256"
        }
    )
    prev_hash = fields.String()
    hash = fields.String()


class AuditLogSchema(Schema):
    public_id = fields.String()
    head = fields.String(allow_none=True, metadata={"description": "hash entri terakhir"})
    entries = fields.List(fields.Nested(AuditEntryOutSchema))


class AuditVerdictSchema(Schema):
    public_id = fields.String()
    ok = fields.Boolean(metadata={"description": "rantai hash utuh sampai hash terakhir"})
    entries = fields.Integer()
    broken_at = fields.Integer(
        allow_none=True, metadata={"description": "seq entri pertama yang tidak cocok"}
    )
    reason = fields.String(allow_none=True)
