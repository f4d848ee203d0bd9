"""Leaflet and its marker clusters, from their PyPI packages (XStatic), served by the gateway:
the maps load nothing from outside. Only the files a browser needs (scripts, styles, images);
any other name, or one leaving the package's directory, is 404."""

from __future__ import annotations

from pathlib import PurePosixPath

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from flask import Blueprint, abort, send_from_directory

from gateway.access import PUBLIC, access

blueprint = Blueprint("vendor", __name__)

SERVED = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
# The pages add ?v=<version> to these URLs, so a browser may keep a file for a year.
MAX_AGE = 365 * 24 * 3600
VERSIONS = {"leaflet": leaflet.VERSION, "markercluster": markercluster.VERSION}


def _send(base_dir: str, filename: str):
    path = PurePosixPath(filename)
    if path.suffix not in SERVED or ".." in path.parts or path.is_absolute():
        abort(404)
    response = send_from_directory(  # safe_join: 404 outside base_dir
        base_dir, filename, mimetype=SERVED[path.suffix], max_age=MAX_AGE, conditional=True
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@blueprint.get("/static/vendor/leaflet/<path:leaflet_file>")
@access(PUBLIC)
def leaflet_file(leaflet_file: str):
    return _send(leaflet.BASE_DIR, leaflet_file)


@blueprint.get("/static/vendor/leaflet.markercluster/<path:cluster_file>")
@access(PUBLIC)
def markercluster_file(cluster_file: str):
    return _send(markercluster.BASE_DIR, cluster_file)


@blueprint.app_context_processor
def vendor_versions() -> dict:
    return {"vendor_versions": VERSIONS}
