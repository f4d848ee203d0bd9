"""OGC API - Features Part 1 (core, GeoJSON): parameters, links, documents."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import request

from gateway.problems import Problem
from servicekit.config import env_float, env_int

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
GEOJSON = "application/geo+json"
REGENCY_BBOX = [105.8248, -6.3358, 106.4118, -5.8076]
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
STANDARD_PARAMS = {"bbox", "limit", "offset", "datetime", "f"}


def base_url() -> str:
    return request.host_url.rstrip("/") + "/gis"


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def _bad(param: str, message: str) -> Problem:
    return Problem(400, f"Parameter {param} tidak valid.", {param: [message]})


def parse_bbox(raw: str) -> list[float]:
    parts = raw.split(",")
    if len(parts) == 6:
        raise _bad("bbox", "bbox 3D tidak didukung; pakai minLon,minLat,maxLon,maxLat")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise _bad("bbox", "harus empat angka: minLon,minLat,maxLon,maxLat") from None
    if len(values) != 4 or any(v != v for v in values):
        raise _bad("bbox", "harus empat angka: minLon,minLat,maxLon,maxLat")
    min_lon, min_lat, max_lon, max_lat = values
    if not (
        -180 <= min_lon <= 180
        and -180 <= max_lon <= 180
        and -90 <= min_lat <= 90
        and -90 <= max_lat <= 90
    ):
        raise _bad("bbox", "koordinat di luar jangkauan WGS84")
    if min_lon > max_lon or min_lat > max_lat:
        raise _bad("bbox", "terbalik: min harus lebih kecil dari max")
    limit = env_float("GIS_MAX_BBOX_DEGREES", 2.0, minimum=0.01)
    if max_lon - min_lon > limit or max_lat - min_lat > limit:
        raise _bad(
            "bbox",
            f"terlalu besar: paling lebar {limit:g} derajat (wilayah Kabupaten Serang ±0,6 derajat)",
        )
    return values


def _instant(raw: str, param: str) -> datetime | None:
    if raw in ("", ".."):
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(
            param, "harus tanggal-waktu RFC 3339, mis. 2026-11-01T00:00:00Z, atau interval a/b"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_datetime(raw: str) -> tuple[datetime | None, datetime | None]:
    if "/" in raw:
        start_raw, _, end_raw = raw.partition("/")
        start, end = _instant(start_raw, "datetime"), _instant(end_raw, "datetime")
        if start and end and end < start:
            raise _bad("datetime", "akhir interval sebelum awalnya")
        return start, end
    instant = _instant(raw, "datetime")
    if instant is None:
        raise _bad("datetime", "harus tanggal-waktu atau interval")
    return instant, instant


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d+", raw):
        raise _bad(name, f"harus bilangan bulat {low}..{high}")
    value = int(raw)
    if not low <= value <= high:
        raise _bad(name, f"harus {low}..{high}")
    return value


def item_params(collection: dict) -> dict:
    """Validated query parameters of /items: unknown ones are refused by name."""
    queryables = set(collection["queryables"])
    unknown = sorted(set(request.args) - STANDARD_PARAMS - queryables)
    if unknown:
        raise Problem(
            400,
            "Parameter tidak dikenal.",
            {
                name: [
                    f"tidak dikenal; yang dapat dipakai: {', '.join(sorted(STANDARD_PARAMS | queryables))}"
                ]
                for name in unknown
            },
        )
    if request.args.get("f", "json") not in ("json", "geojson"):
        raise _bad("f", "hanya json")
    params: dict = {
        "limit": _int("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        "offset": _int("offset", 0, 0, env_int("GIS_MAX_OFFSET", 1_000_000, minimum=1)),
        "filters": {
            k: request.args[k] for k in queryables if request.args.get(k) not in (None, "")
        },
    }
    if request.args.get("bbox"):
        params["bbox"] = parse_bbox(request.args["bbox"])
    if request.args.get("datetime"):
        if collection["kind"] != "points":
            raise _bad("datetime", "hanya untuk lapisan titik (pengaduan, usulan)")
        start, end = parse_datetime(request.args["datetime"])
        params["interval"] = [
            start.isoformat() if start else None,
            end.isoformat() if end else None,
        ]
    return params


def page_links(url: str, params: dict, matched: int, returned: int) -> list[dict]:
    """self, and next/prev with the same query but another offset."""
    args = request.args.to_dict()

    def with_offset(offset: int) -> str:
        return url + "?" + urlencode(args | {"offset": offset, "limit": params["limit"]})

    links = [link(url + ("?" + urlencode(args) if args else ""), "self", GEOJSON, "halaman ini")]
    if params["offset"] + returned < matched:
        links.append(
            link(
                with_offset(params["offset"] + params["limit"]),
                "next",
                GEOJSON,
                "halaman berikutnya",
            )
        )
    if params["offset"] > 0:
        links.append(
            link(
                with_offset(max(0, params["offset"] - params["limit"])),
                "prev",
                GEOJSON,
                "halaman sebelumnya",
            )
        )
    return links
