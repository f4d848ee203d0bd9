"""Which events become which messages, for whom: the one table a new app of the suite extends.

A new app adds, for each event of its own that should reach people:
1. a `Subscription` here (`subscribe(...)`): the event type (from its app's contract), its
   category (a citizen can turn email off for a non-essential category), whether it is
   essential (then preferences are ignored), and its audiences: who receives it (a rule),
   on which channels;
2. the texts, one per (event type, audience, channel), in `default_templates.py`.

Nothing else changes: the service subscribes to every event type listed here, and the
templates are seeded into the database when the service starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# the categories (code -> name) are published in the contract: a citizen chooses among them
from services.notifications.contract import CATEGORIES, ESSENTIAL_CATEGORIES, TEST_REQUESTED

DEFAULT_CHANNELS = ("email", "inbox")


@dataclass(frozen=True)
class ConcernedUser:
    """The user the event speaks of, named by a payload field (e.g. `user_id`, `reporter_user_id`)."""

    field: str = "user_id"


@dataclass(frozen=True)
class AgencyStaff:
    """Active staff of the agency named by a payload field, with one of `roles`; none if it is empty."""

    agency_field: str = "agency"
    roles: tuple[str, ...] = ("officer",)


@dataclass(frozen=True)
class FiledBy:
    """Whoever filed a record kept by another service: their account, or, with no account, the
    contact email they left there. The address is asked of that service by RPC (`method`
    called with the payload's `id_field`), never read from the payload. `when_any` names
    payload fields of which one must be truthy for the call to be worth making.

    The answer may carry `values`: placeholder values for this recipient's messages alone
    (e.g. the token of a link made for them), used in rendering and never stored apart.

    A person without an account is keyed as recipient `-id` (the record's id, negated), so the
    effectively-once key (event, recipient, channel, template) holds for them too; the inbox
    channel has no address for them and skips them.
    """

    service: str
    method: str
    id_field: str
    when_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class Followers:
    """People who chose to follow a record another service keeps (e.g. a report's supporters):
    that service is asked by RPC (`method` called with the payload's `id_field`) for their user
    ids, each with template values of their own (an opt-out link) under `values`."""

    service: str
    method: str
    id_field: str


RecipientRule = ConcernedUser | AgencyStaff | FiledBy | Followers


@dataclass(frozen=True)
class Audience:
    name: str  # names the templates of this audience, e.g. "warga", "staf"
    rule: RecipientRule
    channels: tuple[str, ...] = DEFAULT_CHANNELS


@dataclass(frozen=True)
class Subscription:
    event_type: str
    category: str
    essential: bool
    audiences: tuple[Audience, ...]
    # extra placeholder values computed from the loaded event (defaults for optional fields…)
    values: Callable[[dict], dict] = field(default=lambda event: {})

    def __post_init__(self):
        known = CATEGORIES | ESSENTIAL_CATEGORIES if self.essential else CATEGORIES
        if self.category not in known:
            raise ValueError(f"unknown notification category {self.category!r}")
        if len({a.name for a in self.audiences}) != len(self.audiences):
            raise ValueError(f"audience names of {self.event_type} must be distinct")


SUBSCRIPTIONS: dict[str, Subscription] = {}


def subscribe(subscription: Subscription) -> Subscription:
    if subscription.event_type in SUBSCRIPTIONS:
        raise ValueError(f"{subscription.event_type} already has a subscription")
    SUBSCRIPTIONS[subscription.event_type] = subscription
    return subscription


def subscribed_event_types() -> list[str]:
    """Read when the service is set up: the bindings of its event queue."""
    return sorted(SUBSCRIPTIONS)


# --- notifications ----------------------------------------------------------------------

subscribe(
    Subscription(
        event_type=TEST_REQUESTED,
        category="uji",
        essential=False,
        audiences=(
            Audience("warga", ConcernedUser("user_id")),
            Audience("staf", AgencyStaff("agency", roles=("officer", "verifier", "admin"))),
        ),
        values=lambda event: {"catatan": event.get("note") or "-"},
    )
)
