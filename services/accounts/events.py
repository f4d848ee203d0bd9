"""Events of the accounts service that the catalogue in servicekit/events.py does not list yet:
a sign-up that used a taken address or NIK (its answer never says so; an email does).

Imported by the accounts service (which records them) and by notifications' accounts app
(which reads them). Payloads carry ids only: whom to write to is asked of accounts.
"""

from __future__ import annotations

from marshmallow import fields

from servicekit.events import CATALOGUE, EventSchema, event

TAKEN_EMAIL = "accounts.taken_email_registered"
TAKEN_NIK = "accounts.taken_nik_registered"

if TAKEN_EMAIL not in CATALOGUE:  # once, should the catalogue come to list them itself

    @event(TAKEN_EMAIL)
    class TakenEmailRegistered(EventSchema):
        """Someone signed up with the address of an existing account: its owner is told."""

        user_id = fields.Integer(required=True)  # the owner of the address

    @event(TAKEN_NIK)
    class TakenNikRegistered(EventSchema):
        """Someone signed up with a NIK another account holds: the address given is told
        (asked of accounts.registration_notice_contact with `notice_id`)."""

        notice_id = fields.Integer(required=True)
