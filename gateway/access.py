"""Who gets what from each route: the access declaration every route of the gateway carries.

Next to each route stands what every kind of caller gets from it, written as
`@endpoint(..., access=OWNER)` or, for a plain view, `@access(PUBLIC)` under the route
decorator. tests/security/test_authz_matrix.py calls every route of the url_map as every
persona below and compares what happened with the declaration; a route without one fails
that test, so no route can be added without saying who may use it (issue #10).

A declaration speaks of the situation that test builds (tests/security/authz_world.py): a
citizen's open complaint report and Serang Open proposal, both handled by one agency (DINSOS),
the proposal at evaluation (the OPD's turn); a route that needs another stage (submitting a
draft, resubmitting a returned proposal, the LPJ, reopening a resolved report) gets its own
resource at that stage.

Outcomes, as seen through HTTP:
- ALLOW: the authorisation gate let the caller through (any status below 500 other than
  401/403/404: 2xx, 400, 409, 415, 422, or a redirect elsewhere than the login page); the
  caller may see the personal data it is entitled to.
- PUBLIC_ONLY: let through too, but shown nothing of the world's personal data (the
  citizen's NIK, email, phone, bank account...): what anyone may see, or the caller's own.
- DENY: refused: 401, 403 or 404, or a page's redirect to /masuk.
A 5xx (or a 429, which measured nothing) is never an outcome: it fails the cell whatever was
declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum


class Outcome(StrEnum):
    ALLOW = "allow"
    PUBLIC_ONLY = "public_only"
    DENY = "deny"


ALLOW, PUBLIC_ONLY, DENY = Outcome.ALLOW, Outcome.PUBLIC_ONLY, Outcome.DENY

PERSONAS: dict[str, str] = {
    "anonymous": "not signed in",
    "citizen": "the citizen who owns the world: its reporter, its applicant's member",
    "other_citizen": "another citizen",
    "owner_staff": "a verifier of the agency handling the report and the proposal (DINSOS)",
    "owner_officer": "an officer of that agency",
    "other_staff": "a verifier of another agency (DPUPR)",
    "kesra": "a verifier of Bagian Kesra (the administrative check and the decree)",
    "budget_team": "TAPD, at BPKAD (the budget decision and the treasury)",
    "admin": "a platform admin",
    "auditor": "an auditor of Inspektorat (role auditor): every private audit trail, nothing else",
}
# People who are never entitled to the world's personal data, whatever a route does.
STRANGERS = frozenset({"anonymous", "other_citizen", "other_staff"})


@dataclass(frozen=True)
class Access:
    """The outcome of a route for each persona, and why, in words."""

    outcomes: tuple[tuple[str, Outcome], ...]
    why: str

    def __post_init__(self):
        named = [persona for persona, _ in self.outcomes]
        if sorted(named) != sorted(PERSONAS):
            raise ValueError(f"an access declaration names each persona once, not {named}")
        for persona, outcome in self.outcomes:
            if persona in STRANGERS and outcome is ALLOW:
                raise ValueError(f"{persona} is never entitled to the world's personal data")

    def __getitem__(self, persona: str) -> Outcome:
        return dict(self.outcomes)[persona]

    def but(self, why: str, **changes: Outcome) -> Access:
        """This declaration with some personas' outcomes changed (the route is finer)."""
        unknown = set(changes) - set(PERSONAS)
        if unknown:
            raise ValueError(f"unknown personas: {sorted(unknown)}")
        merged = dict(self.outcomes) | changes
        return Access(tuple((p, merged[p]) for p in PERSONAS), why)


def declare(why: str, default: Outcome, **outcomes: Outcome) -> Access:
    """Every persona gets `default`, except those named."""
    return Access(tuple((p, default) for p in PERSONAS), why).but(why, **outcomes)


# --- presets ----------------------------------------------------------------------------

PUBLIC = declare("anyone, signed in or not; nothing personal in it", PUBLIC_ONLY)
SIGNED_IN = declare(
    "anyone signed in, each to their own data", PUBLIC_ONLY, anonymous=DENY, citizen=ALLOW
)
OWNER = declare("only the citizen who owns it", DENY, citizen=ALLOW)
ADMIN_ONLY = declare("admins only", DENY, admin=ALLOW)
COMPLAINT_AGENCY = declare(
    "the staff (officers and verifiers) of the agency handling the report",
    DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
)
REPORTER_OR_AGENCY = COMPLAINT_AGENCY.but(
    "the reporter, or the staff of the agency handling the report", citizen=ALLOW
)
STAFF_DESK = declare(
    "agency staff, each at their own agency's desk; admins, auditors and citizens are not staff",
    PUBLIC_ONLY,
    anonymous=DENY,
    citizen=DENY,
    other_citizen=DENY,
    admin=DENY,
    auditor=DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
)
# The issue #10 rule for an applicant's private data (NIK, bank account, phone, documents...):
# its members; the staff of the proposal's own agency once it is submitted; KESRA and BPKAD,
# who follow every proposal, only at the stages they act on (not at evaluation, the world's
# stage: they see the proposal without its applicant's details); admins; anyone else 404.
APPLICANT_READERS = declare(
    "its applicant's members, the staff of its own agency, admins (KESRA and BPKAD only at "
    "the stages they act on)",
    DENY,
    citizen=ALLOW,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
    admin=ALLOW,
)
PROPOSAL_READERS = APPLICANT_READERS.but(
    "a proposal for its applicant and the staff following it: KESRA and BPKAD without its "
    "applicant's details at this stage",
    kesra=PUBLIC_ONLY,
    budget_team=PUBLIC_ONLY,
)
PROPOSAL_DESK = PROPOSAL_READERS.but(
    "the staff following the proposal, at their desk (KESRA and BPKAD without its applicant's "
    "details at this stage)",
    citizen=DENY,
    admin=DENY,
)
DOCUMENT_DESK = APPLICANT_READERS.but(
    "an applicant's document at the staff desk: the staff of its own agency at this stage",
    citizen=DENY,
    admin=DENY,
)
STAFF_CONVERSATION = DOCUMENT_DESK.but(
    "the conversation with a proposal's applicant at the staff desk: the staff who may see its "
    "applicant (its own agency at this stage)",
)
OPD_VERIFIER = declare("the verifier of the proposal's own agency only", DENY, owner_staff=ALLOW)

# --- routes finer than a preset ------------------------------------------------------------

COMPLAINT_QUEUE = COMPLAINT_AGENCY.but(
    "officers and verifiers, each their own agency's queue",
    other_staff=PUBLIC_ONLY,
    kesra=PUBLIC_ONLY,
)
COMPLAINT_MODERATORS = COMPLAINT_AGENCY.but(
    "admins, and the staff (officers and verifiers) of the agency handling the report",
    admin=ALLOW,
)
HIDDEN_REPORTS = declare(
    "what moderators hid: admins every report's, an agency's officers and verifiers those their "
    "agency handles (an empty list for another agency's); never the reporter's contact",
    DENY,
    owner_staff=PUBLIC_ONLY,
    owner_officer=PUBLIC_ONLY,
    other_staff=PUBLIC_ONLY,
    kesra=PUBLIC_ONLY,
    admin=PUBLIC_ONLY,
)
REPORT_DESK = STAFF_DESK.but(
    "a report at the staff desk: agency staff, each with their own agency's private details; "
    "admins too (they moderate), without the reporter's contact",
    admin=PUBLIC_ONLY,
)
REPORT_DETAIL = PUBLIC.but(
    "a report's public view for anyone; its contact details for its reporter and agency",
    citizen=ALLOW,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
)
PROPOSAL_QUEUE = STAFF_DESK.but(
    "staff, each what waits for their role and agency: the world's proposal waits for its "
    "OPD's verifier",
    owner_officer=PUBLIC_ONLY,
)
EMERGENCY_OPENERS = declare(
    "officers and verifiers of the category's agency, or of KESRA",
    DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
    kesra=ALLOW,
)
FIELD_PHOTOS = declare(
    "field-check photos: the verifier of its own agency (409 until they declare no conflict) "
    "or an admin, not KESRA or BPKAD (issue #10); its applicant uploads its own documents "
    "only (409)",
    DENY,
    citizen=ALLOW,
    owner_staff=ALLOW,
    admin=ALLOW,
)
INCIDENT_REPORTERS = declare(
    "the incident report of a bansos: the staff of its own agency, or of KESRA",
    DENY,
    owner_staff=ALLOW,
    owner_officer=ALLOW,
    kesra=ALLOW,
)
DECLARERS = declare(
    "a conflict-of-interest declaration: the verifiers of the proposal's agency, and TAPD",
    DENY,
    owner_staff=ALLOW,
    budget_team=ALLOW,
)
PROPOSAL_AUDITORS = PROPOSAL_READERS.but(
    "the audit log: the staff following the proposal and admins, not its applicant; nothing "
    "personal in it for KESRA and BPKAD at this stage; Inspektorat's auditors, every one",
    citizen=DENY,
    auditor=ALLOW,
)
ROUND_KEEPERS = declare(
    "application rounds are opened and their dates changed by Bagian Kesra's staff and admins",
    DENY,
    kesra=ALLOW,
    admin=ALLOW,
)
OPEN311_KEY = declare(
    "an organisation's Open311 api_key, not a signed-in person: without one all are refused", DENY
)


# --- recording ---------------------------------------------------------------------------


def access(declaration: Access, page: bool = False) -> Callable:
    """`@access(...)` under the route decorator: records who may use the view. `page=True` says
    it is a page read by browsers with the web session's cookie (and its forms' CSRF token), as
    every view of the platform's `web` and `workspace` blueprints is: an app's own pages say so
    here, and the authorisation matrix calls them as a browser."""
    if not isinstance(declaration, Access):
        raise TypeError("@access takes an Access declaration (see gateway/access.py)")

    def record(view):
        view.access = declaration
        view.web_page = page
        if hasattr(view, "endpoint_doc"):
            view.endpoint_doc = replace(view.endpoint_doc, access=declaration)
        return view

    return record


def declared(view) -> Access | None:
    """The access declaration of a view function, if it has one."""
    return getattr(view, "access", None)
