"""What other processes may know of the transparency app: its answers' schemas and a typed
client (docs/transparency.md is the format for outsiders), and the event it publishes when a
digest is sealed.

Depends on the standard library, marshmallow and servicekit only (import-linter checks it).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from servicekit.client import Client
from servicekit.events import EventSchema, event

PER_PAGE_MAX = 366
# a chain's name: an app's name, "/", the public id of the thing (proposals/SO-2027-000012),
# at most servicekit.trail.CHAIN_MAX (80) characters
CHAIN = r"^[a-z][a-z0-9_]{0,29}/[A-Za-z0-9][A-Za-z0-9._-]{0,48}$"
DIGEST_PUBLISHED = "transparency.digest_published"


@event(DIGEST_PUBLISHED)
class DigestPublished(EventSchema):
    """A period's digest was sealed and published (public facts only)."""

    date = fields.String(required=True)
    hash = fields.String(required=True)
    heads = fields.Integer(required=True)


class DigestsQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=30, validate=validate.Range(min=1, max=PER_PAGE_MAX))


class DigestSummarySchema(Schema):
    date = fields.String(required=True, metadata={"description": "the WIB day, 2027-01-20"})
    hash = fields.String(required=True)
    previous = fields.String(required=True)
    root = fields.String(required=True)
    heads = fields.Integer(required=True, metadata={"description": "chains committed"})
    issued = fields.String(required=True)
    url = fields.String(required=True)


class DigestsPageSchema(Schema):
    digests = fields.List(fields.Nested(DigestSummarySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class DigestHeaderSchema(Schema):
    version = fields.Integer(required=True)
    date = fields.String(required=True)
    period_start = fields.String(required=True)
    period_end = fields.String(required=True)
    previous = fields.String(required=True)
    root = fields.String(required=True)
    heads = fields.Integer(required=True)
    issued = fields.String(required=True)
    key_id = fields.String(required=True)


class HeadSchema(Schema):
    chain = fields.String(required=True)
    seq = fields.Integer(required=True)
    hash = fields.String(required=True)


class DigestSchema(Schema):
    digest = fields.Nested(DigestHeaderSchema, required=True)
    hash = fields.String(required=True, metadata={"description": "SHA-256 of canonical(digest)"})
    signature = fields.String(
        required=True, metadata={"description": "base64 Ed25519 over canonical(digest)"}
    )
    heads = fields.List(fields.Nested(HeadSchema), required=True)


class KeyEntrySchema(Schema):
    key_id = fields.String(required=True)
    public_key = fields.String(required=True)
    since = fields.String(allow_none=True)


class KeySchema(Schema):
    algorithm = fields.String(required=True)
    key_id = fields.String(required=True)
    public_key = fields.String(required=True, metadata={"description": "base64, raw 32 bytes"})
    keys = fields.List(fields.Nested(KeyEntrySchema), required=True)


class ProofQuerySchema(Schema):
    chain = fields.String(
        required=True,
        validate=validate.Regexp(
            CHAIN,
            error="Nama rantai harus berbentuk <jenis>/<nomor publik>, "
            "mis. proposals/SO-2027-000012 atau complaints/SRG-2026-000042.",
        ),
        metadata={
            "description": "the chain: proposals/<public id> or complaints/<public id>",
            "example": "proposals/SO-2027-000012",
        },
    )


class ProofSchema(Schema):
    """One chain's head in the latest digest that committed it, with the audit path that leads
    from the head's leaf to the digest's root, and the digest's signed header: enough to check
    the head without the digest's other heads (docs/transparency.md, section 2)."""

    date = fields.String(required=True, metadata={"description": "the digest's period"})
    chain = fields.String(required=True)
    seq = fields.Integer(required=True, metadata={"description": "the committed head's seq"})
    hash = fields.String(required=True, metadata={"description": "the committed head's hash"})
    index = fields.Integer(required=True, metadata={"description": "the head's leaf, from 0"})
    size = fields.Integer(required=True, metadata={"description": "the digest's heads"})
    path = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the audit path: sibling hashes from the leaf up (hex)"},
    )
    root = fields.String(required=True, metadata={"description": "the digest's Merkle root"})
    digest = fields.Nested(
        DigestHeaderSchema, required=True, metadata={"description": "the header as signed"}
    )
    signature = fields.String(
        required=True, metadata={"description": "base64 Ed25519 over canonical(digest)"}
    )


class TransparencyClient(Client):
    service = "transparency"

    def digests(self, query: dict | None = None) -> dict:
        """Published digests, newest first, a page at a time."""
        return self._call("digests", query)

    def digest(self, date: str) -> dict:
        """One published digest, whole (404 for a period not sealed)."""
        return self._call("digest", date)

    def key(self) -> dict:
        """The signing key now, and every key that signed a digest."""
        return self._call("key")

    def proof(self, query: dict) -> dict:
        """`{chain}`'s head in the latest digest that committed it, with its inclusion proof
        (404 naming the chain when no digest did)."""
        return self._call("proof", query)
