"""Thin entrypoints (issue #11): the body of every @rpc, event handler and timer of every
installed app is a short delegation (at most two statements, no branching, no loops), so the
rules live in plain modules a test can call without nameko, and service.py reads as the
service's surface.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from servicekit.apps import installed_apps

MAX_STATEMENTS = 2
LOGIC = (ast.If, ast.For, ast.While, ast.Try, ast.With, ast.Match, ast.Raise)


def body_problems(fn) -> list[str]:
    """What makes `fn`'s body more than a delegation (its docstring aside)."""
    (node,) = ast.parse(textwrap.dedent(inspect.getsource(fn))).body
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    problems = [f"{len(body)} statements"] if len(body) > MAX_STATEMENTS else []
    problems += sorted(
        {type(n).__name__ for s in body for n in ast.walk(s) if isinstance(n, LOGIC)}
    )
    return problems


def fat_entrypoints(cls: type) -> dict[str, list[str]]:
    found = {}
    for name, attr in vars(cls).items():
        if getattr(attr, ENTRYPOINT_EXTENSIONS_ATTR, None) and (problems := body_problems(attr)):
            found[name] = problems
    return found


APPS = installed_apps()


@pytest.mark.parametrize("app", APPS, ids=[a.name for a in APPS])
def test_every_entrypoint_only_hands_over_to_a_plain_module(app):
    fat = fat_entrypoints(app.service_class)
    assert not fat, f"entrypoints of {app.service_class.__name__} that hold rules: {fat}"


def test_the_check_catches_rules_inside_an_entrypoint():
    from servicekit.entrypoints import rpc

    class Service:
        @rpc
        def thin(self, x: int) -> int:
            """Documented."""
            return abs(x)

        @rpc
        def branching(self, x: int) -> int:
            if x < 0:
                return -x
            return x

        @rpc
        def long(self) -> int:
            a = 1
            b = 2
            return a + b

    assert fat_entrypoints(Service) == {"branching": ["If"], "long": ["3 statements"]}
