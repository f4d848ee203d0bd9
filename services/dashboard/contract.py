"""What other processes may know of the leaders' dashboard: its RPC schemas and typed client.

It publishes no event: it is a read model of the other apps' events (services.dashboard.readmodel).
Depends on the standard library, marshmallow and servicekit only (import-linter checks it).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from servicekit.client import Client


class SummaryQuerySchema(Schema):
    budget_year = fields.Integer(
        load_default=None,
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "tahun anggaran Serang Open (bawaan: tahun terbaru yang ada)"},
    )


class _Count(Schema):
    code = fields.String()
    label = fields.String()
    count = fields.Integer()
    open = fields.Integer()


class _AgencyOverdue(Schema):
    agency = fields.String()
    open = fields.Integer()
    overdue = fields.Integer()
    share = fields.Float(
        metadata={"description": "bagian laporan terbuka yang lewat tenggat, 0..1"}
    )


class _OverdueReport(Schema):
    public_id = fields.String()
    category = fields.String()
    agency = fields.String()
    kecamatan = fields.String(allow_none=True)
    days_late = fields.Integer()


class ComplaintsFiguresSchema(Schema):
    total = fields.Integer()
    open = fields.Integer()
    overdue = fields.Integer()
    overdue_share = fields.Float()
    resolved = fields.Integer()
    median_working_days_to_resolve = fields.Float(allow_none=True)
    by_status = fields.List(fields.Nested(_Count))
    by_category = fields.List(fields.Nested(_Count))
    by_kecamatan = fields.List(fields.Nested(_Count))
    overdue_by_agency = fields.List(fields.Nested(_AgencyOverdue))


class _Amounts(Schema):
    code = fields.String()
    label = fields.String()
    agency = fields.String()
    count = fields.Integer()
    requested_amount = fields.Integer()
    recommended_amount = fields.Integer()
    approved_amount = fields.Integer()
    disbursed_amount = fields.Integer()


class ProposalsFiguresSchema(Schema):
    budget_year = fields.Integer()
    budget_years = fields.List(fields.Integer())
    totals = fields.Nested(_Amounts)
    by_stage = fields.List(fields.Nested(_Amounts))
    by_agency = fields.List(fields.Nested(_Amounts))


class JobcardsFiguresSchema(Schema):
    total = fields.Integer()
    issued = fields.Integer()
    by_status = fields.List(fields.Nested(_Count))


class _LetterAgency(Schema):
    agency = fields.String()
    registered = fields.Integer()
    completed = fields.Integer()
    open = fields.Integer()


class LettersFiguresSchema(Schema):
    registered = fields.Integer()
    completed = fields.Integer()
    open = fields.Integer()
    dispositions_open = fields.Integer()
    by_agency = fields.List(fields.Nested(_LetterAgency))


class _Week(Schema):
    week_start = fields.String(metadata={"description": "Senin awal minggu (WIB), YYYY-MM-DD"})
    count = fields.Integer()


class _Trend(Schema):
    key = fields.String()
    label = fields.String()
    weeks = fields.List(fields.Nested(_Week))


class FreshnessSchema(Schema):
    version = fields.Integer(metadata={"description": "berubah setiap ada peristiwa yang dihitung"})
    last_event_at = fields.AwareDateTime(allow_none=True, format="iso")
    last_applied_at = fields.AwareDateTime(allow_none=True, format="iso")
    last_rebuild_at = fields.AwareDateTime(allow_none=True, format="iso")


class SummarySchema(Schema):
    """The figures of every app that publishes events; counts and sums only."""

    generated_at = fields.AwareDateTime(format="iso")
    public = fields.Boolean()
    freshness = fields.Nested(FreshnessSchema)
    complaints = fields.Nested(ComplaintsFiguresSchema)
    proposals = fields.Nested(ProposalsFiguresSchema)
    jobcards = fields.Nested(JobcardsFiguresSchema)
    letters = fields.Nested(LettersFiguresSchema)
    trends = fields.List(fields.Nested(_Trend))
    overdue_reports = fields.List(
        fields.Nested(_OverdueReport),
        metadata={
            "description": "laporan terbuka yang paling lama lewat tenggat (tidak di /angka)"
        },
    )


class VersionSchema(Schema):
    version = fields.Integer()


class DashboardClient(Client):
    service = "dashboard"

    def summary(self, query: dict | None = None) -> dict:
        """The leaders' figures (role leader, admins): SummarySchema."""
        return self._call("summary", query or {})

    def public_summary(self, query: dict | None = None) -> dict:
        """The same figures for anyone, without the list of late reports."""
        return self._call("public_summary", query or {})

    def version(self) -> dict:
        """The read model's version: cheap, for live pages to know when to ask again."""
        return self._call("version")
