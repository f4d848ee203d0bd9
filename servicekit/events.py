"""The event catalogue: every fact a service publishes, defined once.

An event type is `<source service>.<noun>_<past verb>`; on the bus it is published
to nameko's `<source>.events` exchange with the routing key `<noun>_<past verb>`.
Every payload carries `event_id`, `occurred_at` and `schema_version`, plus the id
of the aggregate it speaks of. Payloads carry ids, never personal data: whoever
needs an email address asks the accounts service.

A consumer loads with `read_event`, which ignores fields it does not know, so a
producer may add fields without breaking older consumers (bump schema_version
only for incompatible changes).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields

CATALOGUE: dict[str, type[Schema]] = {}


class EventSchema(Schema):
    SCHEMA_VERSION = 1

    event_id = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    schema_version = fields.Integer(required=True)


def event(event_type: str, version: int = 1):
    """Register a schema in the catalogue under `source.name`."""
    source, _, name = event_type.partition(".")
    if not source or not name:
        raise ValueError(f"event type must be '<service>.<name>', got {event_type!r}")

    def register(schema_cls: type[EventSchema]) -> type[EventSchema]:
        if event_type in CATALOGUE:
            raise ValueError(f"event {event_type} is already in the catalogue")
        schema_cls.SCHEMA_VERSION = version
        schema_cls.EVENT_TYPE = event_type
        CATALOGUE[event_type] = schema_cls
        return schema_cls

    return register


def schema_for(event_type: str) -> type[EventSchema]:
    try:
        return CATALOGUE[event_type]
    except KeyError:
        raise KeyError(f"event {event_type} is not in the catalogue") from None


def make_event(event_type: str, **payload) -> dict:
    """A complete, validated event payload of JSON primitives."""
    schema_cls = schema_for(event_type)
    envelope = {
        "event_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC),
        "schema_version": schema_cls.SCHEMA_VERSION,
        **payload,
    }
    schema = schema_cls()
    dumped = schema.dump(envelope)
    errors = schema.validate(dumped)
    if errors:
        raise ValidationError(errors)
    return dumped


def read_event(event_type: str, payload: dict) -> dict:
    """Validate a received payload; unknown (newer) fields are ignored."""
    return schema_for(event_type)(unknown=EXCLUDE).load(payload)


# --- accounts -------------------------------------------------------------------------


@event("accounts.user_registered")
class UserRegistered(EventSchema):
    user_id = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    agency = fields.String(allow_none=True, load_default=None)


@event("accounts.staff_created")
class StaffCreated(EventSchema):
    user_id = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    agency = fields.String(required=True)
    created_by = fields.Integer(required=True)


# --- notifications --------------------------------------------------------------------


@event("notifications.test_requested")
class NotificationTestRequested(EventSchema):
    """An admin asked for a test message: to a user, and to an agency's staff when given."""

    user_id = fields.Integer(required=True)
    agency = fields.String(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)
    requested_by = fields.Integer(allow_none=True, load_default=None)


# --- proposals ------------------------------------------------------------------------


class _ProposalFacts(EventSchema):
    """What every proposals event says: public facts (an individual recipient by initials, the
    point rounded), the applicant's user id, the OPD, and whose queue the proposal is in now."""

    proposal_id = fields.Integer(required=True)
    public_id = fields.String(required=True)
    kind = fields.String(required=True)  # hibah | bansos
    kind_label = fields.String(required=True)
    bansos_type = fields.String(allow_none=True, load_default=None)
    budget_year = fields.Integer(required=True)
    title = fields.String(required=True)
    recipient_name = fields.String(required=True)
    recipient_type = fields.String(required=True)  # organisation | individual
    category = fields.String(required=True)
    agency = fields.String(required=True)
    stage = fields.String(required=True)
    stage_label = fields.String(required=True)
    requested_amount = fields.Integer(required=True)
    recommended_amount = fields.Integer(allow_none=True, load_default=None)
    approved_amount = fields.Integer(allow_none=True, load_default=None)
    disbursed_amount = fields.Integer(allow_none=True, load_default=None)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    kecamatan_code = fields.String(allow_none=True, load_default=None)
    kecamatan_name = fields.String(allow_none=True, load_default=None)
    desa_code = fields.String(allow_none=True, load_default=None)
    desa_name = fields.String(allow_none=True, load_default=None)
    submitted_at = fields.AwareDateTime(allow_none=True, load_default=None, format="iso")
    lpj_due = fields.String(allow_none=True, load_default=None)  # YYYY-MM-DD
    applicant_user_id = fields.Integer(allow_none=True, load_default=None)
    next_actor_role = fields.String(allow_none=True, load_default=None)
    next_actor_agency = fields.String(allow_none=True, load_default=None)
    next_actor_label = fields.String(allow_none=True, load_default=None)
    # the agency whose staff of that role should act now (None: nobody of that role)
    queue_agency_verifier = fields.String(allow_none=True, load_default=None)
    queue_agency_officer = fields.String(allow_none=True, load_default=None)
    queue_agency_budget_team = fields.String(allow_none=True, load_default=None)


@event("proposals.submitted")
class ProposalSubmitted(_ProposalFacts):
    """A proposal was submitted (or resubmitted after being returned, or opened by staff)."""

    action = fields.String(required=True)  # submit | resubmit | open_emergency


@event("proposals.stage_changed")
class ProposalStageChanged(_ProposalFacts):
    from_stage = fields.String(required=True)
    action = fields.String(required=True)
    action_label = fields.String(required=True)
    note = fields.String(allow_none=True, load_default=None)
    amount = fields.Integer(allow_none=True, load_default=None)
    actor_agency = fields.String(allow_none=True, load_default=None)


@event("proposals.lpj_reminder_due")
class ProposalLpjReminderDue(_ProposalFacts):
    days_left = fields.Integer(required=True)
