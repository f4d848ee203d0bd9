"""The events the complaints service publishes (servicekit.events' catalogue): public facts and
ids only. Importing this module registers them; every process that publishes or reads them
imports services.complaints.contract."""

from __future__ import annotations

from marshmallow import fields

from servicekit.events import EventSchema, event

REPORT_CREATED = "complaints.report_created"
STATUS_CHANGED = "complaints.status_changed"
REPORT_MERGED = "complaints.report_merged"
REPORT_SUPPORTED = "complaints.report_supported"
REPORT_MODERATED = "complaints.report_moderated"
FEEDBACK_REQUESTED = "complaints.feedback_requested"


class _ReportFacts(EventSchema):
    """What every complaints event says about the report: public facts and ids only."""

    report_id = fields.Integer(required=True)
    public_id = fields.String(required=True)
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    agency = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(load_default=None)  # in Bahasa Indonesia, for messages
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    kecamatan_code = fields.String(allow_none=True, load_default=None)
    kecamatan_name = fields.String(allow_none=True, load_default=None)
    desa_code = fields.String(allow_none=True, load_default=None)
    desa_name = fields.String(allow_none=True, load_default=None)
    supporters = fields.Integer(load_default=0)
    is_open = fields.Boolean(required=True)
    requested_at = fields.AwareDateTime(required=True, format="iso")
    # the current stage's deadline (open reports; None otherwise) and when the fix was reported
    # done: what the leaders' dashboard counts overdue reports and working days to resolve by
    due_at = fields.AwareDateTime(allow_none=True, load_default=None, format="iso")
    resolved_at = fields.AwareDateTime(allow_none=True, load_default=None, format="iso")
    reporter_user_id = fields.Integer(allow_none=True, load_default=None)
    has_contact = fields.Boolean(load_default=False)
    # False while a moderator has hidden the report: no public output shows it
    is_public = fields.Boolean(load_default=True)


@event(REPORT_CREATED)
class ReportCreated(_ReportFacts):
    pass


@event(STATUS_CHANGED)
class ReportStatusChanged(_ReportFacts):
    from_status = fields.String(required=True)
    action = fields.String(required=True)
    note = fields.String(allow_none=True, load_default=None)
    actor_agency = fields.String(allow_none=True, load_default=None)


@event(REPORT_MERGED)
class ReportMerged(_ReportFacts):
    into_report_id = fields.Integer(required=True)
    into_public_id = fields.String(required=True)


@event(REPORT_SUPPORTED)
class ReportSupported(_ReportFacts):
    pass


@event(REPORT_MODERATED)
class ReportModerated(_ReportFacts):
    """The report or one of its photos was hidden or shown again (the reason stays with staff)."""

    hidden = fields.Boolean(required=True)
    photo_id = fields.Integer(allow_none=True, load_default=None)


@event(FEEDBACK_REQUESTED)
class FeedbackRequested(_ReportFacts):
    """The report was resolved: its reporter is asked whether it is fixed (the links' tokens
    are asked of the complaints service by RPC, never carried here)."""


EVENTS = (
    ReportCreated,
    ReportStatusChanged,
    ReportMerged,
    ReportSupported,
    ReportModerated,
    FeedbackRequested,
)
