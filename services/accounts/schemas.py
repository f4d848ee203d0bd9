"""Payloads only the accounts service reads; what other processes send and get back is in
services/accounts/contract.py."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

import servicekit.schema_messages  # noqa: F401  (Indonesian messages)


class SessionVersionsQuerySchema(Schema):
    since = fields.AwareDateTime(load_default=None, allow_none=True)
    max_age = fields.Integer(required=True, validate=validate.Range(min=0, max=7 * 86400))
