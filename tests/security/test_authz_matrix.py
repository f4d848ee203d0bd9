"""The authorisation matrix (issue #10): every route of the gateway's url_map, called as every
persona of gateway/access.py, must give what the route declares next to itself.

One cell per (route, method, persona), through the real gateway against the real services on
RabbitMQ, in the world of authz_world.py. A cell fails on a 5xx whatever was declared, on an
outcome other than the declared one, and when it shows the citizen's personal data to someone
declared to see none of it (PUBLIC_ONLY, and anyone who is a stranger to the citizen).
Cells that change the world run after the others; those that end a session run last.

A route without a declaration, a declaration without its route, and a URL variable the world
cannot fill each fail a test of their own, naming the route.
"""

from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest

from gateway import create_app
from gateway.access import (
    ALLOW,
    DENY,
    PERSONAS,
    PUBLIC_ONLY,
    STRANGERS,
    Access,
    declare,
    declared,
)
from gateway.settings import GatewaySettings
from tests.security.authz_calls import (
    CALLS,
    ENDS_SESSION,
    RUN_LAST,
    VARIABLES,
    call_for,
    files_of,
    url_value,
)
from tests.security.authz_world import ROLES, World, bearer, build_world

PAGES = frozenset({"web", "workspace"})  # blueprints read by browsers: the session cookie
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
VARIABLE = re.compile(r"<(?:[^<>]*:)?([A-Za-z_]+)>")


def gateway_app():
    return create_app(GatewaySettings.from_env(secret_key="matrix-" * 8))


@dataclass(frozen=True)
class Cell:
    rule: str
    method: str
    endpoint: str
    persona: str

    def __str__(self) -> str:
        return f"{self.method} {self.rule} as {self.persona}"

    @property
    def phase(self) -> int:
        if self.endpoint in ENDS_SESSION:
            return 2
        return 1 if self.persona in RUN_LAST.get(self.endpoint, ()) else 0


def routes(app) -> list[tuple[str, str, str]]:
    return sorted(
        (rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods & set(METHODS))
    )


CELLS = sorted(
    (
        Cell(rule, method, endpoint, persona)
        for rule, method, endpoint in routes(gateway_app())
        for persona in PERSONAS
    ),
    key=lambda c: c.phase,
)


@pytest.fixture(scope="module")
def world(platform, admin_token) -> World:
    return build_world(platform.app, admin_token)


# --- the declarations themselves ----------------------------------------------------------


def test_every_route_declares_who_may_use_it():
    app = gateway_app()
    undeclared = [
        f"{method} {rule} ({endpoint})"
        for rule, method, endpoint in routes(app)
        if declared(app.view_functions[endpoint]) is None
    ]
    assert not undeclared, (
        "routes without an access declaration (add access=... to @endpoint, or @access(...) "
        f"under the route; see gateway/access.py): {undeclared}"
    )


def test_no_declaration_outlives_its_route():
    app = gateway_app()
    views = set(app.view_functions.values())
    stray = []
    for module_name, module in list(sys.modules.items()):  # every module the app imported
        if not module_name.startswith("gateway."):
            continue
        for name, member in inspect.getmembers(module, inspect.isfunction):
            if declared(member) is not None and member not in views:
                stray.append(f"{module_name}.{name}")
    assert not stray, f"access declared on functions that are no route: {sorted(set(stray))}"
    endpoints = set(app.view_functions)
    stale = sorted((set(CALLS) | set(RUN_LAST)) - endpoints)
    assert not stale, f"the matrix describes calls of routes that no longer exist: {stale}"


def test_a_declaration_names_every_persona_and_never_shows_a_stranger_anything():
    with pytest.raises(ValueError, match="each persona once"):
        Access((("admin", ALLOW),), "only one persona")
    with pytest.raises(ValueError, match="never entitled"):
        declare("a stranger let in", DENY, other_staff=ALLOW)
    with pytest.raises(ValueError, match="unknown personas"):
        declare("a persona nobody knows", DENY, inspector=ALLOW)
    assert declare("admins", DENY, admin=ALLOW)["admin"] is ALLOW


def test_the_world_fills_every_url_variable():
    unknown = [
        f"{method} {rule}: <{name}>"
        for rule, method, _ in routes(gateway_app())
        for name in VARIABLE.findall(rule)
        if name not in VARIABLES
    ]
    assert not unknown, (
        f"say in tests/security/authz_calls.py (or the app's tests/<app>/authz.py) what fills: {unknown}"
    )


def test_declarations_agree_with_the_roles_the_gateway_checks():
    """A persona the gateway refuses by role (roles=/auth= of @endpoint) cannot be declared
    to get through."""
    app = gateway_app()
    wrong = []
    for rule, method, endpoint in routes(app):
        view = app.view_functions[endpoint]
        doc, access = getattr(view, "endpoint_doc", None), declared(view)
        if doc is None or access is None or not doc.auth:
            continue
        for persona in PERSONAS:
            roles = ROLES[persona]
            refused = not roles or (doc.roles and not set(roles) & set(doc.roles))
            if refused and access[persona] is not DENY:
                wrong.append(f"{method} {rule} as {persona}")
    assert not wrong, f"declared to get through, but refused by the gateway's roles: {wrong}"


# --- the matrix -----------------------------------------------------------------------------


def send(world: World, cell: Cell):
    persona = world.personas[cell.persona]
    call = call_for(world, cell.endpoint)
    path = VARIABLE.sub(
        lambda m: quote(str(url_value(world, cell.endpoint, cell.rule, m.group(1), call)), safe=""),
        cell.rule,
    )
    view = world.app.view_functions[cell.endpoint]
    page = cell.endpoint.split(".")[0] in PAGES or getattr(view, "web_page", False)
    client = persona.browser if page else persona.api
    headers = {}
    if page and persona.token:
        headers["X-CSRF-Token"] = persona.csrf
    elif not page:
        headers |= bearer(persona)
    data = None
    if call.form is not None or call.files:
        data = dict(call.form or {}) | files_of(call)
        if page:
            data |= {"csrf": persona.csrf, "pra": persona.pra}
    return client.open(
        path,
        method=cell.method,
        json=call.json,
        data=data,
        query_string=call.query,
        headers=headers,
    )


def body_text(response) -> str:
    return response.get_data().decode("utf-8", errors="replace")


def outcome_of(response) -> str:
    status = response.status_code
    if status in (401, 403, 404):
        return DENY
    location = response.headers.get("Location", "")
    if 300 <= status < 400 and urlsplit(location).path == "/masuk":
        return DENY
    return "through"


def judge(world: World, cell: Cell, response) -> str | None:
    """What is wrong with the cell's response, in words; None when it is as declared."""
    access = declared(world.app.view_functions[cell.endpoint])
    expected = access[cell.persona]
    status = response.status_code
    told = f"{cell}: declared {expected} ({access.why}), got {status}"
    if status >= 500:
        return f"{told}: a server error"
    if status == 429:
        return f"{told}: rate-limited, so the matrix measured nothing"
    got = outcome_of(response)
    if expected is DENY and got != DENY:
        return f"{told}: let through"
    if expected in (ALLOW, PUBLIC_ONLY) and got == DENY:
        return f"{told}: refused ({body_text(response)[:200]!r})"
    if expected is PUBLIC_ONLY or cell.persona in STRANGERS:
        text = body_text(response)
        shown = [what for what, value in world.secrets.items() if value in text]
        if shown:
            return f"{told}: shows {', '.join(shown)}"
    return None


@pytest.mark.parametrize("cell", [c for c in CELLS if c.phase == 0], ids=str)
def test_route_as_persona(world, cell):
    assert (problem := judge(world, cell, send(world, cell))) is None, problem


def test_refused_calls_changed_nothing(world):
    """After every cell that leaves the world as it was: the refused ones changed nothing."""
    citizen, other, admin = (world.personas[p] for p in ("citizen", "other_citizen", "admin"))

    def get(persona, path, **query):
        response = persona.api.get(path, headers=bearer(persona), query_string=query)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_json()

    stages = {
        key: get(citizen, f"/api/v1/proposals/{world.values[key]}")
        for key in ("proposal", "draft", "withdrawable", "returned", "disbursed")
    }
    assert {k: p["stage"] for k, p in stages.items()} == {
        "proposal": "evaluation",
        "draft": "draft",
        "withdrawable": "evaluation",
        "returned": "returned",
        "disbursed": "disbursed",
    }
    main = stages["proposal"]
    assert main["field_checks"] == [] and main["declarations"] == []
    organisation = get(citizen, f"/api/v1/proposals/applicants/{world.values['organisation']}")
    assert organisation["member_user_ids"] == [citizen.user_id]
    body = world.values["organisation_body"]
    assert {k: organisation[k] for k in body} == body
    report = get(citizen, f"/api/v1/complaints/{world.values['report']}")
    assert report["status"] == "submitted" and report["duplicate_of"] is None
    resolved = get(citizen, f"/api/v1/complaints/{world.values['resolved_report']}")
    assert resolved["status"] == "resolved"
    assert get(other, "/api/v1/complaints", per_page=100)["total"] == 2  # nobody filed another
    for name in PERSONAS:
        persona = world.personas[name]
        if persona.token and name != "citizen":
            assert get(persona, "/api/v1/proposals/mine")["total"] == 0, name
    staff = get(admin, "/api/v1/admin/staff", per_page=100)["total"]
    assert staff == world.values["staff_accounts"] + 1  # the admin's own cell made one


@pytest.mark.parametrize("cell", [c for c in CELLS if c.phase > 0], ids=str)
def test_route_as_persona_changing_the_world(world, cell):
    assert (problem := judge(world, cell, send(world, cell))) is None, problem
