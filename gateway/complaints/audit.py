"""A report's private audit log over HTTP (issue 17): Inspektorat's auditors and admins read
every report's, the staff of the agency handling a report read its own; `/audit/verify`
recomputes the hash chain against the head the service keeps. No route edits it."""

from __future__ import annotations

from flask import Blueprint

from gateway.access import DENY, PUBLIC_ONLY, declare
from gateway.api import endpoint, rpc
from services.complaints.contract import AuditLogSchema, AuditVerdictSchema, ComplaintsClient

blueprint = Blueprint("complaints_audit", __name__)
complaints = ComplaintsClient(rpc)
TAGS = ("Pengaduan (staf)",)
READERS = ("officer", "verifier", "admin", "auditor")  # the service checks the agency

# Let through, and never shown the reporter's personal data: the log keeps only fingerprints
# of it (the matrix searches each answer for the world's contact phone and email).
AUDIT_READERS = declare(
    "a report's audit log: Inspektorat's auditors and admins, every report's; the staff of the "
    "agency handling it (as proposals'); not its reporter; no personal data in it",
    DENY,
    owner_staff=PUBLIC_ONLY,
    owner_officer=PUBLIC_ONLY,
    admin=PUBLIC_ONLY,
    auditor=PUBLIC_ONLY,
)


@blueprint.get("/api/v1/complaints/<complaint_id:public_id>/audit")
@endpoint(
    "Log audit laporan",
    tags=TAGS,
    response=AuditLogSchema,
    roles=READERS,
    errors=(403, 404),
    access=AUDIT_READERS,
)
def audit_log(public_id):
    """Every entry with its hash chain: who exactly acted (account, roles, agency), the status
    and deadline before and after, the note, the agency or category before and after, the
    moderation and its reason, the reporter's answer; the reporter's contact details only as
    SHA-256 fingerprints."""
    return complaints.audit_log(public_id)


@blueprint.get("/api/v1/complaints/<complaint_id:public_id>/audit/verify")
@endpoint(
    "Verifikasi rantai hash log audit laporan",
    tags=TAGS,
    response=AuditVerdictSchema,
    roles=READERS,
    errors=(403, 404),
    access=AUDIT_READERS,
)
def verify_audit(public_id):
    """Recompute the chain: ok, or the first entry (`broken_at`) that does not verify."""
    return complaints.verify_audit(public_id)
