"""Where a request's time goes, hop by hop (issue #15), from the figures the platform records
anyway for Prometheus: `make bench` reads the gateway's /metrics and every service's
METRICS_PORT before and after each scenario and divides what the histograms gained by the
requests the gateway answered in between.

Per request, in milliseconds:
- gateway: the whole answer (gawe_http_request_duration_seconds, /metrics aside);
- in RPCs: the gateway's calls, publish to reply, pool wait included
  (gawe_gateway_rpc_duration_seconds); the gateway's own share is the difference;
- per service: its handling of the calls it answered, arrival to reply
  (gawe_rpc_handled_duration_seconds; a service another one calls, e.g. gis for complaints,
  counts inside its caller's handling too), and in its database: statements run and commits
  (gawe_db_duration_seconds). The bus and serialisation are what the gateway's RPC time has
  beyond the called service's handling.

And where the machine's CPU went (`cpu_snapshot`): the CPU time each platform process (gunicorn
master and workers together), RabbitMQ and PostgreSQL used in the scenario, per request, and
the rest of the machine's busy time (the load generator, the kernel) beside them.
"""

from __future__ import annotations

import urllib.request
from collections import defaultdict

import psutil
from prometheus_client.parser import text_string_to_metric_families

from bench.memory import _name
from servicekit.apps import metrics_ports

Sample = tuple[str, tuple[tuple[str, str], ...]]  # (sample name, sorted labels)


def scrape(url: str) -> dict[Sample, float]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            text = answer.read().decode()
    except OSError:
        return {}
    found: dict[Sample, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.endswith(("_sum", "_count")):
                found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def snapshot(gateway_url: str) -> dict[Sample, float]:
    """The gateway's figures and every service process's (each port once)."""
    found = scrape(gateway_url + "/metrics")
    for port in sorted(set(metrics_ports().values())):
        found |= scrape(f"http://127.0.0.1:{port}/metrics")
    return found


def _gained(before: dict, after: dict, name: str, **match) -> dict[tuple, float]:
    out: dict[tuple, float] = defaultdict(float)
    for (sample, labels), value in after.items():
        if sample != name:
            continue
        found = dict(labels)
        if any(found.get(k) != v for k, v in match.items()):
            continue
        out[labels] += value - before.get((sample, labels), 0.0)
    return out


def _total(gained: dict[tuple, float], skip=lambda labels: False) -> float:
    return sum(value for labels, value in gained.items() if not skip(dict(labels)))


def hops(before: dict, after: dict) -> dict:
    """Milliseconds per request of each hop between two snapshots (see the module doc)."""

    def not_metrics(labels):
        return labels.get("route") == "/metrics"

    requests = _total(
        _gained(before, after, "gawe_http_request_duration_seconds_count"), not_metrics
    )
    if not requests:
        return {"requests": 0}
    per = 1000.0 / requests
    gateway = _total(_gained(before, after, "gawe_http_request_duration_seconds_sum"), not_metrics)
    rpc = _total(_gained(before, after, "gawe_gateway_rpc_duration_seconds_sum"))
    calls = _total(_gained(before, after, "gawe_gateway_rpc_duration_seconds_count"))
    services: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for labels, value in _gained(before, after, "gawe_rpc_handled_duration_seconds_sum").items():
        services[dict(labels)["service"]]["handling"] += value * per
    for labels, value in _gained(before, after, "gawe_rpc_handled_duration_seconds_count").items():
        services[dict(labels)["service"]]["calls"] += value / requests
    for labels, value in _gained(before, after, "gawe_db_duration_seconds_sum").items():
        found = dict(labels)
        services[found["service"]][f"db {found['kind']}"] += value * per
    return {
        "requests": requests,
        "gateway": gateway * per,
        "rpc": rpc * per,
        "rpc_calls": calls / requests,
        "services": {
            name: dict(figures) for name, figures in services.items() if figures.get("calls")
        },
    }


def print_hops(scenario: str, found: dict) -> None:
    if not found.get("requests"):
        print(f"  {scenario}: no request reached the gateway's figures")
        return
    gateway, rpc = found["gateway"], found["rpc"]
    print(
        f"  {scenario}: gateway {gateway:.2f} ms per request, of which {rpc:.2f} ms in "
        f"{found['rpc_calls']:.2f} RPC(s) and {gateway - rpc:.2f} ms its own"
    )
    handled = 0.0
    for name, figures in sorted(found["services"].items()):
        handled = max(handled, figures.get("handling", 0.0))
        print(
            f"    {name:<14} {figures.get('calls', 0):.2f} call(s), handling "
            f"{figures.get('handling', 0):.2f} ms, database {figures.get('db statement', 0):.2f} "
            f"ms in statements + {figures.get('db commit', 0):.2f} ms in commits"
        )
    if rpc:
        print(
            f"    bus and serialisation (the gateway's RPC time beyond the slowest service's "
            f"handling): {max(rpc - handled, 0.0):.2f} ms"
        )


BROKERS = {"beam.smp": "rabbitmq", "postgres": "postgresql"}


def cpu_snapshot(root_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of each platform process under root_pid by name, of
    RabbitMQ and PostgreSQL, and the machine's busy time in all ("(machine)")."""
    found: dict[str, float] = defaultdict(float)
    root = psutil.Process(root_pid)
    processes = [(root, "supervisord")] + [(p, None) for p in root.children(recursive=True)]
    processes += [
        (p, BROKERS[p.info["name"]])
        for p in psutil.process_iter(["name"])
        if p.info["name"] in BROKERS
    ]
    for process, name in processes:
        try:
            name = name or _name(process)
            if name is None:
                continue
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        found[name.split(" (")[0]] += times.user + times.system
    machine = psutil.cpu_times()
    found["(machine)"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    return dict(found)


def cpu_per_request(before: dict, after: dict, requests: float) -> dict[str, float]:
    """Milliseconds of CPU per request of each process between two snapshots; "other" is the
    machine's busy time no listed process accounts for (the load generator, the kernel)."""
    if not requests:
        return {}
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    machine = spent.pop("(machine)", 0.0)
    out = {name: value * 1000 / requests for name, value in spent.items() if value > 0}
    out["other"] = max(machine - sum(spent.values()), 0.0) * 1000 / requests
    return out


def print_cpu(found: dict[str, float]) -> None:
    if not found:
        return
    listed = sorted(((v, k) for k, v in found.items() if k != "other"), reverse=True)
    parts = ", ".join(f"{name} {value:.2f}" for value, name in listed if value >= 0.01)
    print(
        f"    CPU per request: {sum(v for v, _ in listed):.2f} ms in the platform ({parts}); "
        f"{found['other']:.2f} ms elsewhere (load generator, kernel)"
    )
