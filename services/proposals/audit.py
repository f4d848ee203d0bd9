"""The tamper-evident audit log of a proposal: each entry carries the hash of the previous one.

The chain itself is servicekit.audit_log's (shared with the complaints' log); this module names
the owner (`proposal_id`, also the key in each entry's hashed content) for the callers of the
proposals app. The proposal row keeps the head hash; `verify_chain` recomputes.
"""

from __future__ import annotations

from datetime import datetime

from servicekit import audit_log
from servicekit.audit_log import GENESIS, Verdict

__all__ = ["GENESIS", "Verdict", "entry_hash", "verify_chain"]

OWNER = "proposal_id"


def entry_hash(*, proposal_id: int, at: datetime, **fields) -> str:
    return audit_log.entry_hash(owner=OWNER, owner_id=proposal_id, at=at, **fields)


def verify_chain(entries: list, head: str | None) -> Verdict:
    """Recompute the chain of one proposal's entries (ordered by seq) against the stored head."""
    return audit_log.verify_chain(entries, head, OWNER)
