"""HTTP-only shapes of the accounts endpoints (bodies come from services.accounts.schemas)."""

from marshmallow import Schema, fields

from services.accounts.schemas import ClaimsSchema


class TokenSchema(Schema):
    access_token = fields.String(
        metadata={"description": "JWT (HS256); kirim sebagai 'Authorization: Bearer <token>'"}
    )
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "masa berlaku dalam detik"})
    user = fields.Nested(ClaimsSchema)
