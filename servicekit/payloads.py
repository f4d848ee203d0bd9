"""Loading an RPC payload with its schema: marshmallow's errors become a typed Invalid per field."""

from __future__ import annotations

from marshmallow import Schema, ValidationError

from servicekit.errors import Invalid


def load(schema: Schema, payload, message: str = "Data tidak valid."):
    try:
        return schema.load(payload or {})
    except ValidationError as exc:
        raise Invalid(message, exc.normalized_messages()) from None
