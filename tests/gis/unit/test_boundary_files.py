import pytest

from services.gis.boundaries import BoundaryFileError, demo_records, parse_feature_collection
from services.gis.names import match_score

SQUARE = [[[106.0, -6.0], [106.1, -6.0], [106.1, -6.1], [106.0, -6.1], [106.0, -6.0]]]


def feature(kode, level, geometry=None, **props):
    return {
        "type": "Feature",
        "properties": {"kode": kode, "nama": kode, "level": level, **props},
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def test_alternative_spellings_and_codes_match():
    assert match_score("Tanjung Teja", "Tunjung Teja", "36.04.20") == 1.0
    assert match_score("tunjung-teja", "Tunjung Teja", "36.04.20") == 1.0
    assert match_score("36.04.20", "Tunjung Teja", "36.04.20") == 1.0
    assert 0.8 <= match_score("Kramatwatoe", "Kramatwatu", "36.04.05") < 1.0
    assert match_score("Jakarta", "Kramatwatu", "36.04.05") == 0.0


def test_a_bad_file_names_each_feature_and_problem():
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("36.04.05", "kecamatan"),
            feature("36.04.05.2001", "desa", kode_kec="36.04.06"),
            feature(
                "36.04.05.2002",
                "desa",
                {"type": "Point", "coordinates": [106, -6]},
                kode_kec="36.04.05",
            ),
            feature("36.04.05.2003", "dusun", kode_kec="36.04.05"),
        ],
    }
    with pytest.raises(BoundaryFileError) as exc:
        parse_feature_collection(data)
    problems = "\n".join(exc.value.problems)
    assert "36.04.05.2001" in problems and "kecamatannya" in problems
    assert "36.04.05.2002" in problems and "Point" in problems
    assert "dusun" in problems or "level" in problems


def test_not_a_feature_collection_is_refused():
    with pytest.raises(BoundaryFileError):
        parse_feature_collection({"type": "Feature"})


def test_the_demo_set_is_complete_and_valid():
    records = demo_records()
    desa = [r for r in records if r.level == "desa"]
    assert len(desa) == 326 and len(records) - len(desa) == 29
    assert all(r.geom.is_valid and not r.geom.is_empty for r in records)
