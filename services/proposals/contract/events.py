"""The events the proposals service publishes (registered in servicekit.events' catalogue on
import): public facts and ids only, never an applicant's personal data."""

from __future__ import annotations

from marshmallow import fields

from servicekit.events import EventSchema, event


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
