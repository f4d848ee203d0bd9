"""Transparency over HTTP (docs/transparency.md): the signed daily digests, the signing key, one
chain's inclusion proof, and the page /transparansi. Public, no sign-in, nothing personal."""

from __future__ import annotations

from flask import Blueprint, render_template

from gateway.access import PUBLIC, access
from gateway.api import endpoint, rpc
from services.transparency.contract import (
    DigestSchema,
    DigestsPageSchema,
    DigestsQuerySchema,
    KeySchema,
    ProofQuerySchema,
    ProofSchema,
    TransparencyClient,
)

blueprint = Blueprint("transparency", __name__, template_folder="templates")
transparency = TransparencyClient(rpc)
TAGS = ("Transparansi",)


@blueprint.get("/api/v1/transparency/digests")
@endpoint(
    "Ringkasan harian jejak publik",
    tags=TAGS,
    query=DigestsQuerySchema,
    response=DigestsPageSchema,
    access=PUBLIC,
)
def digests(query):
    """The published digests, newest first: each day's hash, the previous day's hash, the
    Merkle root of the chain heads it commits and how many."""
    return transparency.digests(query)


@blueprint.get("/api/v1/transparency/digests/<date>")
@endpoint(
    "Satu ringkasan harian, lengkap dan bertanda tangan",
    tags=TAGS,
    response=DigestSchema,
    errors=(404,),
    access=PUBLIC,
)
def digest(date):
    """One day's digest as signed (`digest`), its SHA-256, the Ed25519 signature and the heads
    it commits; never changed once published."""
    return transparency.digest(date)


@blueprint.get("/api/v1/transparency/key")
@endpoint("Kunci publik penanda tangan ringkasan", tags=TAGS, response=KeySchema, access=PUBLIC)
def key():
    """The Ed25519 public key that signs the digests (base64 of its 32 raw bytes), and every key
    that ever signed one, from when."""
    return transparency.key()


@blueprint.get("/api/v1/transparency/proof")
@endpoint(
    "Bukti Merkle bahwa kepala satu rantai tercatat di ringkasan",
    tags=TAGS,
    query=ProofQuerySchema,
    query_status=422,
    response=ProofSchema,
    errors=(404,),
    access=PUBLIC,
)
def proof(query):
    """For one chain (`proposals/<public id>` or `complaints/<public id>`), the head that the
    latest digest committing it holds (`seq`, `hash`), the head's leaf `index` among the
    digest's `size` heads, the audit `path` from that leaf to the digest's `root`, and the
    digest's header as signed with its `signature`: enough to check the chain against a signed
    digest without reading the digest's other heads. 404 when no digest has committed the
    chain yet; 422 when `chain` is missing or is not such a name."""
    return transparency.proof(query)


@blueprint.get("/transparansi")
@access(PUBLIC)
def page():
    """Transparansi: what the digests are, the key, the latest digests, and how to check."""
    return render_template(
        "transparency/index.html",
        page=transparency.digests({"page": 1, "per_page": 30}),
        key=transparency.key(),
    )
