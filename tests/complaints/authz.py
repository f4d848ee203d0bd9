"""The complaints app's own part of the authorisation matrix (tests/security), for the routes of
issue 16; the older complaints routes are described in tests/security/authz_calls.py.

- Area alerts: subscribing is open to anyone; the matrix sends a body the schema refuses (422
  names the field), so no persona adds an alert. The two link pages are called without a code:
  400, for everyone alike.
- Moderation is called with "show" on the world's report, which is not hidden: the service
  answers 409 after its check for whoever may moderate (admins, the handling agency), so the
  world does not change; the staff page's moderation form likewise.
- The private audit log (issue 17) and its verification are read on the world's report, filed
  with the reporter's contact phone and email: Inspektorat's auditor, admins and the handling
  agency's officer and verifier are let through and shown neither (the log keeps only their
  fingerprint; gateway/complaints/audit.py declares them PUBLIC_ONLY, so the matrix searches
  each answer); the reporter, other citizens, other agencies, KESRA and TAPD are refused.
- The staff page's forwarding and recategorising forms name the report's own agency and its own
  category: 422 after the service's check for the agency holding it, nothing moves.
- The moderators' list of what is hidden (`GET /api/v1/complaints/hidden` and its page
  /staf/pengaduan/disembunyikan) is read with something in it: `build` files another report of
  the citizen's at DINSOS with a contact phone and email of its own (added to the secrets), whose
  photo an admin hides and then the handling agency's verifier the report itself. Admins, and
  the officers and verifiers of every agency (each its own agency's: DINSOS's see it, DPUPR's
  and KESRA's an empty list), are let through and shown none of the citizen's data; the
  citizens, TAPD, the auditor and anonymous callers are refused.
"""

from __future__ import annotations

from tests.security.authz_calls import Call
from tests.security.authz_world import OWNER_AGENCY, digits, png
from tests.support.factories import unique_email

VARIABLES: dict = {}

CALLS = {
    "complaint_alerts.create_alert": lambda w: Call(json={"categories": []}),
    "complaints_moderation.moderate": lambda w: Call(json={"action": "show"}),
    "complaints_audit.audit_log": lambda w: Call(values={"public_id": "report"}),
    "complaints_audit.verify_audit": lambda w: Call(values={"public_id": "report"}),
    "workspace.staff_moderate": lambda w: Call(form={"action": "show"}),
    "workspace.staff_forward": lambda w: Call(form={"to_agency": OWNER_AGENCY}),
    "workspace.staff_recategorise": lambda w: Call(form={"category": w.values["report_category"]}),
}


def build(builder) -> None:
    """A hidden report with a hidden photo for the moderators' list (alerts need nothing: an
    alert belongs to an address, not to any persona of the world)."""
    contact = {"contact_phone": f"0857{digits(8)}", "contact_email": unique_email("tersembunyi")}
    builder.secrets |= {
        "the hidden report's contact phone": contact["contact_phone"],
        "the hidden report's contact email": contact["contact_email"],
    }
    hidden = builder.report(builder.values["point"], **contact)["public_id"]
    path = f"/api/v1/complaints/{hidden}"
    photo = builder.upload("citizen", f"{path}/photos", "photos", png(), "b.png")["photos"][0]
    reason = "Foto memperlihatkan wajah warga (uji matriks)."
    builder.post("admin", f"{path}/moderation", action="hide", photo_id=photo["id"], reason=reason)
    reason = "Uraian menyebut nama warga (uji matriks)."
    builder.post("owner_staff", f"{path}/moderation", action="hide", reason=reason)
    listed = builder.get("admin", "/api/v1/complaints/hidden", per_page=100)["items"]
    assert hidden in [item["public_id"] for item in listed]
    builder.values["hidden_report"] = hidden
