"""`make bench`'s arithmetic (issue #15): shares of the bare Flask app against the issue's
targets (bench/bare.py), and a request's time split into hops from two snapshots of the
Prometheus figures (bench/hops.py)."""

from __future__ import annotations

from bench import bare, hops


def row(name: str, rps: float, p99: float, method: str = "GET") -> dict:
    return {"Type": method, "Name": name, "Requests/s": str(rps), "99%": str(p99)}


def test_each_row_is_a_share_of_the_bare_app_judged_by_its_own_target():
    found = {
        r["name"]: r
        for r in bare.shares(
            [
                row("/healthz", 4100, 20),
                row("/api/v1/me", 900, 120),
                row("/api/v1/complaints", 480, 260, "POST"),
                row("/api/v1/registry/proposals", 100, 310),
                row("/gis/locate", 100, 310),
            ],
            bare_rps=5000,
        )
    }
    assert found["GET /healthz"]["share"] == 0.82 and found["GET /healthz"]["met"]
    me = found["GET /api/v1/me"]
    assert me["share"] == 0.18 and me["least"] == 0.25 and not me["met"]  # 25 % is asked
    filing = found["POST /api/v1/complaints"]
    assert filing["share"] == 0.096 and not filing["met"]  # under 12 %, and p99 over 250 ms
    registry = found["GET /api/v1/registry/proposals"]
    assert registry["least"] == 0.15 and not registry["met"]  # 2 % of 15 %, p99 over 300
    locate = found["GET /gis/locate"]
    assert locate["least"] is None and not locate["met"]  # no share asked; p99 over 300


def test_each_ogc_query_is_judged_against_the_peer_on_the_same_query():
    ours = {
        "ogc_bbox": [row("(setup) layer", 1, 1), row("/collections/desa/items?bbox", 900, 80)],
        "ogc_layer": [row("/collections/desa/items?limit=1000", 30, 290)],
        "ogc_item": [row("/collections/desa/items/{id}", 500, 90)],
    }
    theirs = {
        "ogc_bbox": [row("/collections/desa/items?bbox", 300, 200)],
        "ogc_layer": [row("/collections/desa/items?limit=1000", 20, 900)],
    }  # the peer's item row missing: no comparison is made up for it
    found = {r["name"]: r for r in bare.versus_peer(ours, theirs)}
    assert set(found) == {
        "GET /collections/desa/items?bbox",
        "GET /collections/desa/items?limit=1000",
    }
    bbox = found["GET /collections/desa/items?bbox"]
    assert bbox["ratio"] == 3.0 and bbox["met"] and bbox["peer_p99"] == 200
    assert found["GET /collections/desa/items?limit=1000"]["ratio"] == 1.5
    assert not found["GET /collections/desa/items?limit=1000"]["met"]


def snapshot(http_sum, http_count, rpc_sum, rpc_count, handled_sum, handled_count, db_sum):
    def key(name, **labels):
        return (name, tuple(sorted(labels.items())))

    return {
        key("gawe_http_request_duration_seconds_sum", route="/api/v1/me", method="GET"): http_sum,
        key("gawe_http_request_duration_seconds_count", route="/api/v1/me", method="GET"): (
            http_count
        ),
        key("gawe_http_request_duration_seconds_count", route="/metrics", method="GET"): 7,
        key("gawe_gateway_rpc_duration_seconds_sum", service="accounts", method="get_user"): (
            rpc_sum
        ),
        key("gawe_gateway_rpc_duration_seconds_count", service="accounts", method="get_user"): (
            rpc_count
        ),
        key("gawe_rpc_handled_duration_seconds_sum", service="accounts", method="get_user"): (
            handled_sum
        ),
        key("gawe_rpc_handled_duration_seconds_count", service="accounts", method="get_user"): (
            handled_count
        ),
        key("gawe_db_duration_seconds_sum", service="accounts", kind="statement"): db_sum,
    }


def test_a_requests_time_is_split_into_its_hops_between_two_snapshots():
    before = snapshot(1.0, 10, 0.8, 10, 0.2, 10, 0.05)
    after = snapshot(5.0, 110, 4.3, 110, 1.2, 110, 0.15)  # 100 requests in between
    found = hops.hops(before, after)
    assert found["requests"] == 100  # /metrics scrapes are not requests of the scenario
    assert round(found["gateway"], 3) == 40.0  # ms per request
    assert round(found["rpc"], 3) == 35.0 and found["rpc_calls"] == 1.0
    accounts = found["services"]["accounts"]
    assert round(accounts["handling"], 3) == 10.0 and accounts["calls"] == 1.0
    assert round(accounts["db statement"], 3) == 1.0
    assert hops.hops(after, after) == {"requests": 0}


def test_cpu_per_request_splits_the_machine_between_the_platform_and_the_rest():
    before = {"gateway": 10.0, "accounts": 5.0, "rabbitmq": 2.0, "(machine)": 100.0}
    after = {"gateway": 12.0, "accounts": 6.0, "rabbitmq": 2.5, "(machine)": 106.5}
    found = hops.cpu_per_request(before, after, requests=1000)
    assert found == {"gateway": 2.0, "accounts": 1.0, "rabbitmq": 0.5, "other": 3.0}
    assert hops.cpu_per_request(before, after, requests=0) == {}


def test_cpu_snapshot_reads_this_process_tree():
    import os

    found = hops.cpu_snapshot(os.getpid())
    assert found["supervisord"] > 0 and found["(machine)"] >= found["supervisord"]
