"""The leaders' dashboard in the browser: /dasbor (role leader and admins) with its live
stream /dasbor/stream (the session cookie: EventSource sends no Authorization header), and the
public figures at /angka. The page script (gateway/static/js/dasbor.js) updates the figures in
place from the stream and draws the map of open reports and proposals from the gis OGC API."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from gateway.access import PUBLIC, access
from gateway.dashboard.charts import bars
from gateway.dashboard.rest import LEADERS, READERS, dashboard, summary_events
from gateway.problems import Problem
from gateway.web.rest import map_settings
from gateway.workspace.common import serve_as_pages, signed_in_only
from servicekit.payloads import load
from services.dashboard.contract import SummaryQuerySchema

blueprint = Blueprint("dashboard_pages", __name__, template_folder="templates")
serve_as_pages(blueprint)


def _query() -> dict:
    return load(SummaryQuerySchema(), {k: v for k, v in request.args.items() if k == "budget_year"})


def _leaders_only() -> None:
    if not g.actor.has_role(*READERS):
        raise Problem(
            403, "Dasbor hanya untuk pimpinan daerah dan admin.", {"roles": list(READERS)}
        )


def _page(template: str, figures: dict, **extra):
    charts = [bars(trend) for trend in figures["trends"]]
    return render_template(template, f=figures, charts=charts, **map_settings(), **extra)


@blueprint.get("/dasbor")
@access(LEADERS, page=True)
@signed_in_only
def leaders():
    """Satu klik untuk semua: every app's figures, live."""
    _leaders_only()
    query = _query()
    return _page("dashboard/dasbor.html", dashboard.summary(query), query=query)


@blueprint.get("/dasbor/stream")
@access(LEADERS, page=True)
@signed_in_only
def leaders_stream():
    """The page's server-sent events (as /api/v1/dashboard/stream, by the session cookie)."""
    _leaders_only()
    query = _query()
    dashboard.summary(query)
    return summary_events(lambda: dashboard.summary(query))


@blueprint.get("/angka")
@access(PUBLIC, page=True)
def public():
    """Semua terbuka dan transparan: the same figures for anyone, nothing personal."""
    query = _query()
    return _page("dashboard/angka.html", dashboard.public_summary(query), query=query)
