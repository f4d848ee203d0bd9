"""Locating answers checked against geometry worked out by hand, not only against another
Locator: `make mutation` (docs/testing.md) showed that a copy compared with its original misses
a change made to both. Inside a polygon (not only its bounding box), the desa a point lies
deepest in, the nearest desa and its distance on the sphere, many points at once, the answer's
fields and a snapshot that crosses the bus as JSON."""

from __future__ import annotations

import json
import math

import pytest
from shapely.geometry import Polygon, box

from servicekit.geo.locating import (
    EARTH_RADIUS_M,
    AreaRef,
    CurrentSet,
    Location,
    Locator,
    from_snapshot,
    haversine_m,
    location_dict,
    snapshot,
)

SATU = AreaRef("36.04.01.2001", "Satu", "36.04.01")
DUA = AreaRef("36.04.01.2002", "Dua", "36.04.01")
TIGA = AreaRef("36.04.02.2003", "Tiga", "36.04.02")
# Satu and Dua side by side (border at 106.1), Tiga a triangle further east.
GEOMS = [
    box(106.0, -6.1, 106.1, -6.0),
    box(106.1, -6.1, 106.2, -6.0),
    Polygon([(106.3, -6.1), (106.4, -6.1), (106.3, -6.0)]),
]
LOCATOR = Locator([SATU, DUA, TIGA], GEOMS)


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The spherical law of cosines: another formula than the one under test."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_RADIUS_M * math.acos(min(1.0, cos_angle))


def test_a_point_inside_one_desa_is_in_that_desa_alone():
    assert LOCATOR.locate_many([(-6.05, 106.05)]) == [Location(inside=True, desa=SATU)]


def test_a_point_in_a_desas_bounding_box_but_outside_its_border_is_outside():
    [found] = LOCATOR.locate_many([(-6.01, 106.39)])  # above the triangle's slanted side
    assert found.inside is False and found.desa is None and found.nearest == TIGA


def test_where_desa_overlap_the_point_is_in_the_one_it_lies_deepest_inside():
    overlapping = Locator(
        [SATU, DUA], [box(106.0, -6.1, 106.1, -6.0), box(106.09, -6.1, 106.2, -6.0)]
    )
    [found] = overlapping.locate_many([(-6.05, 106.098)])  # 0.002° inside Satu, 0.008° in Dua
    assert found.inside is True and found.desa == DUA and found.ambiguous == (SATU,)


def test_a_point_outside_gets_the_nearest_desa_and_its_distance_on_the_sphere():
    south, south_east = LOCATOR.locate_many([(-6.5, 106.15), (-6.2, 106.25)])
    # Straight south of Dua: along the meridian, 0.4° of latitude.
    assert south == Location(
        inside=False, nearest=DUA, distance_m=pytest.approx(EARTH_RADIUS_M * math.radians(0.4))
    )
    # South-east of Dua's corner (106.2, -6.1): the corner is the nearest point.
    assert south_east.inside is False and south_east.nearest == DUA
    assert south_east.distance_m == pytest.approx(great_circle_m(-6.1, 106.2, -6.2, 106.25))


def test_many_points_at_once_are_answered_each_as_on_its_own():
    points = [
        (-6.05, 106.05),  # inside Satu
        (-6.5, 106.05),  # south of Satu
        (-6.5, 106.1),  # as far from Satu as from Dua: the smaller code
        (-6.5, 106.101),  # nearer Dua than Satu, by a fraction of a metre
        (-6.2, 106.25),  # south-east of Dua
        (-6.05, 106.5),  # east of Tiga
        (-6.05, 106.15),  # inside Dua
    ]
    together = LOCATOR.locate_many(points)
    assert together == [LOCATOR.locate_many([p])[0] for p in points]
    assert [f.inside for f in together] == [True, False, False, False, False, False, True]
    assert [(f.desa or f.nearest).code for f in together] == [
        SATU.code,
        SATU.code,
        SATU.code,
        DUA.code,
        DUA.code,
        TIGA.code,
        DUA.code,
    ]


@pytest.mark.parametrize(
    ("here", "there"),
    [
        ((-6.1, 106.2), (-6.1, 106.2)),
        ((-6.0, 106.0), (-7.0, 106.0)),  # along a meridian
        ((0.0, 106.0), (0.0, 107.0)),  # along the equator
        ((-6.1, 106.2), (-6.2, 106.35)),
        ((-6.12, 106.15), (-5.9, 105.8)),
    ],
)
def test_the_distance_between_two_points_is_the_great_circle_one(here, there):
    distance = haversine_m(*here, *there)
    assert distance == pytest.approx(great_circle_m(*here, *there), abs=1e-3)
    assert distance == pytest.approx(haversine_m(*there, *here))


def test_a_desa_one_degree_north_is_one_degree_of_the_meridian_away():
    assert haversine_m(-7.0, 106.0, -6.0, 106.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180)


def current_set() -> CurrentSet:
    return CurrentSet(3, "bps-2024", True, {"36.04.01": "Cikande"})


def test_the_answer_for_a_point_inside_names_its_desa_kecamatan_and_the_overlapping_ones():
    current = current_set()
    found = Location(inside=True, desa=SATU, ambiguous=(TIGA,))
    assert location_dict(-6.05, 106.05, found, current) == {
        "lat": -6.05,
        "lon": 106.05,
        "inside": True,
        "desa": {"code": SATU.code, "name": "Satu"},
        "kecamatan": {"code": "36.04.01", "name": "Cikande"},
        "ambiguous": [{"code": TIGA.code, "name": "Tiga"}],
        "nearest": None,
        "boundary_version": "bps-2024",
        "approximate": True,
    }


def test_the_answer_for_a_point_outside_names_the_nearest_desa_and_rounds_the_distance():
    current = current_set()
    found = Location(inside=False, nearest=TIGA, distance_m=1234.5678)
    answer = location_dict(-6.2, 106.35, found, current)
    assert answer["inside"] is False and answer["desa"] is None and answer["kecamatan"] is None
    assert answer["ambiguous"] == []
    assert answer["nearest"] == {
        "desa": {"code": TIGA.code, "name": "Tiga"},
        # a kecamatan whose name the set does not know is named by its code
        "kecamatan": {"code": "36.04.02", "name": "36.04.02"},
        "distance_m": 1234.6,
    }


def test_a_desa_without_a_kecamatan_is_answered_without_one():
    lone = AreaRef("36.04.99.2999", "Lepas")
    answer = location_dict(0.0, 0.0, Location(inside=True, desa=lone), current_set())
    assert answer["desa"] == {"code": lone.code, "name": "Lepas"} and answer["kecamatan"] is None


def test_a_desa_is_named_once_per_set_and_shared_by_the_answers():
    current = current_set()
    first = location_dict(-6.05, 106.05, Location(inside=True, desa=SATU), current)
    again = location_dict(-6.06, 106.06, Location(inside=True, desa=SATU), current)
    assert again["desa"] is first["desa"] and again["kecamatan"] is first["kecamatan"]
    assert set(current.named) == {SATU.code}


def test_a_snapshot_crosses_the_bus_as_json_and_keeps_the_sets_facts():
    current = current_set()
    rows = [
        (r.code, r.name, r.parent_code, g) for r, g in zip([SATU, DUA, TIGA], GEOMS, strict=True)
    ]
    copy, copied = from_snapshot(json.loads(json.dumps(snapshot(current, rows))))
    assert (copied.id, copied.version, copied.approximate) == (3, "bps-2024", True)
    assert copied.kecamatan_names == {"36.04.01": "Cikande"}
    points = [(-6.05, 106.05), (-6.01, 106.39), (-6.5, 106.15)]
    assert copy.locate_many(points) == LOCATOR.locate_many(points)
