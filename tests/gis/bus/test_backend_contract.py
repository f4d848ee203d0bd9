"""One contract, two backends: shapely/STRtree over SQLite and PostGIS must give the same answers.

Each answer is checked against the data itself, and recorded: the second backend must give
exactly the answer the first one gave.
"""

import json
from functools import cache

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from services.gis import store
from services.gis.backends import backend_for
from services.gis.boundaries import parse_feature_collection
from tests.support.databases import BACKENDS, require_backend
from tests.support.serang import DATA, JAVA_SEA, KOTA_SERANG, desa_centroids

ANSWERS: dict = {}  # (test, key) -> answer of the first backend


@cache
def real_records():
    return parse_feature_collection(
        json.loads((DATA / "kab_serang_boundaries.geojson").read_text())
    )


@pytest.fixture(scope="module", params=BACKENDS)
def engine_and_set(request, databases):
    engine = make_engine(databases.create("gis", require_backend(request.param)))
    with Session(engine) as session:
        boundary_set, _ = store.import_set(session, real_records(), "uji", "tests")
        store.upsert_points(
            session,
            "uji",
            [
                {
                    "id": "a",
                    "lat": -6.0650,
                    "lon": 106.1190,
                    "properties": {"category": "jalan-rusak"},
                },
                {
                    "id": "b",
                    "lat": -6.0652,
                    "lon": 106.1190,
                    "properties": {"category": "jalan-rusak"},
                },
                {
                    "id": "c",
                    "lat": -6.0650,
                    "lon": 106.1196,
                    "properties": {"category": "lampu-jalan"},
                },
                {
                    "id": "far",
                    "lat": -6.2000,
                    "lon": 106.3000,
                    "properties": {"category": "jalan-rusak"},
                },
            ],
        )
        session.commit()
        set_id = boundary_set.id
    yield request.param, engine, set_id
    engine.dispose()


def same_on_every_backend(key, answer):
    if key in ANSWERS:
        assert answer == ANSWERS[key], f"{key}: backends disagree"
    ANSWERS[key] = answer


def locate(engine_and_set, points):
    _, engine, set_id = engine_and_set
    backend = backend_for(engine.dialect.name)
    with Session(engine) as session:
        return backend.locate_many(session, set_id, points)


# Published centre points that lie outside their own (concave or coastal) desa polygon.
CENTRES_OUTSIDE_THEIR_DESA = {
    "36.04.13.2003",
    "36.04.23.2003",
    "36.04.30.2003",
    "36.04.33.2006",
    "36.04.35.2007",
}


def centre_points():
    """Each desa's published centre, or a point on its surface where the centre falls outside it."""
    polygons = {r.code: r.geom for r in real_records() if r.level == "desa"}
    points = []
    for d in desa_centroids():
        centre = shapely.Point(d["lon"], d["lat"])
        if not polygons[d["code"]].covers(centre):
            centre = polygons[d["code"]].representative_point()
        points.append((d, (centre.y, centre.x)))
    return points


def test_every_desa_centre_point_is_in_its_own_desa_and_kecamatan(engine_and_set):
    points = centre_points()
    found = locate(engine_and_set, [p for _, p in points])
    wrong = [
        (d["code"], f.desa and f.desa.code)
        for (d, _), f in zip(points, found, strict=True)
        if not f.inside or f.desa.code != d["code"] or f.desa.parent_code != d["kecamatan_code"]
    ]
    assert wrong == []
    assert len(found) == 326
    same_on_every_backend("centroids", [f.desa.code for f in found])


def test_published_centres_outside_their_own_desa_are_answered_by_geometry(engine_and_set):
    polygons = {r.code: r.geom for r in real_records() if r.level == "desa"}
    odd = [
        d
        for d in desa_centroids()
        if not polygons[d["code"]].covers(shapely.Point(d["lon"], d["lat"]))
    ]
    assert {d["code"] for d in odd} == CENTRES_OUTSIDE_THEIR_DESA
    found = locate(engine_and_set, [(d["lat"], d["lon"]) for d in odd])
    for d, f in zip(odd, found, strict=True):
        point = shapely.Point(d["lon"], d["lat"])
        covering = {code for code, geom in polygons.items() if geom.covers(point)}
        assert ({f.desa.code} | {a.code for a in f.ambiguous} if f.inside else set()) == covering
    same_on_every_backend("odd-centres", [(f.inside, f.desa and f.desa.code) for f in found])


@pytest.mark.parametrize("where", [KOTA_SERANG, JAVA_SEA], ids=["kota-serang", "java-sea"])
def test_points_outside_the_regency_name_the_nearest_desa_and_distance(engine_and_set, where):
    [found] = locate(engine_and_set, [where])
    assert found.inside is False and found.desa is None
    assert found.nearest is not None and found.distance_m > 100
    same_on_every_backend(("outside", where), found.nearest.code)
    key = ("distance", where)
    if key in ANSWERS:
        assert found.distance_m == pytest.approx(ANSWERS[key], rel=0.01)
    ANSWERS[key] = found.distance_m


def test_a_point_exactly_on_a_border_counts_as_inside(engine_and_set):
    desa = next(r for r in real_records() if r.level == "desa")
    x, y = desa.geom.geoms[0].exterior.coords[0]  # a vertex of its border
    [found] = locate(engine_and_set, [(y, x)])
    assert found.inside is True


def overlap_point():
    desa = [r for r in real_records() if r.level == "desa"]
    tree = shapely.STRtree([d.geom for d in desa])
    for i, d in enumerate(desa):
        for j in tree.query(d.geom, predicate="intersects"):
            if j > i:
                overlap = d.geom.intersection(desa[j].geom)
                if overlap.area > 1e-7:
                    p = overlap.representative_point()
                    return (p.y, p.x), {d.code, desa[j].code}
    raise AssertionError("the data has no overlapping desa")


def test_a_point_in_two_overlapping_desa_gets_one_answer_and_the_other_as_ambiguous(engine_and_set):
    point, codes = overlap_point()
    [found] = locate(engine_and_set, [point])
    assert found.inside
    assert {found.desa.code} | {a.code for a in found.ambiguous} == codes
    same_on_every_backend("overlap", (found.desa.code, tuple(a.code for a in found.ambiguous)))


def test_nearby_is_in_metres_nearest_first_and_filtered(engine_and_set):
    _, engine, _ = engine_and_set
    backend = backend_for(engine.dialect.name)
    with Session(engine) as session:
        found = backend.nearby(
            session, "uji", -6.0650, 106.1190, 50, {"category": "jalan-rusak"}, 10
        )
        wider = backend.nearby(session, "uji", -6.0650, 106.1190, 100, {}, 10)
        nearest = backend.nearest(session, "uji", -6.0650, 106.1190, 2, {})
    assert [p.feature_id for p in found] == ["a", "b"]
    assert found[1].distance_m == pytest.approx(22.1, abs=0.5)  # 0.0002 degrees of latitude
    assert [p.feature_id for p in wider] == ["a", "b", "c"]
    assert [p.feature_id for p in nearest] == ["a", "b"]
    same_on_every_backend("nearby", [(p.feature_id, round(p.distance_m)) for p in wider])


def test_desa_polygons_from_the_file_are_stored_unchanged(engine_and_set):
    _, engine, set_id = engine_and_set
    with Session(engine) as session:
        area = store.get_area(session, set_id, "36.04.05.2001")
    original = next(r for r in real_records() if r.code == "36.04.05.2001")
    assert area.geom.equals(original.geom)
    assert shape(shapely.geometry.mapping(area.geom)).is_valid
