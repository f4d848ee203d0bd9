"""gateway.workspace.common.section: one part of a page from a typed client's bound method (or,
the older form, a service and method name), or why it cannot be shown now."""

from __future__ import annotations

from gateway.rpc import GatewayUnavailable
from gateway.workspace import common
from services.complaints.contract import ComplaintsClient

UNAVAILABLE = {"data": None, "error": "Sedang tidak tersedia; coba muat ulang sebentar lagi."}


def test_a_bound_client_method_is_called_with_the_arguments():
    calls = []
    client = ComplaintsClient(lambda *call: calls.append(call) or {"items": []})

    assert common.section(client.my_reports, {"page": 1}) == {"data": {"items": []}, "error": None}
    assert calls == [("complaints", "my_reports", {"page": 1})]


def test_the_service_and_method_names_still_work(monkeypatch):
    calls = []
    monkeypatch.setattr(common, "rpc", lambda *call: calls.append(call) or ["ok"])

    assert common.section("accounts", "get_user", 7) == {"data": ["ok"], "error": None}
    assert calls == [("accounts", "get_user", 7)]


def test_an_unavailable_service_leaves_the_rest_of_the_page():
    def down(*_):
        raise GatewayUnavailable("complaints", 503, "down")

    assert common.section(ComplaintsClient(down).queue, {}) == UNAVAILABLE
