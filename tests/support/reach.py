"""A pytest plugin (registered in tests/conftest.py): which gateway routes and service RPCs the
run's tests reach, for tests/platform/test_reachability.py (issue #18).

What counts as reached, observed in this process and never changing what happens:
- a route of the gateway's url_map: a request it routed there got an answer, not a refusal
  (a status below 400, and not a signed-out visitor's redirect to the login page): Flask's
  `request_finished` signal, from every app `gateway.create_app` makes;
- an `@rpc` of an installed app's service: a worker of that service class ran it and it returned
  without an error (after the entrypoint's own commit): nameko's container reports each worker's
  result to its dependencies; this plugin looks at the same call first.
The e2e tests' real processes (gunicorn, `nameko run`) are not observed: what they reach, the
in-process tests must reach too.

What there is to reach is read from the code, so a new app's routes and RPCs count at once:
every rule of `create_app()`'s url_map but `static` (HEAD and OPTIONS aside), and every method of
each installed app's service class (servicekit.apps) carrying a nameko `Rpc` entrypoint.

The check (`@pytest.mark.whole_suite`) runs last, and only when the whole suite runs: every test
file under tests/ collected, nothing deselected (-k, -m, --deselect) and no test picked by id;
otherwise it is deselected (not skipped: on CI a skip fails the run).

Each route and RPC reached is kept with the test files that reached it (and the first test of
each), so that what only some tests reach shows: the authorisation matrix (tests/security) calls
every route, and answers some of them without proving what they do.

Offline: `GAWE_REACH_REPORT=path pytest ...` writes what the run reached (and what it did not)
to `path` as JSON; `python -m tests.support.reach a.json b.json ...` lists what none of them
reached (exit status 1 if anything), so partial runs can be combined, and with
`--only-by tests/security/` what only tests under that path reached.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

MARKER = "whole_suite"
REPORT_ENV = "GAWE_REACH_REPORT"
TESTS = Path(__file__).resolve().parents[1]
LOGIN_PAGE = "/masuk"
NOT_ROUTES = frozenset({"HEAD", "OPTIONS"})


Tests = dict[str, str]  # the test files that reached something -> the first test of each


@dataclass
class Reach:
    """What was reached, each with the test files that reached it."""

    routes: dict[tuple[str, str], Tests] = field(default_factory=dict)  # (method, rule) ->
    rpcs: dict[tuple[type, str], Tests] = field(default_factory=dict)  # (class, method) ->


SESSION = Reach()
_recording = [SESSION]  # where records go now: the session's, or a test's own (`apart`)
_current_test = ["(outside a test)", "(outside a test)"]  # its file, its node id


def _note(kind: str, key) -> None:
    found = getattr(_recording[-1], kind)
    file, test = _current_test
    tests = found.get(key)
    if tests is None:
        found[key] = {file: test}
    elif file not in tests:
        tests[file] = test


@contextlib.contextmanager
def apart():
    """Record into a Reach of its own (the session's record is left as it was): for the
    plugin's own tests, whose requests and calls prove nothing about the suite."""
    own = Reach()
    _recording.append(own)
    try:
        yield own
    finally:
        _recording.remove(own)


# --- observing -----------------------------------------------------------------------------


def answered(response) -> bool:
    """An answer, not a refusal: below 400, and not a redirect to sign in first."""
    if response.status_code >= 400:
        return False
    if 300 <= response.status_code < 400:
        location = urlsplit(response.headers.get("Location", ""))
        if location.path == LOGIN_PAGE and "next" in parse_qs(location.query):
            return False
    return True


def _request_finished(sender, response, **extra) -> None:
    from flask import request

    rule = request.url_rule
    if sender.import_name == "gateway" and rule is not None and answered(response):
        _note("routes", (request.method, rule.rule))


_original_worker_result = None


def _install() -> None:
    global _original_worker_result
    if _original_worker_result is not None:
        return
    from flask import request_finished
    from nameko.containers import ServiceContainer
    from nameko.rpc import Rpc

    original = ServiceContainer._worker_result

    def _worker_result(container, worker_ctx, result, exc_info):
        if exc_info is None and isinstance(worker_ctx.entrypoint, Rpc):
            _note("rpcs", (container.service_cls, worker_ctx.entrypoint.method_name))
        return original(container, worker_ctx, result, exc_info)

    _original_worker_result = original
    ServiceContainer._worker_result = _worker_result
    request_finished.connect(_request_finished)


def _uninstall() -> None:
    global _original_worker_result
    if _original_worker_result is None:
        return
    from flask import request_finished
    from nameko.containers import ServiceContainer

    ServiceContainer._worker_result = _original_worker_result
    _original_worker_result = None
    request_finished.disconnect(_request_finished)


# --- what there is to reach ----------------------------------------------------------------


@cache
def route_table() -> frozenset[tuple[str, str]]:
    """Every (method, rule) of the gateway's url_map, `static` aside, HEAD and OPTIONS aside."""
    from gateway import create_app
    from gateway.settings import GatewaySettings

    app = create_app(GatewaySettings.from_env(secret_key="reachability-" * 4))
    return frozenset(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - NOT_ROUTES
    )


def rpc_methods(service_class: type) -> tuple[str, ...]:
    """The methods of a nameko service class that carry an `Rpc` entrypoint."""
    from nameko.rpc import Rpc

    return tuple(
        sorted(
            name
            for name in dir(service_class)
            if any(
                isinstance(entrypoint, Rpc)
                for entrypoint in getattr(getattr(service_class, name), "nameko_entrypoints", ())
            )
        )
    )


@cache
def rpc_table() -> dict[str, tuple[type, tuple[str, ...]]]:
    """Every installed app's service class and its RPC methods, by app name."""
    from servicekit.apps import installed_apps

    return {
        spec.name: (spec.service_class, rpc_methods(spec.service_class))
        for spec in installed_apps()
    }


def route_name(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def reached_names(reach: Reach) -> dict[str, Tests]:
    """What `reach` holds of the suite's routes and RPCs, as names ("GET /rule",
    "service.method"), each with the test files that reached it. A worker of another class
    counts for an installed service only if it runs that service's own method (a subclass
    that does not replace it); a test's stand-in service of the same name does not."""
    names = {route_name(key): dict(tests) for key, tests in reach.routes.items()}
    for app, (service_class, methods) in rpc_table().items():
        for (cls, method), tests in reach.rpcs.items():
            if method in methods and (
                cls is service_class
                or (
                    isinstance(cls, type)
                    and issubclass(cls, service_class)
                    and getattr(cls, method) is getattr(service_class, method)
                )
            ):
                merge(names.setdefault(f"{app}.{method}", {}), tests)
    return names


def merge(into: Tests, tests: Tests) -> None:
    for file, test in tests.items():
        into.setdefault(file, test)


def only_by(reached: dict[str, Tests], prefix: str) -> list[str]:
    """The names only tests whose files start with `prefix` reached."""
    return [
        name
        for name in everything()
        if reached.get(name) and all(file.startswith(prefix) for file in reached[name])
    ]


def everything() -> list[str]:
    """The names of every route and RPC there is to reach, sorted."""
    routes = sorted(route_name(key) for key in route_table())
    rpcs = sorted(f"{app}.{m}" for app, (_, methods) in rpc_table().items() for m in methods)
    return routes + rpcs


def unreached(reached: set[str] | dict) -> list[str]:
    return [name for name in everything() if name not in reached]


# --- pytest hooks --------------------------------------------------------------------------

_deselected_before = [0]
_whole_run = [False]  # what pytest_collection_modifyitems decided
_left_out = [""]  # and why, when it left the checks out


def whole_run() -> bool:
    """Whether this run was found whole (and its checks kept, last)."""
    return _whole_run[0]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}: runs last, and only when the whole suite runs (tests/support/reach.py)",
    )
    # A fresh record for each session, also when one process runs several (mutmut does).
    SESSION.routes.clear()
    SESSION.rpcs.clear()
    _deselected_before[0], _whole_run[0], _left_out[0] = 0, False, ""
    _install()


def pytest_unconfigure(config):
    _uninstall()


def pytest_deselected(items):
    _deselected_before[0] += len(items)


def partial(args, collected, deselected: int, tests: Path = TESTS) -> str | None:
    """Why a run does not hold every test, or None when it does: every test file under `tests`
    among the `collected` paths, none picked by id (file::test) in the `args`, nothing
    `deselected`."""
    if deselected:
        return f"{deselected} test(s) deselected (-k, -m or --deselect)"
    if picked := [str(arg) for arg in args if "::" in str(arg)]:
        return f"tests picked by id: {', '.join(picked)}"
    files = {
        path.resolve() for pattern in ("test_*.py", "*_test.py") for path in tests.rglob(pattern)
    }
    if missing := files - {Path(path).resolve() for path in collected}:
        return f"{len(missing)} of the {len(files)} test files under {tests.name}/ not in this run"
    return None


def whole_suite(args, collected, deselected: int, tests: Path = TESTS) -> bool:
    return partial(args, collected, deselected, tests) is None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Checks last; and none at all in a partial run (deselected, not skipped)."""
    checks = [item for item in items if item.get_closest_marker(MARKER)]
    if not checks:
        return
    rest = [item for item in items if not item.get_closest_marker(MARKER)]
    why = partial(config.args, {item.path for item in items}, _deselected_before[0])
    _whole_run[0] = why is None
    if why is None:
        items[:] = rest + checks
    else:
        items[:] = rest
        config.hook.pytest_deselected(items=checks)
        _left_out[0] = f"{len(checks)} whole-suite check(s) left out: {why}"


def pytest_terminal_summary(terminalreporter):
    if _left_out[0]:
        terminalreporter.write_line(f"reach: {_left_out[0]}")


def pytest_runtest_logstart(nodeid, location):
    _current_test[:] = [nodeid.split("::", 1)[0], nodeid]


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    reached = reached_names(SESSION)
    Path(path).write_text(
        json.dumps(
            {
                "args": [str(arg) for arg in session.config.args],
                "reached": dict(sorted(reached.items())),
                "unreached": unreached(reached),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


# --- offline -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="What no run reached, from the reports GAWE_REACH_REPORT=path wrote."
    )
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument(
        "--only-by",
        action="append",
        default=[],
        metavar="PATH",
        help="also list what only tests under PATH reached (e.g. tests/security/)",
    )
    args = parser.parse_args(argv)
    reached: dict[str, Tests] = {}
    for report in args.reports:
        for name, tests in json.loads(report.read_text())["reached"].items():
            merge(reached.setdefault(name, {}), tests)
    missing = unreached(reached)
    total = len(everything())
    print(f"{total - len(missing)} of {total} routes and RPCs reached; unreached: {len(missing)}")
    for name in missing:
        print(f"  {name}")
    for prefix in args.only_by:
        alone = only_by(reached, prefix)
        print(f"reached only by tests under {prefix}: {len(alone)}")
        for name in alone:
            print(f"  {name}: {', '.join(reached[name].values())}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
