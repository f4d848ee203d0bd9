"""The event catalogue: every fact a service publishes, defined once, in its app's contract.

An app declares its events in `services/<app>/contract` with `@event("<app>.<name>")`; this
module is only the mechanism. Whoever publishes or reads an event imports the contract of the
app it comes from, which puts its schemas in the catalogue.

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
