"""The leaders' dashboard over HTTP: `GET /api/v1/dashboard/summary` and its live stream
`/api/v1/dashboard/stream` (server-sent events) for the role leader and admins, and the public
figures `GET /api/v1/dashboard/public` (what /angka shows). The dashboard service checks the
caller again on every call."""

from __future__ import annotations

import json
import time

from flask import Blueprint, Response, current_app, stream_with_context

from gateway.access import DENY, PUBLIC, PUBLIC_ONLY, declare
from gateway.api import endpoint, rpc
from gateway.rpc import GatewayUnavailable
from servicekit.config import env_float
from servicekit.errors import ServiceError
from services.dashboard.contract import DashboardClient, SummaryQuerySchema, SummarySchema

blueprint = Blueprint("dashboard", __name__, url_prefix="/api/v1/dashboard")
dashboard = DashboardClient(rpc)
TAGS = ("Dasbor pimpinan",)
READERS = ("leader", "admin")
# Who gets what (gateway/access.py): the matrix's world has no leader; admins read the figures,
# which are counts and sums with nothing personal in them.
LEADERS = declare(
    "the regent's office (role leader) and admins: figures only, nothing personal",
    DENY,
    admin=PUBLIC_ONLY,
)

# A stream holds one of the gateway's threads (gunicorn: 2 workers x 8 threads), so each ends
# after STREAM_SECONDS with a `retry:` (EventSource reconnects by itself), says it is alive every
# HEARTBEAT seconds, and asks the dashboard service for its version every POLL seconds: one
# cheap RPC that reads one row, the summary only when the version moved. A push from the bus
# would need a consumer per gateway thread; polling a number keeps the gateway stateless.
STREAM_SECONDS = env_float("DASHBOARD_STREAM_SECONDS", 60.0, minimum=1.0)
POLL = env_float("DASHBOARD_STREAM_POLL", 1.0, minimum=0.1)
HEARTBEAT = 15.0
RETRY_MS = 2000


def summary_events(fetch, version=dashboard.version):
    """Server-sent events: the summary at once, then again each time the read model's version
    moves, comment heartbeats between, ending with `retry:` after STREAM_SECONDS."""
    settings = current_app.config.get("GAWE_DASHBOARD_STREAM", {})
    seconds, poll = settings.get("seconds", STREAM_SECONDS), settings.get("poll", POLL)

    def events():
        started = beat = time.monotonic()
        seen = None
        yield f"retry: {RETRY_MS}\n\n"
        while time.monotonic() - started < seconds:
            try:
                now_version = version()["version"]
                if now_version != seen:
                    body = json.dumps(fetch(), separators=(",", ":"))
                    seen = now_version
                    yield f"event: summary\nid: {now_version}\ndata: {body}\n\n"
                    beat = time.monotonic()
            except (GatewayUnavailable, ServiceError):
                yield "event: unavailable\ndata: {}\n\n"
            if time.monotonic() - beat >= HEARTBEAT:
                beat = time.monotonic()
                yield ": hidup\n\n"
            time.sleep(poll)  # the poll interval of this stream
        yield f"retry: {RETRY_MS}\n\n"

    response = Response(stream_with_context(events()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # a reverse proxy passes each event at once
    return response


@blueprint.get("/summary")
@endpoint(
    "Dasbor pimpinan: semua angka",
    tags=TAGS,
    query=SummaryQuerySchema,
    response=SummarySchema,
    auth=True,
    roles=READERS,
    errors=(403,),
    access=LEADERS,
)
def summary(query):
    """Complaints by status, category and kecamatan, the median working days to resolve and
    the share overdue by agency; Serang Open by stage and agency with requested, recommended,
    approved and disbursed amounts for the budget year; Kartu Kuning and letters; weekly trends
    over twelve weeks; when the figures were last fed and rebuilt (`freshness`)."""
    return dashboard.summary(query)


@blueprint.get("/stream")
@endpoint(
    "Dasbor pimpinan: pembaruan langsung (server-sent events)",
    tags=TAGS,
    query=SummaryQuerySchema,
    auth=True,
    roles=READERS,
    errors=(403,),
    access=LEADERS,
)
def stream(query):
    """`text/event-stream`: an event `summary` (the body of /summary) at once and whenever a
    figure changes; comments as heartbeats; ends after about a minute with `retry:`, and the
    browser's EventSource reconnects."""
    dashboard.summary(query)  # refused here, before the stream opens, if the caller may not
    return summary_events(lambda: dashboard.summary(query))


@blueprint.get("/public")
@endpoint(
    "Angka terbuka Kabupaten Serang",
    tags=TAGS,
    query=SummaryQuerySchema,
    response=SummarySchema,
    access=PUBLIC,
)
def public(query):
    """The dashboard's figures for anyone ("semua terbuka dan transparan"): counts and sums
    only, without the leaders' list of late reports."""
    return dashboard.public_summary(query)
