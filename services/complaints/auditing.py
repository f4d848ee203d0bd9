"""Reading a report's private audit log (services/complaints/audit.py) and checking its chain.

Who may, as proposals' rule (services/proposals/guards.require_auditor): Inspektorat's
auditors (role `auditor`) every report's, hidden ones too, and admins; the staff (officers and
verifiers) of the agency handling the report now; nobody else, its reporter neither. The
auditor role opens nothing else of complaints: every other check ignores it.
"""

from __future__ import annotations

from servicekit.errors import Forbidden
from services.complaints import store
from services.complaints.audit import verify_chain
from services.complaints.desk import Desk
from services.complaints.models import Report
from services.complaints.moderation import require_visible


def reads_log(desk: Desk, report: Report) -> bool:
    actor = desk.actor
    if actor.has_role("admin", "auditor"):  # Inspektorat reads every log
        return True
    return actor.has_role("officer", "verifier") and actor.agency == report.agency_code


def require_reader(desk: Desk, report: Report) -> None:
    desk.actor.require_login()
    if reads_log(desk, report):
        return
    require_visible(desk.actor, report)  # a hidden report does not exist for them: 404
    raise Forbidden(
        "Log audit hanya untuk auditor, admin, dan petugas OPD yang menangani laporan.",
        {"id": ["Anda tidak berhak membaca log audit laporan ini."]},
    )


def audit_log(desk: Desk, public_id: str) -> dict:
    report = store.get_report(desk.db, public_id)
    require_reader(desk, report)
    return {
        "public_id": report.public_id,
        "head": report.audit_head,
        "entries": [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "action": e.action,
                "actor_user_id": e.actor_user_id,
                "actor_roles": e.actor_roles or [],
                "actor_agency": e.actor_agency,
                "data": e.data or {},
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in store.fetch_audit(desk.db, report.id)
        ],
    }


def verify_audit(desk: Desk, public_id: str) -> dict:
    report = store.get_report(desk.db, public_id)
    require_reader(desk, report)
    verdict = verify_chain(store.fetch_audit(desk.db, report.id), report.audit_head)
    return {"public_id": report.public_id} | verdict.as_dict()
