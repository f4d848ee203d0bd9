"""The lifecycle of a report as other processes know it: every status with its Bahasa Indonesia
label, every action with who may take it and from where. Defined once, here (the service's
lifecycle.py enforces it).

submitted ─verify→ verified ─forward→ forwarded ─start→ in_progress ─resolve→ resolved ─close→ closed
    │                 │                   ▲                                  │
    ├─reject→ rejected│                   └──────────── reopen (reporter, ≤14 days) ┘
    └─mark_duplicate→ duplicate ←─────────┘
"""

from __future__ import annotations

from dataclasses import dataclass

SUBMITTED, VERIFIED, FORWARDED, IN_PROGRESS = "submitted", "verified", "forwarded", "in_progress"
RESOLVED, CLOSED, REJECTED, DUPLICATE = "resolved", "closed", "rejected", "duplicate"
# sent on to another government (the province, Kota Serang, national roads): closed here
FORWARDED_EXTERNAL = "forwarded_external"

STATUSES = (
    SUBMITTED,
    VERIFIED,
    FORWARDED,
    IN_PROGRESS,
    RESOLVED,
    CLOSED,
    REJECTED,
    DUPLICATE,
    FORWARDED_EXTERNAL,
)
OPEN_STATUSES = frozenset({SUBMITTED, VERIFIED, FORWARDED, IN_PROGRESS})
FINAL_STATUSES = frozenset({CLOSED, REJECTED, DUPLICATE, FORWARDED_EXTERNAL})

STATUS_LABELS = {
    SUBMITTED: "Diterima",
    VERIFIED: "Terverifikasi",
    FORWARDED: "Diteruskan ke OPD",
    IN_PROGRESS: "Sedang dikerjakan",
    RESOLVED: "Selesai dikerjakan",
    CLOSED: "Ditutup",
    REJECTED: "Ditolak",
    DUPLICATE: "Duplikat",
    FORWARDED_EXTERNAL: "Diteruskan ke instansi lain",
}

AGENCY_STAFF = "agency_staff"  # an officer or verifier of the report's agency
REPORTER = "reporter"  # the logged-in citizen who filed it


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str
    note_required: bool = False
    label: str = ""


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            "verify", frozenset({SUBMITTED}), VERIFIED, AGENCY_STAFF, label="Laporan diverifikasi"
        ),
        Transition(
            "reject",
            frozenset({SUBMITTED, VERIFIED}),
            REJECTED,
            AGENCY_STAFF,
            True,
            "Laporan ditolak",
        ),
        Transition(
            "mark_duplicate",
            frozenset({SUBMITTED, VERIFIED, FORWARDED}),
            DUPLICATE,
            AGENCY_STAFF,
            label="Ditandai duplikat",
        ),
        Transition(
            "forward", frozenset({VERIFIED}), FORWARDED, AGENCY_STAFF, label="Diteruskan ke OPD"
        ),
        Transition(
            "start", frozenset({FORWARDED}), IN_PROGRESS, AGENCY_STAFF, label="Mulai dikerjakan"
        ),
        Transition(
            "resolve", frozenset({IN_PROGRESS}), RESOLVED, AGENCY_STAFF, label="Selesai dikerjakan"
        ),
        Transition("close", frozenset({RESOLVED}), CLOSED, AGENCY_STAFF, label="Laporan ditutup"),
        Transition(
            "reopen",
            frozenset({RESOLVED}),
            FORWARDED,
            REPORTER,
            True,
            "Dibuka kembali oleh pelapor",
        ),
    )
}
STAFF_ACTIONS = tuple(a for a, t in TRANSITIONS.items() if t.actor == AGENCY_STAFF)


def open311_status(status: str) -> str:
    """Open311 knows two statuses: a report is open until it is resolved or finished."""
    return "open" if status in OPEN_STATUSES else "closed"
