"""Prometheus metrics: the gateway's /metrics and a service process's METRICS_PORT listener.

The platform runs in the test process, so every service of it shares one listener (one per
process, servicekit.metrics) and one registry with the gateway; counters are compared before
and after what each test does. The figures must never carry personal data: a report filed with
a planted email, phone and NIK (in its text and its path) must leave no trace in either answer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from servicekit.database import make_engine
from tests.complaints.conftest import road_report
from tests.e2e.live import free_port
from tests.notifications.conftest import FAST
from tests.support.factories import auth, login, register_citizen
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
PORT = free_port()
SERVICES = ["accounts", "gis", "complaints", "notifications"]
EMAIL = "rahasia.metrik@example.id"
PHONE = "081299887766"
NIK = "3604011203850007"


@pytest.fixture(scope="module")
def platform_options(smtp):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, **FAST, "METRICS_PORT": PORT}
    return {"services": SERVICES, "service_config": config}


def families(body: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(body)}


def value(body: str, sample_name: str, **labels) -> float:
    """The sum of the samples of `sample_name` whose labels include `labels` (0 when none)."""
    total = 0.0
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == sample_name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


def gateway_metrics(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.data[:300]
    assert response.content_type.startswith("text/plain; version=")
    return response.get_data(as_text=True)


def service_metrics() -> str:
    response = requests.get(f"http://127.0.0.1:{PORT}/metrics", timeout=10)
    assert response.status_code == 200
    return response.text


def test_requests_are_counted_by_route_template_and_status(client):
    before = gateway_metrics(client)
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/complaints/SRG-2026-999999").status_code == 404  # a rule's template
    # no rule: <unmatched> (an email is no report number: gateway/converters.py)
    assert client.get(f"/api/v1/complaints/{EMAIL}").status_code == 404
    assert client.get(f"/tidak-ada/{PHONE}").status_code == 404
    after = gateway_metrics(client)

    def delta(**labels):
        name = "gawe_http_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(route="/healthz", method="GET", status="200") == 1
    template = "/api/v1/complaints/<complaint_id:public_id>"
    assert delta(route=template, method="GET", status="404") == 1
    assert delta(route="<unmatched>", method="GET", status="404") == 2
    count = "gawe_http_request_duration_seconds_count"
    assert value(after, count, route="/healthz") - value(before, count, route="/healthz") == 1
    assert EMAIL not in after and PHONE not in after


def test_rpc_calls_are_counted_by_service_method_and_outcome(client):
    before = gateway_metrics(client)
    assert client.get("/readyz").status_code == 200  # `health` of every service
    assert client.get("/api/v1/complaints/SRG-2026-999999").status_code == 404  # NotFound
    after = gateway_metrics(client)
    calls = "gawe_gateway_rpc_calls_total"
    ok = {"service": "accounts", "method": "health", "outcome": "ok"}
    assert value(after, calls, **ok) - value(before, calls, **ok) == 1
    assert value(after, calls, service="complaints", outcome="NotFound") > value(
        before, calls, service="complaints", outcome="NotFound"
    )
    seconds = "gawe_gateway_rpc_duration_seconds_count"
    assert value(after, seconds, service="gis", method="health") > value(
        before, seconds, service="gis", method="health"
    )
    assert value(after, "gawe_gateway_rpc_pool_size") >= 1
    assert value(after, "gawe_gateway_rpc_pool_in_use") == 0  # nothing in flight now


def test_metrics_are_refused_to_a_remote_or_relayed_client_without_the_token(client, monkeypatch):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 404
    monkeypatch.setenv("GATEWAY_METRICS_TOKEN", "token-of-the-scraper")
    assert client.get("/metrics").status_code == 404  # a token set: loopback is not enough
    bearer = {"Authorization": "Bearer token-of-the-scraper"}
    answer = client.get("/metrics", headers=bearer, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert answer.status_code == 200
    assert b"gawe_http_requests_total" in answer.data


def test_a_service_port_shows_rpcs_events_and_the_outbox_after_a_report(client, platform):
    before = service_metrics()
    report = road_report(
        description=f"Jalan rusak berat, hubungi {PHONE} / {EMAIL}, NIK {NIK}, mohon segera.",
        contact_email=EMAIL,
        contact_phone=PHONE,
        contact_name="Ujang Metrik",
    )
    filed = client.post("/api/v1/complaints", json=report)
    assert filed.status_code == 201, filed.get_json()
    created = {"service": "complaints", "event_type": "complaints.report_created"}

    def published():
        body = service_metrics()
        grew = value(body, "gawe_events_published_total", **created) > value(
            before, "gawe_events_published_total", **created
        )
        return body if grew else None

    after = wait_until(published, timeout=20)
    handled = "gawe_rpc_handled_total"
    assert value(after, handled, service="complaints", outcome="ok") > value(
        before, handled, service="complaints", outcome="ok"
    )
    assert value(after, "gawe_rpc_handled_duration_seconds_count", service="complaints") > 0
    # the time in its own database, statements and commits (make bench's hops come from it)
    for kind in ("statement", "commit"):
        db = "gawe_db_duration_seconds_count"
        assert value(after, db, service="complaints", kind=kind) > value(
            before, db, service="complaints", kind=kind
        ), kind
    backlog = families(after)["gawe_outbox_backlog"]
    assert {s.labels["service"] for s in backlog.samples} == set(SERVICES)
    assert "gawe_outbox_oldest_unpublished_seconds" in families(after)

    # the notifications service consumed the report's event (its reliable handler)
    def consumed():
        body = service_metrics()
        name, labels = "gawe_events_consumed_total", {"service": "notifications"}
        return value(body, name, outcome="handled", **labels) > value(
            before, name, outcome="handled", **labels
        )

    wait_until(consumed, timeout=20)
    for body in (service_metrics(), gateway_metrics(client)):
        for secret in (EMAIL, PHONE, NIK, "Ujang", PHONE[1:], NIK[:12]):
            assert secret not in body, secret


def test_notifications_are_shown_by_status_as_in_their_database(client, platform):
    citizen = register_citizen(client)
    token = login(client, citizen["email"])
    filed = client.post("/api/v1/complaints", json=road_report(), headers=auth(token))
    assert filed.status_code == 201

    engine = make_engine(platform.config["NOTIFICATIONS_DATABASE_URL"])

    def in_database() -> Counter:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT status, channel, count(*) FROM notifications GROUP BY 1, 2")
            )
            return Counter({(status, channel): n for status, channel, n in rows})

    def shown() -> Counter:
        family = families(service_metrics())["gawe_notifications"]
        return Counter(
            {
                (s.labels["status"], s.labels["channel"]): int(s.value)
                for s in family.samples
                if s.labels["service"] == "notifications"
            }
        )

    try:
        # settled: the figures and the rows agree, and something was sent
        wait_until(
            lambda: (db := in_database()) == shown() and any(k[0] == "sent" for k in db),
            timeout=30,
        )
    finally:
        engine.dispose()


# --- the dashboard and the alerts name only what is exported ----------------------------------

NAME = re.compile(r"\b(gawe_[a-z_]+)")


def exported_names(*bodies: str) -> set[str]:
    """Every sample name the answers declare (a counter's _total, a histogram's _bucket...)."""
    names = set()
    for body in bodies:
        for family in text_string_to_metric_families(body):
            suffixes = {
                "counter": ("_total",),
                "histogram": ("_bucket", "_count", "_sum"),
            }.get(family.type, ("",))
            names |= {family.name + suffix for suffix in suffixes}
    return names


def test_the_dashboard_and_alerts_use_only_exported_names(client):
    exported = exported_names(gateway_metrics(client), service_metrics())
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "gawe.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert len(exprs) >= 14
    used = {name for expr in exprs for name in NAME.findall(expr)}
    assert used and used <= exported, sorted(used - exported)
    assert all(NAME.search(expr) for expr in exprs)  # no panel reads something else
    alerts = (ROOT / "deploy" / "prometheus" / "alerts.yml").read_text()
    in_alerts = set(NAME.findall(alerts))
    assert in_alerts and in_alerts <= exported, sorted(in_alerts - exported)
