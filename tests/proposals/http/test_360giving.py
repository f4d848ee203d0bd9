"""The 360Giving export validates (issue #17): the awarded grants of the demo data, through HTTP,
and of a generated set of 20,000 proposals, against the official 360Giving 1.4.3 package and
grant schemas (tests/proposals/data/360giving, CC BY 4.0 © 360Giving) with formats checked; any
error fails. Proposals not (yet) awarded are in the applications export, never in the grants."""

from __future__ import annotations

import json
import re
import time
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.proposals.contract.opendata import package
from services.proposals.contract.stages import AWARDED_STAGES
from services.proposals.registry import registry_export
from tests.proposals.conftest import load_demo

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "360giving"


@cache
def package_validator() -> jsonschema.Draft202012Validator:
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    bundle = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [(grant["$id"], resource), (bundle["properties"]["grants"]["items"]["$ref"], resource)]
    )
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert {"date-time", "uri"} <= set(checker.checkers)  # rfc3339/rfc3986 validators present
    return jsonschema.Draft202012Validator(bundle, registry=registry, format_checker=checker)


@cache
def fast_validator():
    """The same schemas in jsonschema-rs (formats checked), for the 20,000-proposal file: the
    pure-Python validator takes a minute over it on this machine."""
    import jsonschema_rs

    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    bundle = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    return jsonschema_rs.Draft202012Validator(
        bundle, validate_formats=True, retriever=lambda uri: grant
    )


def errors_of(document: dict) -> list[str]:
    """Every error of both validators (jsonschema and jsonschema-rs) against the package schema."""
    found = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in package_validator().iter_errors(document)
    ]
    fast = [e.message[:200] for e in fast_validator().iter_errors(document)]
    assert bool(found) == bool(fast), (found, fast)  # the two agree
    return found


@pytest.fixture(scope="module")
def demo(platform):
    """The demo's Serang Open proposals (make demo's), in this platform's proposals database."""
    load_demo(platform)


def test_the_grants_file_of_the_demo_data_validates_against_360giving(client, demo):
    answer = client.get("/api/v1/registry/grants.360g.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    document = answer.get_json()
    assert errors_of(document) == []
    grants = document["grants"]
    assert len(grants) >= 5  # the demo's awarded grants, from the regent's decision on
    assert {g["serangOpen"]["stage"] for g in grants} <= AWARDED_STAGES
    assert document["version"] == "1.4" and document["publisher"]["identifier"] == "XI-PEMDA-3604"
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert all(isinstance(g["amountAwarded"], int) and g["amountAwarded"] > 0 for g in grants)
    people = [g for g in grants if "recipientIndividual" in g]
    assert people and all(isinstance(g["recipientIndividual"], dict) for g in people)
    assert all(re.fullmatch(r"([A-Z]\.)+", g["recipientIndividual"]["name"]) for g in people)
    assert "null" not in answer.get_data(as_text=True)  # no null where the standard wants a value
    # the older address answers the same package
    older = client.get("/api/v1/registry/proposals.json").get_json()
    assert [g["id"] for g in older["grants"]] == [g["id"] for g in grants]


def test_proposals_not_awarded_are_in_the_applications_export_only(client, demo):
    grants = client.get("/api/v1/registry/grants.360g.json").get_json()["grants"]
    answer = client.get("/api/v1/registry/applications.json")
    assert answer.status_code == 200
    applications = answer.get_json()["applications"]
    assert applications and not {a["id"] for a in applications} & {g["id"] for g in grants}
    assert all(a["stage"] not in AWARDED_STAGES for a in applications)
    registry = client.get("/api/v1/registry/proposals?per_page=100").get_json()
    assert len(grants) + len(applications) == registry["total"]  # every submitted one, once
    people = [a for a in applications if a["recipientType"] == "individual"]
    assert all(re.fullmatch(r"([A-Z]\.)+", a["recipientName"]) for a in people)
    filtered = client.get("/api/v1/registry/grants.360g.json?kind=bansos").get_json()
    assert {g["grantProgramme"][0]["code"] for g in filtered["grants"]} <= {"bansos"}


def test_a_generated_set_of_20000_proposals_exports_a_valid_360giving_file(databases, monkeypatch):
    """Volume, not behaviour: bench/proposals.py's generator fills a proposals database with
    20,000 proposals in every stage; the service's export of it, in the package the gateway
    wraps it in, has no schema error. On SQLite only: the export's code is the same on both, and
    the demo data's test above runs on both."""
    from datetime import UTC, datetime

    from bench import proposals as generated

    url = databases.create("proposals", "sqlite")
    monkeypatch.setenv("PROPOSALS_DATABASE_URL", url)
    generated.seed(20_000)
    engine = make_engine(url)
    with Session(engine) as session:
        grants = registry_export(SimpleNamespace(db=session), {}, "grants")["grants"]
        applications = registry_export(SimpleNamespace(db=session), {}, "applications")
    engine.dispose()
    assert len(grants) + len(applications["applications"]) == 20_000 and len(grants) > 1_000
    site = "https://gawe.serangkab.go.id"
    document = package(
        grants,
        site,
        f"{site}/api/v1/registry/grants.360g.json",
        "https://creativecommons.org/licenses/by/4.0/",
        datetime.now(UTC),
    )
    started = time.perf_counter()
    assert [e.message[:200] for e in fast_validator().iter_errors(document)] == []
    took = time.perf_counter() - started
    print(
        f"20,000 proposals: {len(grants)} grants, {len(json.dumps(document))} bytes, valid ({took:.2f} s)"
    )


def test_the_validator_does_catch_what_the_old_export_had():
    """The validation is real: the faults the issue found in the old file are errors here."""
    good = {
        "id": "360G-kabserang-X",
        "title": "Uji",
        "description": "Uji",
        "currency": "IDR",
        "amountAwarded": 1000,
        "awardDate": "2026-03-01",
        "recipientIndividual": {"id": "360G-kabserang-IND-1", "name": "S.A."},
        "fundingOrganization": [{"id": "XI-PEMDA-3604", "name": "Pemerintah Kabupaten Serang"}],
        "dateModified": "2026-03-01T00:00:00+00:00",
    }
    base = {"version": "1.4", "grants": [good]}
    assert errors_of(base) == []
    for fault in (
        {"amountAwarded": None},
        {"awardDate": None},
        {"description": None},
        {"recipientIndividual": [good["recipientIndividual"]]},
        {"dateModified": "kemarin"},
        {"dataSource": "Serang Open"},
    ):
        assert errors_of({**base, "grants": [{**good, **fault}]}), fault
