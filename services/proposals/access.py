"""Who may see an applicant's private details (NIK, bank account, NPWP, phone, email, address,
responsible people, documents): personal data under UU 27/2022, shown only to those who need it.

- the applicant's own members (the citizen accounts acting for it), always;
- an admin, always;
- agency staff only for a submitted (non-draft) proposal that their agency handles, or, for
  the fixed agencies of the process (Bagian Kesra, BPKAD), while the proposal waits at a stage
  on which they act (the steps `lifecycle.available_actions` would offer them).

Pure rules over plain values; the service gathers the proposals and applies them.
"""

from __future__ import annotations

from servicekit.context import Actor
from services.proposals.contract.stages import DRAFT
from services.proposals.lifecycle import Agencies, available_actions

AGENCY_STAFF = ("verifier", "officer", "budget_team")


def staff_sees_applicant(actor: Actor, agencies: Agencies, stage: str, responsible: str) -> bool:
    """Whether `actor` (not a member of the applicant) may see the applicant of a proposal at
    `stage` handled by the `responsible` agency."""
    if actor.has_role("admin"):
        return True
    if stage == DRAFT or not actor.agency or not actor.has_role(*AGENCY_STAFF):
        return False
    if actor.agency == responsible:
        return True
    return bool(available_actions(stage, actor, agencies, responsible))


def sees_any(actor: Actor, agencies: Agencies, proposals: list[tuple[str, str]]) -> bool:
    """Whether any of an applicant's proposals, as (stage, responsible agency) pairs, lets the
    actor see the applicant."""
    return any(staff_sees_applicant(actor, agencies, s, a) for s, a in proposals)
