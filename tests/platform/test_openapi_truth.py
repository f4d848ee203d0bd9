"""The API document tells the truth: schemathesis, every check, over the whole document.

The gateway of this module's platform is served over HTTP on a free port (the CLI's view of
it: `schemathesis run --checks all <url>/api/v1/openapi.json`), and schemathesis runs once per
role: an admin through every phase (examples, coverage, fuzzing, stateful), then a citizen and
staff of agencies through the fuzzing phase, so the operations only an admin may call are
exercised as the 403s they are for everyone else. Each role signs in through
`/api/v1/auth/login` and again whenever it is answered 401 (the run calls `/auth/logout` too).
Seeded and bounded (two examples per operation for the admin, one for the others): about
2.5 to 4 minutes per backend on a busy 2-core machine, still too long (see the report).

Rules no JSON schema can state (cost lines summing to the amount, a category's own questions,
a GeoJSON file's features...) are written in the operation's description under
`CROSS_FIELD`: there, and only there, a schema-valid request refused with the documented 422
is not counted against the document.
"""

from __future__ import annotations

import collections
import threading

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from werkzeug.serving import make_server

from gateway.docs.openapi import CROSS_FIELD
from tests.support.factories import PASSWORD, create_admin, register_citizen, unique_email

SEED = 20260514
# staff of an agency, each the role the demo accounts have (README)
STAFF = (("verifier", "KESRA"), ("officer", "DPUPR"), ("budget_team", "BPKAD"))


@pytest.fixture(scope="module")
def gateway_url(platform):
    server = make_server("127.0.0.1", 0, platform.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def accounts(platform):
    """email of each role's account, all with PASSWORD."""
    client = platform.client
    admin = create_admin(platform.config["ACCOUNTS_DATABASE_URL"])
    found = {"admin": admin, "citizen": register_citizen(client)["email"]}
    token = client.post("/api/v1/auth/login", json={"email": admin, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
    for role, agency in STAFF:
        email = unique_email(f"{role}.{agency.lower()}")
        body = {"name": f"Staf {agency}", "email": email, "password": PASSWORD}
        body |= {"roles": [role], "agency": agency}
        created = client.post("/api/v1/admin/staff", json=body, headers=headers)
        assert created.status_code == 201, created.get_json()
        found[role] = email
    return found


def run(url: str, email: str, *, phases: list[str], max_examples: int) -> list[str]:
    """Every failed check of one schemathesis run, one readable line each."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "base-url": url,
            "workers": 1,
            "generation": {"max-examples": max_examples, "deterministic": True},
            "checks": {"enabled": True},
            "phases": {name: {"enabled": name in phases} for name in PHASES},
            "auth": {
                "dynamic": {
                    "openapi": {
                        "bearer": {
                            "path": "/api/v1/auth/login",
                            "payload": {"email": email, "password": PASSWORD},
                            "extract_selector": "/access_token",
                            "retry_on": [401],
                        }
                    }
                }
            },
            "operations": [
                {
                    "include-operation-id": sorted(CROSS_FIELD_OPERATIONS),
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]
                        }
                    },
                }
            ],
        }
    )
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json", config=config)
    failures = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    case = event.recorder.cases[case_id].value
                    failure = check.failure_info.failure
                    failures.append(
                        f"{check.name}: {failure.operation}: {failure.title}: "
                        f"{failure.message.splitlines()[0] if failure.message else ''}\n"
                        f"    {case.as_curl_command()}"
                    )
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.append(
                f"error: {getattr(event, 'label', '')}: {getattr(event, 'value', None) or event.exception!r}"
            )
    return failures


PHASES = ("examples", "coverage", "fuzzing", "stateful")

# Left to do (issue 14, item 4): schema-valid requests these operations still refuse with 422
# for a rule their document does not state yet (a row that must exist, a rule between fields
# not yet written under CROSS_FIELD). Only positive_data_acceptance on these is tolerated;
# every other check, and this one on any other operation, fails the test.
STILL_REFUSED = {
    "GET /api/v1/admin/staff",
    "GET /api/v1/complaints",
    "GET /api/v1/complaints/mine",
    "GET /api/v1/notifications",
    "POST /api/v1/admin/staff",
    "POST /api/v1/auth/register",
    "POST /api/v1/complaints/{public_id}/photos",
    "POST /api/v1/complaints/{public_id}/transitions",
    "POST /api/v1/gis/locate",
    "POST /api/v1/jobcards",
    "POST /api/v1/jobcards/{jobcard_id}/documents",
    "POST /api/v1/jobcards/{jobcard_id}/reports",
    "POST /api/v1/jobcards/{jobcard_id}/transitions",
    "POST /api/v1/letters",
    "POST /api/v1/letters/{letter_id}/dispositions",
    "POST /api/v1/notifications/events/{event_id}/replay",
    "POST /api/v1/proposals/emergency",
    "POST /api/v1/proposals/{public_id}/documents",
    "PUT /api/v1/admin/complaints/categories/{code}",
}
CROSS_FIELD_OPERATIONS: set[str] = set()


def cross_field_operations(url: str) -> set[str]:
    spec = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json").raw_schema
    return {
        operation["operationId"]
        for path in spec["paths"].values()
        for operation in path.values()
        if CROSS_FIELD in operation.get("description", "")
    }


def test_schemathesis_finds_no_failure_for_any_role(gateway_url, accounts):
    CROSS_FIELD_OPERATIONS.update(cross_field_operations(gateway_url))
    failures = run(gateway_url, accounts["admin"], phases=list(PHASES), max_examples=2)
    for role in ("citizen", *(role for role, _ in STAFF)):
        failures += [
            f"[{role}] {line}"
            for line in run(gateway_url, accounts[role], phases=["fuzzing"], max_examples=1)
        ]
    new = [line for line in failures if not _known(line)]
    counts = collections.Counter(line.split(":", 1)[0] for line in new)
    assert not new, f"{dict(counts)}\n" + "\n".join(new)


def _known(line: str) -> bool:
    check, operation = line.split(": ", 2)[:2]
    return check.rsplit(" ", 1)[-1] == "positive_data_acceptance" and operation in STILL_REFUSED
