"""Payloads of the accounts service's RPC methods: its public contract.

The gateway validates HTTP bodies with these same schemas, so the OpenAPI document
and the service agree by construction.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)
from servicekit.context import STAFF_ROLES
from services.accounts.domain import nik_problems

PASSWORD_LENGTH = validate.Length(min=8, max=128, error="Kata sandi harus 8 sampai 128 karakter.")
NAME_LENGTH = validate.Length(min=2, max=120, error="Nama harus 2 sampai 120 karakter.")


def _plausible_nik(value: str) -> None:
    problems = nik_problems(value)
    if problems:
        raise ValidationError(problems)


class _Stripped(Schema):
    @pre_load
    def strip_strings(self, data, **_):
        if isinstance(data, dict):
            return {
                k: v.strip() if isinstance(v, str) and k != "password" else v
                for k, v in data.items()
            }
        return data


class RegisterSchema(_Stripped):
    """A citizen signing up."""

    name = fields.String(required=True, validate=NAME_LENGTH, metadata={"example": "Siti Aminah"})
    email = fields.Email(
        required=True, validate=validate.Length(max=254), metadata={"example": "siti@example.id"}
    )
    password = fields.String(required=True, load_only=True, validate=PASSWORD_LENGTH)
    nik = fields.String(
        load_default=None,
        allow_none=True,
        validate=_plausible_nik,
        metadata={
            "description": "Nomor Induk Kependudukan, 16 angka (opsional)",
            "example": "3604054107900003",
        },
    )


class LoginSchema(_Stripped):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=128)
    )


class StaffCreateSchema(RegisterSchema):
    """A staff (ASN) account, created by an admin and bound to an agency."""

    roles = fields.List(
        fields.String(validate=validate.OneOf(STAFF_ROLES)),
        required=True,
        validate=validate.Length(min=1, max=len(STAFF_ROLES)),
        metadata={"example": ["verifier"]},
    )
    agency = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=32),
        metadata={"description": "Kode OPD, mis. DINSOS", "example": "DINSOS"},
    )


class AgencySchema(Schema):
    code = fields.String(metadata={"example": "DPUPR"})
    name = fields.String(metadata={"example": "Dinas Pekerjaan Umum dan Penataan Ruang"})


class UserSchema(Schema):
    """A user as the user (or an admin) sees it."""

    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    nik = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    agency = fields.Nested(AgencySchema, allow_none=True)
    created_at = fields.DateTime(format="iso")


class StaffQuerySchema(Schema):
    agency = fields.String(load_default=None, validate=validate.Length(max=32))
    role = fields.String(load_default=None, validate=validate.OneOf(STAFF_ROLES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class UserPageSchema(Schema):
    items = fields.List(fields.Nested(UserSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ClaimsSchema(Schema):
    """What the gateway puts in a token after a successful login."""

    id = fields.Integer()
    name = fields.String()
    roles = fields.List(fields.String())
    agency = fields.String(allow_none=True)
    sv = fields.Integer(metadata={"description": "versi sesi; keluar menaikkannya"})


class RegistrationSchema(Schema):
    """What a sign-up tells the gateway (never the caller: the answer is the same either way)."""

    created = fields.Boolean()
    email = fields.String()


class SessionVersionsQuerySchema(Schema):
    since = fields.AwareDateTime(load_default=None, allow_none=True)
    max_age = fields.Integer(required=True, validate=validate.Range(min=0, max=7 * 86400))


class ContactSchema(Schema):
    """An addressee for other services (notifications); never published."""

    user_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    agency = fields.String(allow_none=True)
    roles = fields.List(fields.String())
