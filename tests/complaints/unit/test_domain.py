from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

import pytest

from gateway.open311.format import to_xml
from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.complaints.attributes import validate_attributes
from services.complaints.contract import TRANSITIONS, open311_status
from services.complaints.lifecycle import authorize, plan
from services.complaints.sla import WIB, SlaPolicy

OFFICER_DPUPR = Actor(user_id=7, roles=frozenset({"officer"}), agency="DPUPR")
OFFICER_DINSOS = Actor(user_id=8, roles=frozenset({"officer"}), agency="DINSOS")
REPORTER = Actor(user_id=42, roles=frozenset({"citizen"}))

ROAD = [
    {
        "code": "panjang_kerusakan_m",
        "datatype": "number",
        "required": True,
        "min": 1,
        "max": 100000,
        "description": "Panjang",
    },
    {
        "code": "tingkat_kerusakan",
        "datatype": "singlevaluelist",
        "required": True,
        "description": "Tingkat",
        "values": [{"key": "ringan", "name": "Ringan"}, {"key": "berat", "name": "Berat"}],
    },
    {"code": "catatan", "datatype": "string", "required": False, "description": "Catatan"},
]


def test_happy_path_goes_through_every_stage():
    status = "submitted"
    for action in ("verify", "forward", "start", "resolve", "close"):
        status = plan(action, status, note=None).target
    assert status == "closed"


@pytest.mark.parametrize(
    ("action", "status"),
    [("resolve", "submitted"), ("start", "verified"), ("close", "in_progress")],
)
def test_out_of_order_step_is_a_conflict(action, status):
    with pytest.raises(Conflict):
        plan(action, status, note=None)


def test_reject_and_reopen_need_a_reason():
    with pytest.raises(Invalid):
        plan("reject", "submitted", note="  ")
    assert plan("reopen", "resolved", note="masih berlubang").target == "forwarded"


def test_officer_of_other_agency_cannot_resolve_report():
    with pytest.raises(Forbidden):
        authorize(TRANSITIONS["resolve"], OFFICER_DINSOS, "DPUPR", reporter_user_id=42)
    authorize(TRANSITIONS["resolve"], OFFICER_DPUPR, "DPUPR", reporter_user_id=42)


def test_only_the_reporter_reopens():
    with pytest.raises(Forbidden):
        authorize(TRANSITIONS["reopen"], OFFICER_DPUPR, "DPUPR", reporter_user_id=42)
    with pytest.raises(Forbidden):
        authorize(
            TRANSITIONS["reopen"], REPORTER, "DPUPR", reporter_user_id=None
        )  # anonymous report
    authorize(TRANSITIONS["reopen"], REPORTER, "DPUPR", reporter_user_id=42)


def test_citizen_cannot_take_staff_actions():
    with pytest.raises(Forbidden):
        authorize(TRANSITIONS["verify"], REPORTER, "DPUPR", reporter_user_id=42)


def test_open311_knows_only_open_and_closed():
    assert [open311_status(s) for s in ("submitted", "in_progress", "resolved", "rejected")] == [
        "open",
        "open",
        "closed",
        "closed",
    ]


def test_deadline_counts_working_days_in_wib_skipping_weekends_and_holidays():
    policy = SlaPolicy(holidays=frozenset({date(2026, 11, 25)}))
    # Friday 20 Nov 2026, 22:00 UTC is already Saturday 21 Nov in WIB
    submitted = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    due = policy.deadline(submitted, 3)
    # Mon 23, Tue 24, (Wed 25 holiday), Thu 26
    assert due.astimezone(WIB).date() == date(2026, 11, 26)
    assert due.astimezone(WIB).hour == 23


def test_attribute_values_are_checked_against_the_definition():
    clean, errors = validate_attributes(
        ROAD, {"panjang_kerusakan_m": "2000", "tingkat_kerusakan": "berat"}
    )
    assert errors == {}
    assert clean == {"panjang_kerusakan_m": 2000, "tingkat_kerusakan": "berat"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"tingkat_kerusakan": "berat"}, "attribute[panjang_kerusakan_m]"),
        (
            {"panjang_kerusakan_m": "dua km", "tingkat_kerusakan": "berat"},
            "attribute[panjang_kerusakan_m]",
        ),
        (
            {"panjang_kerusakan_m": 0, "tingkat_kerusakan": "berat"},
            "attribute[panjang_kerusakan_m]",
        ),
        (
            {"panjang_kerusakan_m": "nan", "tingkat_kerusakan": "berat"},
            "attribute[panjang_kerusakan_m]",
        ),
        ({"panjang_kerusakan_m": 5, "tingkat_kerusakan": "parah"}, "attribute[tingkat_kerusakan]"),
        (
            {"panjang_kerusakan_m": 5, "tingkat_kerusakan": "berat", "warna": "merah"},
            "attribute[warna]",
        ),
        (
            {"panjang_kerusakan_m": 5, "tingkat_kerusakan": "berat", "catatan": "x" * 201},
            "attribute[catatan]",
        ),
    ],
)
def test_bad_attribute_values_name_the_attribute(values, field):
    _, errors = validate_attributes(ROAD, values)
    assert field in errors


def test_open311_xml_follows_the_spark_convention():
    xml = to_xml(
        "service_requests",
        [{"service_request_id": "SRG-2026-000001", "lat": -6.1, "media_url": None}],
    )
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(xml)
    request = root.find("request")
    assert root.tag == "service_requests"
    assert request.findtext("service_request_id") == "SRG-2026-000001"
    assert request.findtext("media_url") == ""


def test_open311_xml_nests_attribute_values():
    xml = to_xml(
        "service_definition",
        {
            "service_code": "x",
            "attributes": [{"code": "a", "required": True, "values": [{"key": "k", "name": "n"}]}],
        },
    )
    root = ET.fromstring(xml)
    assert root.find("attributes/attribute/values/value/key").text == "k"
    assert root.find("attributes/attribute/required").text == "true"
