"""URL converters for the public ids, so a literal route never matches an id and back.

`/api/v1/proposals/mine` and `/api/v1/proposals/<public_id>` both matched "mine" when the id was
any string: OPTIONS on `mine` advertised the id's PUT, and `PUT .../mine` reached the service as
the id "mine". With the ids' own patterns (the services' `PUBLIC_ID`) the routes are disjoint:
the documented paths do not change, and the OpenAPI document states each id's pattern.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter


class ComplaintIdConverter(BaseConverter):
    """A report's public id: SRG-<year>-<six or more digits> (services/complaints/store.py)."""

    regex = r"SRG-\d{4}-\d{6,}"


class ProposalIdConverter(BaseConverter):
    """A proposal's public id: SO-<year>-<six or more digits> (services/proposals/store.py)."""

    regex = r"SO-\d{4}-\d{6,}"


# The databases' INTEGER (PostgreSQL's is 32 bits): a larger id in a URL was passed on to a
# service and failed there with a 500. Nine digits at most, in the pattern itself: a `max` check
# after the match made Werkzeug answer a too-large id on a path with two rules (GET and POST
# .../scan) with 405 instead of 404.
ID_MAX = 999_999_999


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a row id, 0 to ID_MAX."""

    regex = r"\d{1,9}"


CONVERTERS = {
    "int": IdConverter,
    "complaint_id": ComplaintIdConverter,
    "proposal_id": ProposalIdConverter,
}


def install(app: Flask) -> None:
    """Before any blueprint: a rule is compiled with its converters when it is added."""
    app.url_map.converters.update(CONVERTERS)


def pattern_of(rule, argument: str) -> str | None:
    """The anchored pattern of a rule's argument whose converter is one of ours."""
    converter = rule._converters.get(argument)
    regex = getattr(type(converter), "regex", None) if converter is not None else None
    if type(converter) in (ComplaintIdConverter, ProposalIdConverter):
        return f"^{regex}$"
    return None
