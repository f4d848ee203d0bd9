"""From a stored event to notification rows: recipients, preferences, templates, rendering.

Everything for one event is rendered before anything is written: if one template lacks a
value, the whole event is parked with the missing names (nothing half-sent). If the accounts
service does not answer, the event waits for a retry with backoff; it is never dropped.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from marshmallow import ValidationError
from nameko.exceptions import RemoteError
from sqlalchemy.orm import Session

from servicekit.errors import ServiceError, Unavailable
from servicekit.events import read_event
from services.notifications import store
from services.notifications.channels import Channel
from services.notifications.contract.subscriptions import (
    SUBSCRIPTIONS,
    AgencyStaff,
    ConcernedUser,
    FiledBy,
    Followers,
    Subscription,
)
from services.notifications.delivery import DONE, PARKED, PENDING, RETRYING, SENDING, RetryPolicy
from services.notifications.rendering import MissingPlaceholders, as_text, format_wib, render

log = logging.getLogger(__name__)


class Parked(Exception):
    """The event cannot become messages until someone fixes something (a template, the payload)."""


@dataclass(frozen=True)
class ExpansionSettings:
    retry: RetryPolicy  # for events whose recipients could not be resolved yet
    public_url: str
    templates: TemplateCache


class TemplateCache:
    """Templates per event type, read again after `seconds`. They change only when seeded at
    start or fixed in the database by an admin (whose replay of a parked event clears this)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._found: dict[str, tuple[float, dict]] = {}

    def get(self, session: Session, event_type: str) -> dict[tuple[str, str], dict]:
        hit = self._found.get(event_type)
        now = time.monotonic()
        if hit is None or now - hit[0] > self.seconds:
            hit = self._found[event_type] = (now, store.fetch_templates_for(session, event_type))
        return hit[1]

    def clear(self) -> None:
        self._found = {}


def resolve_recipients(
    accounts, subscription: Subscription, event: dict, sources: dict | None = None
) -> dict[str, list]:
    """Contacts per audience, from the accounts service or the service that keeps the record
    (`sources`: service name -> RPC proxy); never from the payload."""
    wanted: dict[str, list[int]] = {}
    found: dict[str, list] = {}
    extra: dict[str, dict] = {}  # values a FiledBy source gives for its filer alone (links)
    own: dict[str, dict] = {}  # values per follower, given by a Followers source
    for audience in subscription.audiences:
        rule = audience.rule
        if isinstance(rule, ConcernedUser):
            user_id = event.get(rule.field)
            wanted[audience.name] = [user_id] if user_id is not None else []
        elif isinstance(rule, AgencyStaff):
            agency = event.get(rule.agency_field)
            found[audience.name] = accounts.agency_staff(agency, list(rule.roles)) if agency else []
        elif isinstance(rule, FiledBy):
            found[audience.name] = []
            record_id = event.get(rule.id_field)
            if record_id is None or (
                rule.when_any and not any(event.get(f) for f in rule.when_any)
            ):
                continue
            source = (sources or {}).get(rule.service)
            if source is None:
                raise Parked(f"layanan {rule.service!r} tidak tersedia untuk aturan penerima")
            filer = getattr(source, rule.method)(record_id)
            extra[audience.name] = filer.get("values") or {}
            if filer.get("user_id") is not None:
                wanted[audience.name] = [filer["user_id"]]
            elif filer.get("email"):
                found[audience.name] = [
                    {"user_id": -int(record_id), "email": filer["email"], "name": filer.get("name")}
                    | _with_values(extra[audience.name])
                ]
        elif isinstance(rule, Followers):
            record_id = event.get(rule.id_field)
            source = (sources or {}).get(rule.service)
            if source is None:
                raise Parked(f"layanan {rule.service!r} tidak tersedia untuk aturan penerima")
            people = getattr(source, rule.method)(record_id) if record_id is not None else []
            wanted[audience.name] = [p["user_id"] for p in people]
            own[audience.name] = {p["user_id"]: p.get("values") or {} for p in people}
        else:
            raise Parked(f"aturan penerima tidak dikenal: {rule!r}")
    ids = sorted({i for user_ids in wanted.values() for i in user_ids})
    contacts = {c["user_id"]: c for c in accounts.contacts(ids)} if ids else {}
    for name, user_ids in wanted.items():
        found[name] = [
            contacts[i] | _with_values(own.get(name, {}).get(i) or extra.get(name, {}))
            for i in user_ids
            if i in contacts
        ]
    return found


def _with_values(values: dict) -> dict:
    return {"values": values} if values else {}


def event_values(subscription: Subscription, event: dict, public_url: str) -> dict[str, str]:
    """Placeholder values shared by every recipient: the payload, `waktu`, `alamat_situs`, extras."""
    values = {key: as_text(value) for key, value in event.items()}
    values["waktu"] = format_wib(event["occurred_at"])
    values["alamat_situs"] = public_url
    values.update({k: as_text(v) for k, v in subscription.values(event).items()})
    return {k: v for k, v in values.items() if v is not None}


def plan_rows(
    subscription: Subscription,
    event: dict,
    recipients: dict[str, list],
    templates: dict[tuple[str, str], dict],
    opted_out: set[tuple[int, str]],
    channels: dict[str, Channel],
    values: dict[str, str],
    now: datetime,
) -> list[dict]:
    """Rendered notification rows for every (recipient, channel); raises Parked. No I/O."""
    rows, seen = [], set()
    for audience in subscription.audiences:
        for channel_name in audience.channels:
            channel = channels.get(channel_name)
            if channel is None:
                raise Parked(f"kanal {channel_name!r} tidak dikenal")
            template = templates.get((audience.name, channel_name))
            if template is None:
                raise Parked(
                    f"templat untuk {subscription.event_type} / {audience.name} / {channel_name} belum ada"
                )
            for contact in recipients.get(audience.name, []):
                user_id = contact["user_id"]
                if (user_id, channel_name) in seen or (user_id, channel_name) in opted_out:
                    continue
                address = channel.address_of(contact)
                if not address:
                    continue
                seen.add((user_id, channel_name))
                try:
                    rendered = render(
                        template["subject"],
                        template["body_text"],
                        template["body_html"],
                        values
                        | {k: as_text(v) for k, v in (contact.get("values") or {}).items()}
                        | {"nama": contact.get("name") or "Bapak/Ibu"},
                        want_html=channel.wants_html,
                    )
                except MissingPlaceholders as exc:
                    raise Parked(
                        f"templat #{template['id']} ({subscription.event_type} / {audience.name} / "
                        f"{channel_name}) memakai placeholder yang tidak tersedia: {exc}"
                    ) from None
                rows.append(
                    {
                        "event_id": event["event_id"],
                        "event_type": subscription.event_type,
                        "user_id": user_id,
                        "channel": channel_name,
                        "template_id": template["id"],
                        "category": subscription.category,
                        "essential": subscription.essential,
                        "address": address,
                        "subject": rendered.subject,
                        "body_text": rendered.text,
                        "body_html": rendered.html,
                        "status": PENDING,
                        "attempts": 0,
                        "claim_token": None,
                        "claim_until": None,
                        "created_at": now,
                        "next_attempt_at": now,
                    }
                )
    return rows


@dataclass
class Plan:
    """What an event leads to, decided before anything is written."""

    status: str  # DONE, RETRYING or PARKED
    rows: list[dict] = field(default_factory=list)
    error: str | None = None
    retry_at: datetime | None = None


def prepare(
    session: Session,
    accounts,
    channels: dict[str, Channel],
    settings: ExpansionSettings,
    event_type: str,
    payload,
    attempt: int,
    now: datetime,
    sources: dict | None = None,
) -> Plan:
    """Resolve, check preferences, render. Writes nothing.

    The accounts RPC comes before any database access: under eventlet a SQLite write
    transaction must never stay open across a call that yields.
    """
    subscription = SUBSCRIPTIONS.get(event_type)
    if subscription is None:
        return Plan(DONE)
    try:
        event = read_event(event_type, payload)
        recipients = resolve_recipients(accounts, subscription, event, sources)
        user_ids = {c["user_id"] for contacts in recipients.values() for c in contacts}
        opted_out = (
            set()
            if subscription.essential
            else store.opted_out(session, user_ids, subscription.category)
        )
        rows = plan_rows(
            subscription,
            event,
            recipients,
            settings.templates.get(session, event_type),
            opted_out,
            channels,
            event_values(subscription, event, settings.public_url),
            now,
        )
    except (Unavailable, RemoteError) as exc:
        if attempt >= settings.retry.max_attempts:
            return Plan(PARKED, error=f"{exc} (setelah {attempt} percobaan)")
        retry_at = now + timedelta(seconds=settings.retry.delay(attempt))
        return Plan(RETRYING, error=str(exc), retry_at=retry_at)
    except ValidationError as exc:
        return Plan(PARKED, error=f"isi peristiwa tidak valid: {exc.messages}")
    except (Parked, ServiceError) as exc:
        return Plan(PARKED, error=str(exc))
    return Plan(DONE, rows)


def outcome(event_row: dict, plan: Plan, attempt: int, now: datetime) -> dict:
    """The event's own columns after this attempt (and the log line that says why)."""
    values = {"status": plan.status, "attempts": attempt, "claim_until": None}
    if plan.status == PARKED:
        log.error(
            "event parked: %s",
            plan.error,
            extra={"event_id": event_row["event_id"], "event_type": event_row["event_type"]},
        )
        return values | {"next_attempt_at": None, "last_error": (plan.error or "")[:2000]}
    if plan.status == RETRYING:
        log.warning(
            "recipients not resolved yet, event will be retried",
            extra={"event_id": event_row["event_id"], "retry_at": plan.retry_at.isoformat()},
        )
        return values | {"next_attempt_at": plan.retry_at, "last_error": plan.error}
    return values | {"done_at": now, "next_attempt_at": None, "last_error": None}


def write_rows(
    session: Session, channels: dict[str, Channel], plan: Plan, now: datetime, lease: timedelta
) -> tuple[list[dict], str]:
    """Write the plan's notifications in the caller's transaction. What a channel delivers in
    the database is delivered here; the other rows are born claimed by the caller (status
    sending, under a token, for `lease`), exactly as a claim right after the commit would
    leave them: returned with the token, for the caller to send once committed."""
    token = uuid.uuid4().hex
    for row in plan.rows:
        if not channels[row["channel"]].in_transaction:
            row.update(status=SENDING, attempts=1, claim_token=token, claim_until=now + lease)
    claimed, here = [], {}
    for row in store.insert_notifications(session, plan.rows):
        if channels[row["channel"]].in_transaction:
            here.setdefault(row["channel"], []).append(row)
        else:
            claimed.append(row)
    for name, rows in here.items():  # e.g. the inbox: delivered with the rows that say so
        store.mark_sent_now(session, channels[name].deliver_in(session, rows, now), now)
    return claimed, token


def expand(
    session: Session,
    accounts,
    channels: dict[str, Channel],
    settings: ExpansionSettings,
    event_row: dict,
    attempt: int,
    now: datetime,
    lease: timedelta,
    sources: dict | None = None,
) -> tuple[list[dict], str]:
    """Prepare and apply a stored event (the sweep's path); the claimed rows, and their token."""
    plan = prepare(
        session,
        accounts,
        channels,
        settings,
        event_row["event_type"],
        event_row["payload"],
        attempt,
        now,
        sources,
    )
    store.update_event(session, event_row["id"], **outcome(event_row, plan, attempt, now))
    return write_rows(session, channels, plan, now, lease)
