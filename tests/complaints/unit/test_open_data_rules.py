"""Dense logic of issue 16 without the bus: working days as the statistics count them, the
Atom document the feed writes, and what an alert request must name."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import pytest
from marshmallow import ValidationError

from gateway.complaints.public_data import atom
from services.complaints.contract import AlertCreateSchema, FeedQuerySchema
from services.complaints.public_data import working_days
from services.complaints.sla import SlaPolicy

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    "start, end, days",
    [
        (date(2026, 11, 2), date(2026, 11, 2), 0),  # the same day
        (date(2026, 11, 6), date(2026, 11, 9), 1),  # Friday -> Monday
        (date(2026, 12, 24), date(2026, 12, 28), 1),  # over Christmas (and its leave)
        (date(2026, 6, 1), date(2026, 10, 1), 85),
    ],
)
def test_working_days_skip_weekends_and_holidays(start, end, days):
    assert working_days(SlaPolicy(), start, end) == days


def test_the_feed_is_atom_with_the_required_elements_and_escapes_text():
    entry = {
        "public_id": "SRG-2026-000007",
        "category_name": "Jalan rusak",
        "status_label": "Diterima",
        "agency": "DPUPR",
        "desa": "Kramatwatu",
        "kecamatan": "Kramatwatu",
        "description": "Lubang <besar> & dalam",
        "requested_at": "2026-11-02T02:00:00+00:00",
        "updated_at": "2026-11-03T02:00:00+00:00",
    }
    feed = {"level": "desa", "code": "36.04.05.2001", "name": "Kramatwatu", "entries": [entry]}
    root = ET.fromstring(atom(feed, "https://gawe.example"))
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == entry["updated_at"]
    [item] = root.findall(f"{ATOM}entry")
    assert item.find(f"{ATOM}id").text == "https://gawe.example/pengaduan/SRG-2026-000007"
    assert item.find(f"{ATOM}summary").text.endswith("Lubang <besar> & dalam")


def test_an_empty_feed_still_says_when_it_was_updated():
    feed = {"level": "kecamatan", "code": "36.04.05", "name": "Kramatwatu", "entries": []}
    root = ET.fromstring(atom(feed, "https://gawe.example"))
    assert root.find(f"{ATOM}updated").text and not root.findall(f"{ATOM}entry")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kecamatan": "36.04.05", "lat": -6.1, "lon": 106.1, "radius_m": 500}, "kecamatan"),
        ({"lat": -6.1, "radius_m": 500}, "lon"),
        ({"lat": -6.1, "lon": 106.1, "radius_m": 5001}, "radius_m"),
        ({"lat": -6.1, "lon": 106.1, "radius_m": 99}, "radius_m"),
    ],
)
def test_an_alert_names_exactly_one_area(body, field):
    with pytest.raises(ValidationError) as caught:
        AlertCreateSchema().load({"email": "a@example.id", "categories": ["jalan-rusak"]} | body)
    assert field in caught.value.messages


def test_a_feed_names_exactly_one_area():
    assert FeedQuerySchema().load({"desa": "36.04.05.2001"})["desa"] == "36.04.05.2001"
    with pytest.raises(ValidationError):
        FeedQuerySchema().load({})
