"""GIS over HTTP: locate, spatial queries, area search (/api/v1/gis) and OGC API - Features (/gis)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, json, request
from marshmallow import Schema, fields, validate

from gateway.access import ADMIN_ONLY, PUBLIC, access
from gateway.api import endpoint, rpc
from gateway.gis.answers import Answers
from gateway.gis.edge import EdgeLocator
from gateway.gis.ogc import (
    CONFORMANCE,
    CRS84,
    GEOJSON,
    MAX_LIMIT,
    REGENCY_BBOX,
    base_url,
    item_params,
    link,
    page_links,
)
from gateway.problems import Problem
from servicekit.config import env_bool, env_float
from services.gis.contract import (
    AreaMatchSchema,
    AreaSearchSchema,
    BoundarySetSchema,
    GisClient,
    ImportResultSchema,
    LocateBatchSchema,
    LocateQuerySchema,
    LocationSchema,
    NearbyQuerySchema,
    NearbySchema,
    NearestQuerySchema,
)

blueprint = Blueprint("gis", __name__)
TAGS = ("Peta (GIS)",)
IMPORT_MAX_BYTES = 50 * 1024 * 1024
gis = GisClient(rpc)


class BoundaryImportSchema(Schema):
    version = fields.String(required=True, validate=validate.Length(min=1, max=80))
    source = fields.String(required=True, validate=validate.Length(min=1, max=300))
    geojson = fields.Dict(
        required=True, metadata={"description": "FeatureCollection kecamatan dan desa"}
    )


@blueprint.get("/api/v1/gis/locate")
@endpoint(
    "Titik ini di desa mana?",
    tags=TAGS,
    query=LocateQuerySchema,
    response=LocationSchema,
    access=PUBLIC,
)
def locate(query):
    """The desa and kecamatan of a point (a point on a border counts as inside). Outside Kabupaten
    Serang: inside=false, with the nearest desa and its distance in metres."""
    answers = _edge_locate([(query["lat"], query["lon"])])
    return answers[0] if answers is not None else gis.locate(query["lat"], query["lon"])


@blueprint.post("/api/v1/gis/locate")
@endpoint(
    "Banyak titik sekaligus",
    tags=TAGS,
    body=LocateBatchSchema,
    response=LocationSchema,
    many=True,
    access=PUBLIC,
)
def locate_batch(body):
    """Up to 10,000 [lat, lon] points in one request, answered in the same order."""
    answers = _edge_locate([(lat, lon) for lat, lon in body["points"]])
    return answers if answers is not None else gis.locate_many(body["points"])


def _edge() -> EdgeLocator | None:
    """This process's copy of the gis index (see gateway/gis/edge.py); None when turned off."""
    extensions = current_app.extensions
    if "gawe_gis_edge" not in extensions:
        extensions["gawe_gis_edge"] = (
            EdgeLocator(
                GisClient(extensions["gawe_rpc"].call),
                env_float("GIS_EDGE_CHECK_SECONDS", 10.0, 0.0),
            )
            if env_bool("GIS_EDGE_LOCATE", True)
            else None
        )
    return extensions["gawe_gis_edge"]


def _edge_locate(points: list[tuple[float, float]]) -> list[dict] | None:
    edge = _edge()
    return edge.locate_many(points) if edge is not None else None


@blueprint.get("/api/v1/gis/nearby")
@endpoint(
    "Titik lapisan di sekitar",
    tags=TAGS,
    query=NearbyQuerySchema,
    response=NearbySchema,
    many=True,
    access=PUBLIC,
)
def nearby(query):
    """Points of a public layer (complaints, proposals) within radius_m metres, nearest first."""
    return gis.nearby(
        query["layer"],
        query["lat"],
        query["lon"],
        query["radius_m"],
        {},
        query["limit"],
    )


@blueprint.get("/api/v1/gis/nearest")
@endpoint(
    "Titik lapisan terdekat",
    tags=TAGS,
    query=NearestQuerySchema,
    response=NearbySchema,
    many=True,
    access=PUBLIC,
)
def nearest(query):
    """The k nearest points of a public layer."""
    return gis.nearest(query["layer"], query["lat"], query["lon"], query["k"])


@blueprint.get("/api/v1/gis/areas")
@endpoint(
    "Cari kecamatan atau desa",
    tags=TAGS,
    query=AreaSearchSchema,
    response=AreaMatchSchema,
    many=True,
    access=PUBLIC,
)
def areas(query):
    """By name or code, tolerant of alternative spellings (Tanjung Teja finds Tunjung Teja)."""
    return gis.search_areas(query["q"], query["level"], query["limit"])


@blueprint.get("/api/v1/gis/boundary-sets")
@endpoint("Versi batas wilayah", tags=TAGS, response=BoundarySetSchema, many=True, access=PUBLIC)
def boundary_sets():
    """Every imported boundary version; `current` marks the one in use, `approximate` a demo set."""
    return gis.boundary_sets()


@blueprint.post("/api/v1/admin/gis/boundaries")
@endpoint(
    "Impor batas wilayah",
    tags=("Admin",),
    body=BoundaryImportSchema,
    response=ImportResultSchema,
    roles=("admin",),
    errors=(422,),
    max_body=IMPORT_MAX_BYTES,
    access=ADMIN_ONLY,
)
def import_boundaries(body):
    """A new boundary version from a GeoJSON FeatureCollection; a bad file is refused with each
    feature's problem and changes nothing; the same content again changes nothing.

    Aturan antar-kolom (422 naming the feature): `geojson` is a FeatureCollection of polygons
    of kecamatan and desa with their codes and names, each desa inside its kecamatan."""
    result = gis.import_boundaries(body["geojson"], body["version"], body["source"])
    if (edge := _edge()) is not None:
        edge.forget()  # this process answers from the new version at once; others within a check
    _answers().forget()  # the same for the OGC answers (others within GIS_ANSWER_CHECK_SECONDS)
    return result


# --- OGC API - Features ------------------------------------------------------------------------


def _json(document: dict, media_type: str = "application/json") -> Response:
    return Response(json.dumps(document, ensure_ascii=False), mimetype=media_type)


def _collection(meta: dict) -> dict:
    url = f"{base_url()}/collections/{meta['id']}"
    return {
        "id": meta["id"],
        "title": meta["title"],
        "description": meta["description"],
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [REGENCY_BBOX], "crs": CRS84}},
        "links": [
            link(url, "self", "application/json", meta["title"]),
            link(f"{url}/items", "items", GEOJSON, f"{meta['title']} (GeoJSON)"),
        ],
    }


def _answers() -> Answers:
    """This app's answers kept per boundary set (gateway/gis/answers.py)."""
    extensions = current_app.extensions
    if "gawe_gis_answers" not in extensions:
        extensions["gawe_gis_answers"] = Answers(
            check_seconds=env_float("GIS_ANSWER_CHECK_SECONDS", 1.0, 0.0)
        )
    return extensions["gawe_gis_answers"]


def _current() -> tuple[tuple, list[dict]]:
    """The current boundary set (id, version) and gis's collections, asked once per set."""
    answers = _answers()
    set_key = answers.current(gis.boundary_version)
    return set_key, answers.collections(set_key, gis.collections)


def _find_collection(collection_id: str) -> tuple[tuple, dict]:
    """The current boundary set (id, version) and the collection's description."""
    set_key, found = _current()
    for meta in found:
        if meta["id"] == collection_id:
            return set_key, meta
    raise Problem(404, "Koleksi tidak dikenal.", {"collectionId": [collection_id]})


@blueprint.get("/gis")
@blueprint.get("/gis/")
@access(PUBLIC)
def landing():
    """OGC API - Features landing page."""
    base = base_url()
    return _json(
        {
            "title": "Peta wilayah Kabupaten Serang",
            "description": "Batas kecamatan dan desa, serta lapisan titik pengaduan dan usulan (OGC API - Features).",
            "links": [
                link(base, "self", "application/json", "halaman ini"),
                link(base + "/conformance", "conformance", "application/json", "kelas kesesuaian"),
                link(base + "/collections", "data", "application/json", "koleksi"),
                link(
                    base.removesuffix("/gis") + "/api/v1/openapi.json",
                    "service-desc",
                    "application/vnd.oai.openapi+json;version=3.0",
                    "dokumen OpenAPI",
                ),
                link(
                    base.removesuffix("/gis") + "/api/docs",
                    "service-doc",
                    "text/html",
                    "dokumentasi",
                ),
            ],
        }
    )


@blueprint.get("/gis/conformance")
@access(PUBLIC)
def conformance():
    return _json({"conformsTo": CONFORMANCE})


@blueprint.get("/gis/collections")
@access(PUBLIC)
def collections():
    base = base_url()
    return _json(
        {
            "links": [link(base + "/collections", "self", "application/json", "koleksi")],
            "collections": [_collection(meta) for meta in _current()[1]],
        }
    )


@blueprint.get("/gis/collections/<collection_id>")
@access(PUBLIC)
def collection(collection_id: str):
    return _json(_collection(_find_collection(collection_id)[1]))


@blueprint.get("/gis/collections/<collection_id>/items")
@access(PUBLIC)
def items(collection_id: str):
    set_key, meta = _find_collection(collection_id)
    params = item_params(meta)
    if meta["kind"] != "area":
        return _items_document(collection_id, meta, params)
    if "bbox" in params and not params["filters"] and "interval" not in params:
        # a bbox of an area collection: from this process's copy of the collection
        index = _answers().index(collection_id, set_key, lambda: _whole(collection_id))
        if index is not None:
            return _bbox_answer(collection_id, meta, params, index)
    # any other query of an area collection: built once per boundary set (gateway/gis/answers.py)
    query = json.dumps(params, sort_keys=True, default=str)
    return _kept(
        (collection_id, query, base_url(), *set_key),
        lambda: _items_document(collection_id, meta, params).get_data(),
    )


def _whole(collection_id: str) -> dict | None:
    """gis's whole area collection in its order, or None when one page cannot hold it."""
    found = gis.items(collection_id, {"limit": MAX_LIMIT, "offset": 0, "filters": {}})
    return found if found["matched"] <= len(found["features"]) else None


def _bbox_answer(collection_id: str, meta: dict, params: dict, index) -> Response:
    fragments, matched = index.query(params["bbox"], params["limit"], params["offset"])
    rest = {
        "numberMatched": matched,
        "numberReturned": len(fragments),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": _items_links(collection_id, meta, params, matched, len(fragments)),
    }
    body = (
        b'{"type": "FeatureCollection", "features": ['
        + b", ".join(fragments)
        + b"], "
        + json.dumps(rest, ensure_ascii=False)[1:].encode()
    )
    response = Response(body, mimetype=GEOJSON)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _kept(key: tuple, build) -> Response:
    """The answer kept for `key` (built by `build()` the first time), with its strong ETag."""
    answers = _answers()
    body, etag = answers.get(key) or answers.put(key, build())
    response = Response(body, mimetype=GEOJSON)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"  # revalidate: 304 while the set is current
    return response.make_conditional(request)


def _items_document(collection_id: str, meta: dict, params: dict) -> Response:
    found = gis.items(collection_id, params)
    features = found["features"]
    document = {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": found["matched"],
        "numberReturned": len(features),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": _items_links(collection_id, meta, params, found["matched"], len(features)),
    }
    return _json(document, GEOJSON)


def _items_links(collection_id: str, meta: dict, params: dict, matched: int, returned: int):
    url = f"{base_url()}/collections/{collection_id}"
    return page_links(f"{url}/items", params, matched, returned) + [
        link(url, "collection", "application/json", meta["title"])
    ]


@blueprint.get("/gis/collections/<collection_id>/items/<feature_id>")
@access(PUBLIC)
def feature(collection_id: str, feature_id: str):
    set_key, meta = _find_collection(collection_id)
    if meta["kind"] == "area":  # one desa or kecamatan: kept per boundary set like the items
        return _kept(
            ("item", collection_id, feature_id, base_url(), *set_key),
            lambda: _feature_document(collection_id, feature_id, meta).get_data(),
        )
    return _feature_document(collection_id, feature_id, meta)


def _feature_document(collection_id: str, feature_id: str, meta: dict) -> Response:
    found = gis.feature(collection_id, feature_id)
    url = f"{base_url()}/collections/{collection_id}"
    found["links"] = [
        link(f"{url}/items/{feature_id}", "self", GEOJSON),
        link(url, "collection", "application/json", meta["title"]),
    ]
    return _json(found, GEOJSON)
