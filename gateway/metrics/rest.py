"""`GET /metrics`: the gateway's Prometheus metrics (gateway.metrics), and the request counting.

Who may read it: with `GATEWAY_METRICS_TOKEN` set, whoever sends `Authorization: Bearer
<token>` (Prometheus in Kubernetes: deploy/prometheus/prometheus-k8s.yml); without it, only a
client on the same machine talking to gunicorn directly (a loopback peer and no
X-Forwarded-For/Forwarded header, which a reverse proxy in front would add). Anyone else gets
the same 404 as an unknown path. The figures hold no personal data (route templates, never
paths), but request rates and service names are nobody's business outside operations.
"""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Response, abort, g, request

from gateway.access import DENY, access, declare
from gateway.metrics import exposition, observe_request
from servicekit.config import env_str

blueprint = Blueprint("metrics", __name__)

# No persona of a person is let in: only Prometheus (loopback, or the token), never a session.
METRICS_ACCESS = declare(
    "operations only: a loopback client or the GATEWAY_METRICS_TOKEN bearer; no person", DENY
)
LOOPBACK = frozenset({"127.0.0.1", "::1"})


@blueprint.after_app_request
def _count(response):
    started = getattr(g, "started", None)  # set first thing by gateway._install_request_id
    rule = request.url_rule
    observe_request(
        rule.rule if rule is not None else None,
        request.method,
        response.status_code,
        time.perf_counter() - started if started is not None else 0.0,
    )
    return response


def _allowed() -> bool:
    token = env_str("GATEWAY_METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    relayed = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return request.remote_addr in LOOPBACK and not relayed


@blueprint.get("/metrics")
@access(METRICS_ACCESS)
def metrics():
    """Prometheus text format: requests, latency, RPC calls and the RPC pool of every worker."""
    if not _allowed():
        abort(404)
    body, content_type = exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
