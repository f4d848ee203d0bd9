"""Every route of the gateway and every `@rpc` of every installed app is reached by a test
(issue #18): the check runs last, when the whole suite ran, and names whatever no test reached.

What "reached" means, and how the run is observed: tests/support/reach.py. The other tests here
prove that observer: what it counts, what it does not, and what there is to reach.
"""

from __future__ import annotations

import json

import pytest
from flask import Response
from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ServiceRpcProxy

from gateway import create_app
from gateway.settings import GatewaySettings
from servicekit.apps import installed_apps
from servicekit.entrypoints import rpc
from servicekit.errors import NotFound
from tests.support import reach


@pytest.mark.whole_suite
def test_every_route_and_every_rpc_is_reached_by_a_test():
    missing = reach.unreached(reach.reached_names(reach.SESSION))
    assert not missing, (
        f"{len(missing)} route(s)/RPC(s) no test reached (answered without an error):\n  "
        + "\n  ".join(missing)
    )


# --- the observer ------------------------------------------------------------------------


def test_the_routes_to_reach_are_the_gateway_url_map_without_static_head_and_options():
    app = create_app(GatewaySettings.from_env(secret_key="reachability-test-" * 3))
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    table = reach.route_table()
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, rule.rule) in table
    assert {rule for _, rule in table} == {rule.rule for rule in rules}
    assert not {method for method, _ in table} & {"HEAD", "OPTIONS"}
    assert ("PUT", "/api/v1/admin/complaints/categories/<code>") in table
    assert ("GET", "/healthz") in table


def test_the_rpcs_to_reach_are_every_installed_apps_rpc_methods_and_nothing_else():
    from servicekit.reliable_events import handler_event_types

    table = reach.rpc_table()
    assert list(table) == [spec.name for spec in installed_apps()]
    for spec in installed_apps():
        service_class, methods = table[spec.name]
        assert service_class is spec.service_class
        assert "health" in methods  # every service answers /readyz
        assert not set(handler_event_types(service_class)) & set(methods)  # event handlers
    assert "upsert_points" in table["gis"][1]  # an internal one (@rpc(callers=...))
    assert "save_category" in table["complaints"][1]
    names = reach.everything()
    assert "gis.upsert_points" in names
    assert "PUT /api/v1/admin/complaints/categories/<code>" in names
    assert len(names) == len(reach.route_table()) + sum(len(m) for _, m in table.values())


def redirect(location: str) -> Response:
    return Response(status=303, headers={"Location": location})


def test_an_answer_counts_and_a_refusal_does_not():
    assert reach.answered(Response(status=200))
    assert reach.answered(Response(status=204))
    assert reach.answered(redirect("/masuk?terdaftar=1"))  # signed up: go and sign in
    assert reach.answered(redirect("/saya"))
    assert not reach.answered(redirect("/masuk?next=%2Fsaya"))  # sign in first
    for status in (400, 401, 403, 404, 409, 422, 429, 500, 503):
        assert not reach.answered(Response(status=status))


def test_requests_the_gateway_answers_are_recorded_and_refused_ones_are_not(request):
    app = create_app(GatewaySettings.from_env(secret_key="reachability-test-" * 3))
    client = app.test_client()
    session_before = dict(reach.SESSION.routes)
    with reach.apart() as seen:
        openapi = client.get("/api/v1/openapi.json")
        me = client.get("/api/v1/me")  # not signed in
        page = client.get("/saya")  # not signed in: to the login page
        unknown = client.get("/tidak-ada")
    assert (openapi.status_code, me.status_code, unknown.status_code) == (200, 401, 404)
    assert page.status_code == 303 and page.headers["Location"].startswith("/masuk?next=")
    this = "tests/platform/test_reachability.py"
    assert seen.routes == {("GET", "/api/v1/openapi.json"): {this: f"{this}::{request.node.name}"}}
    assert reach.SESSION.routes == session_before  # its own requests prove nothing


class StandIn:
    """A service that is none of the installed apps', with one of their RPC names."""

    name = "reach_stand_in"

    @rpc
    def health(self):
        return {"service": self.name}

    @rpc
    def broken(self):
        raise NotFound("Tidak ada.")


def test_rpcs_that_return_are_recorded_and_those_that_raise_are_not(module_vhost):
    container = ServiceContainer(StandIn, module_vhost)
    container.start()
    try:
        with (
            reach.apart() as seen,
            ServiceRpcProxy(StandIn.name, module_vhost, timeout=10) as proxy,
        ):
            assert proxy.health() == {"service": StandIn.name}
            with pytest.raises(NotFound):
                proxy.broken()
    finally:
        container.stop()
    assert set(seen.rpcs) == {(StandIn, "health")}
    assert reach.reached_names(seen) == {}  # a stand-in's health is not any app's


def test_an_rpc_counts_for_an_app_only_when_its_own_method_ran():
    app, (service_class, methods) = next(iter(reach.rpc_table().items()))
    method = methods[0]

    class Unchanged(service_class):
        pass

    class Replaced(service_class):
        pass

    setattr(Replaced, method, lambda self: None)

    def names(cls, name=method):
        return reach.reached_names(reach.Reach(rpcs={(cls, name): {"tests/x.py": "x"}}))

    assert names(service_class) == {f"{app}.{method}": {"tests/x.py": "x"}}
    assert names(Unchanged) == {f"{app}.{method}": {"tests/x.py": "x"}}
    assert names(Replaced) == {}
    assert names(StandIn, "health") == {}


def test_what_only_some_tests_reached_is_told_apart(tmp_path, capsys):
    route, other = reach.everything()[:2]
    first = tmp_path / "security.json"
    second = tmp_path / "http.json"
    matrix = "tests/security/test_authz_matrix.py"
    first.write_text(json.dumps({"reached": {route: {matrix: f"{matrix}::a"}}}))
    second.write_text(json.dumps({"reached": {other: {"tests/gis/http/t.py": "t::b"}}}))

    status = reach.main([str(first), str(second), "--only-by", "tests/security/"])

    out = capsys.readouterr().out
    total = len(reach.everything())
    assert status == 1  # everything else is unreached
    assert out.startswith(f"2 of {total} routes and RPCs reached; unreached: {total - 2}\n")
    assert f"  {route}\n" not in out.split("reached only by")[0]
    assert out.split("reached only by")[1] == (
        f" tests under tests/security/: 1\n  {route}: {matrix}::a\n"
    )
    assert reach.only_by({route: {matrix: "a", "tests/gis/t.py": "b"}}, "tests/security/") == []


def test_a_run_is_whole_when_it_collected_every_test_file_and_deselected_nothing(tmp_path):
    files = [tmp_path / "test_a.py", tmp_path / "app" / "unit" / "test_b.py"]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    (tmp_path / "app" / "helpers.py").write_text("")  # not a test file
    whole = [str(tmp_path)]
    assert reach.whole_suite(whole, files, deselected=0, tests=tmp_path)
    assert reach.whole_suite([], files + [tmp_path / "elsewhere.py"], 0, tests=tmp_path)
    assert reach.partial(whole, files, 0, tests=tmp_path) is None
    # `pytest tests/unit`
    assert reach.partial(whole, files[:1], 0, tests=tmp_path) == (
        f"1 of the 2 test files under {tmp_path.name}/ not in this run"
    )
    assert not reach.whole_suite(whole, files[:1], 0, tests=tmp_path)
    # -k, -m, --deselect
    assert reach.partial(whole, files, 3, tests=tmp_path) == (
        "3 test(s) deselected (-k, -m or --deselect)"
    )
    by_id = [str(tmp_path), f"{files[0]}::test_one"]  # every file, one of them partly
    assert reach.partial(by_id, files, 0, tests=tmp_path) == f"tests picked by id: {by_id[1]}"


def test_the_check_is_deselected_from_a_partial_run_and_runs_last_in_a_whole_one(request):
    """This run (this file, or a directory, or the whole suite) decided one of the two."""
    check = "test_every_route_and_every_rpc_is_reached_by_a_test"
    names = [item.name for item in request.session.items]
    if reach.whole_run():
        assert names[-1] == check
    else:
        assert check not in names
