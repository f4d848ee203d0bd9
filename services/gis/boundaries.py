"""Boundary files: validation of a GeoJSON import, and the approximate demo set.

An import file is a FeatureCollection of kecamatan and desa (and optionally the kabupaten)
with properties `kode`, `nama`, `level` (`kode_kec` for desa; `jenis` optional). Every
problem is reported with the feature it concerns; a file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

LEVELS = ("kabupaten", "kecamatan", "desa")
DEMO_CENTROIDS = Path(__file__).with_name("data") / "serang_desa_centroids.csv"
DEMO_VERSION = "demo-perkiraan"
DEMO_SOURCE = (
    "Perkiraan dari titik tengah desa (Voronoi), BUKAN batas resmi; impor batas resmi dengan "
    "`make gis-import`"
)
MAX_PROBLEMS = 50


class BoundaryFileError(ValueError):
    """The file cannot be imported; `problems` names each feature and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class AreaRecord:
    level: str
    code: str
    name: str
    parent_code: str | None
    kind: str | None
    geom: MultiPolygon


def _multipolygon(geom) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def _feature_label(index: int, props: dict) -> str:
    return f"fitur #{index + 1} ({props.get('kode') or '?'} {props.get('nama') or ''})".strip()


def parse_feature_collection(data: dict) -> list[AreaRecord]:
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryFileError(["berkas bukan GeoJSON FeatureCollection"])
    problems: list[str] = []
    records: list[AreaRecord] = []
    for index, feature in enumerate(data["features"]):
        props = (feature or {}).get("properties") or {}
        label = _feature_label(index, props)
        code, name, level = props.get("kode"), props.get("nama"), props.get("level")
        if level not in LEVELS:
            problems.append(f"{label}: level harus salah satu dari {', '.join(LEVELS)}")
            continue
        if not code or not isinstance(code, str) or not name:
            problems.append(f"{label}: kode dan nama wajib diisi")
            continue
        try:
            geom = shape(feature.get("geometry"))
        except Exception as exc:  # shapely raises several kinds for malformed GeoJSON
            problems.append(f"{label}: geometri tidak dapat dibaca ({exc})")
            continue
        if not isinstance(geom, Polygon | MultiPolygon):
            problems.append(
                f"{label}: geometri harus Polygon atau MultiPolygon, bukan {geom.geom_type}"
            )
            continue
        if geom.is_empty or not geom.is_valid:
            problems.append(f"{label}: geometri tidak valid ({shapely.is_valid_reason(geom)})")
            continue
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problems.append(f"{label}: koordinat di luar WGS84 (bujur, lintang)")
            continue
        parent = props.get("kode_kec") if level == "desa" else props.get("kode_kab")
        records.append(
            AreaRecord(level, code, str(name), parent, props.get("jenis"), _multipolygon(geom))
        )
    problems += _hierarchy_problems(records)
    if problems:
        raise BoundaryFileError(problems[:MAX_PROBLEMS])
    if not any(r.level == "desa" for r in records):
        raise BoundaryFileError(["berkas tidak berisi satu pun desa"])
    return records


def _hierarchy_problems(records: list[AreaRecord]) -> list[str]:
    problems = []
    seen: set[str] = set()
    kecamatan = {r.code for r in records if r.level == "kecamatan"}
    for r in records:
        if r.code in seen:
            problems.append(f"{r.code} {r.name}: kode muncul lebih dari sekali")
        seen.add(r.code)
        if r.level == "desa":
            if not r.parent_code:
                problems.append(f"{r.code} {r.name}: desa tanpa kode_kec")
            elif not r.code.startswith(r.parent_code + "."):
                problems.append(
                    f"{r.code} {r.name}: kode desa tidak diawali kode kecamatannya {r.parent_code}"
                )
            elif kecamatan and r.parent_code not in kecamatan:
                problems.append(
                    f"{r.code} {r.name}: kecamatan {r.parent_code} tidak ada dalam berkas"
                )
    return problems


def with_kecamatan(records: list[AreaRecord]) -> list[AreaRecord]:
    """Add kecamatan built from their desa when a file carries desa only."""
    if any(r.level == "kecamatan" for r in records):
        return records
    by_kecamatan: dict[str, list[AreaRecord]] = {}
    for r in records:
        by_kecamatan.setdefault(r.parent_code, []).append(r)
    extra = [
        AreaRecord(
            "kecamatan",
            code,
            code,
            code.rsplit(".", 1)[0],
            None,
            _multipolygon(unary_union([d.geom for d in desa]).buffer(0)),
        )
        for code, desa in sorted(by_kecamatan.items())
    ]
    return extra + records


def _known_kecamatan_names() -> dict[str, str]:
    with DEMO_CENTROIDS.open(newline="") as handle:
        return {row["kode_kec"]: row["nama_kec"] for row in csv.DictReader(handle)}


def content_hash(records: list[AreaRecord]) -> str:
    """Identical content gives the same hash whatever the order of features."""
    digest = hashlib.sha256()
    for r in sorted(records, key=lambda r: (r.level, r.code)):
        digest.update(json.dumps([r.level, r.code, r.name, r.parent_code, r.kind]).encode())
        digest.update(shapely.to_wkb(shapely.normalize(r.geom), output_dimension=2))
    return digest.hexdigest()


def demo_records() -> list[AreaRecord]:
    """Approximate polygons from the shipped desa centre points: Voronoi cells within their hull."""
    with DEMO_CENTROIDS.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    points = [shapely.Point(float(r["lon"]), float(r["lat"])) for r in rows]
    hull = shapely.MultiPoint(points).convex_hull.buffer(0.02)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=hull)
    by_point = {}
    for cell in cells.geoms:
        for i, point in enumerate(points):
            if i not in by_point and cell.covers(point):
                by_point[i] = cell.intersection(hull)
                break
    desa = [
        AreaRecord(
            "desa",
            r["kode"],
            r["nama"],
            r["kode_kec"],
            r["jenis"] or None,
            _multipolygon(by_point[i]),
        )
        for i, r in enumerate(rows)
    ]
    names = {r["kode_kec"]: r["nama_kec"] for r in rows}
    kecamatan = [
        AreaRecord(
            "kecamatan",
            code,
            names[code],
            "36.04",
            None,
            _multipolygon(unary_union([d.geom for d in desa if d.parent_code == code]).buffer(0)),
        )
        for code in sorted(names)
    ]
    return kecamatan + desa


def to_feature(record: AreaRecord) -> dict:
    return {
        "type": "Feature",
        "id": record.code,
        "geometry": mapping(record.geom),
        "properties": {"kode": record.code, "nama": record.name, "level": record.level},
    }
