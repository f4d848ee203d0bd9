"""The open-data catalogue (issue #17): `/api/v1/data/catalog` (DCAT-US 1.1 JSON, which CKAN's
harvester and Indonesia's Satu Data portals read) and the page `/data`, listing every dataset
the installed apps name in their manifests (servicekit/opendata.py), with its license, how
often it changes, and its download links."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, render_template, request

from gateway.access import PUBLIC, access
from servicekit.apps import installed_apps
from servicekit.opendata import FREQUENCY_LABELS, dcat, open_data_license

blueprint = Blueprint("data", __name__, template_folder="templates")


def _datasets() -> list[tuple[str, object]]:
    return [(spec.name, dataset) for spec in installed_apps() for dataset in spec.datasets]


def _catalog() -> dict:
    today = datetime.now(UTC).date().isoformat()
    return dcat(_datasets(), request.host_url.rstrip("/"), today)


@blueprint.get("/api/v1/data/catalog")
@access(PUBLIC)
def catalog():
    """Every public dataset: title, description, publisher, license, update frequency,
    formats and download links (DCAT-US 1.1, `application/json`)."""
    response = jsonify(_catalog())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.get("/data")
@access(PUBLIC)
def data_page():
    """Data terbuka: the same catalogue for people."""
    return render_template(
        "data/catalog.html",
        catalog=_catalog(),
        frequency=FREQUENCY_LABELS,
        license=open_data_license(),
    )
