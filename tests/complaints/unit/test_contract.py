"""The complaints contract: what other processes may know of the app, and nothing else."""

import inspect
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from servicekit.events import CATALOGUE, make_event, read_event
from services.complaints.contract import ALERT_EVENTS, EVENTS, ComplaintsClient
from services.complaints.service import ComplaintsService

CLIENT_METHODS = sorted(
    name
    for name, member in vars(ComplaintsClient).items()
    if inspect.isfunction(member) and not name.startswith("_")
)


def _parameters(function) -> list[tuple[str, object]]:
    return [
        (p.name, p.default)
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


@pytest.mark.parametrize("name", CLIENT_METHODS)
def test_every_client_method_is_an_rpc_of_the_service_with_the_same_parameters(name):
    served = getattr(ComplaintsService, name, None)
    assert served is not None, f"ComplaintsService has no {name}"
    assert getattr(served, "nameko_entrypoints", None), f"ComplaintsService.{name} is not an @rpc"
    mine, theirs = _parameters(getattr(ComplaintsClient, name)), _parameters(served)
    assert len(mine) == len(theirs)
    for (own, default), (served_name, served_default) in zip(mine, theirs, strict=True):
        assert default == served_default
        if default is not inspect.Parameter.empty:  # passed by keyword: the same name
            assert own == served_name
    assert (getattr(ComplaintsClient, name).__doc__ or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("name", CLIENT_METHODS)
def test_a_client_method_calls_the_rpc_of_its_own_name_with_its_arguments(name):
    calls = []
    client = ComplaintsClient(lambda *call, **kwargs: calls.append((call, kwargs)) or "reply")
    arguments = [f"arg{i}" for i, _ in enumerate(_parameters(getattr(ComplaintsClient, name)))]

    assert getattr(client, name)(*arguments) == "reply"
    ((call, kwargs),) = calls
    assert call[:2] == ("complaints", name)
    assert list(call[2:]) + list(kwargs.values()) == arguments


def test_a_client_over_a_service_proxy_calls_the_proxy():
    class Proxy:
        def get_report(self, public_id):
            return {"public_id": public_id}

    assert ComplaintsClient.over(Proxy()).get_report("SRG-1") == {"public_id": "SRG-1"}


def test_the_events_are_in_the_catalogue_and_round_trip():
    # the report events (which the dashboard reads) and the area alerts' own (issue 16)
    assert {schema.EVENT_TYPE for schema in EVENTS + ALERT_EVENTS} == {
        name for name in CATALOGUE if name.startswith("complaints.")
    }
    facts = {
        "report_id": 1,
        "public_id": "SRG-2026-000001",
        "category": "jalan-rusak",
        "category_name": "Jalan rusak",
        "agency": "DPUPR",
        "status": "submitted",
        "lat": -6.1,
        "lon": 106.2,
        "is_open": True,
        "requested_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    event = make_event("complaints.report_merged", **facts, into_report_id=2, into_public_id="X")
    assert read_event("complaints.report_merged", event | {"newer": 1})["into_report_id"] == 2


def test_the_contract_imports_no_database_bus_web_or_geometry_library():
    probe = (
        "import sys, services.complaints.contract; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'nameko', 'flask', 'shapely', 'eventlet'}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"


def test_the_contract_imports_no_other_module_of_the_app():
    probe = (
        "import sys, services.complaints.contract; "
        "print(sorted(m for m in sys.modules if m.startswith('services.') "
        "and not m.startswith('services.complaints.contract')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "['services.complaints']"
