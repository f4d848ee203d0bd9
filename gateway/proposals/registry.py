"""Serang Open's public registry (`/api/v1/registry/proposals…`), on the proposals blueprint.

It needs no login and its response schemas hold public fields only: whatever a service returned
beyond them never leaves the gateway. gateway/proposals/rest.py imports this module, so the
blueprint the gateway discovers there carries these routes too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, jsonify, request

from gateway.access import PUBLIC, access
from gateway.api import endpoint, load_query, project
from gateway.proposals.rest import blueprint, proposals
from servicekit.csvsafe import write_csv
from servicekit.opendata import open_data_license
from servicekit.trail import TrailSchema, TrailsPageSchema, TrailsQuerySchema
from services.proposals.contract import (
    EXPORT_FIELDS,
    FUNDER_ID,
    FUNDER_NAME,
    ApplicationExportSchema,
    ExportQuerySchema,
    GrantPackageSchema,
    PublicProposalSchema,
    RegistryPageSchema,
    RegistryQuerySchema,
    package,
)

PUBLIC_TAGS = ("Hibah & bansos (registri publik)",)
GRANT_PACKAGE = GrantPackageSchema()
APPLICATION_EXPORT = ApplicationExportSchema()


@blueprint.get("/api/v1/registry/proposals")
@endpoint(
    "Registri publik usulan hibah & bansos",
    tags=PUBLIC_TAGS,
    query=RegistryQuerySchema,
    response=RegistryPageSchema,
    access=PUBLIC,
)
def registry(query):
    """Every submitted proposal (no login): recipient (individuals by initials and desa), kind,
    agency, the money trail, stage and timeline, LPJ status, map point; filters year, kind,
    stage (comma list), agency, kecamatan; totals per year, kind, agency and kecamatan."""
    return proposals.registry(query)


@blueprint.get("/api/v1/registry/proposals.csv")
@access(PUBLIC)
def registry_csv():
    """Open data, CSV with 360Giving column names (same filters as the registry). Only the
    public contract's columns are written, and no cell can start a spreadsheet formula."""
    data = proposals.registry_export(load_query(ExportQuerySchema()), "csv")
    return Response(
        write_csv(EXPORT_FIELDS, data["rows"]),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="serang-open-hibah-bansos.csv"'},
    )


@blueprint.get("/api/v1/registry/grants.360g.json")
@blueprint.get("/api/v1/registry/proposals.json")
@access(PUBLIC)
def registry_json():
    """Open data: the awarded grants (from the regent's decision on) as a 360Giving 1.4 data
    package (services/proposals/opendata.py), same filters as the registry; only the fields the
    public contract declares. `/api/v1/registry/proposals.json` is its older address."""
    site = request.host_url.rstrip("/")
    data = proposals.registry_export(load_query(ExportQuerySchema()), "grants")
    document = package(
        data["grants"],
        site,
        f"{site}/api/v1/registry/grants.360g.json",
        open_data_license(),
        datetime.now(UTC),
    )
    response = jsonify(project(GRANT_PACKAGE, document))
    response.headers["Content-Disposition"] = 'inline; filename="serang-open-grants.360g.json"'
    return response


@blueprint.get("/api/v1/registry/applications.json")
@access(PUBLIC)
def registry_applications():
    """Open data: the submitted proposals not (yet) awarded, in a shape of their own (a
    360Giving file holds grants only); same filters as the registry."""
    data = proposals.registry_export(load_query(ExportQuerySchema()), "applications")
    document = {
        "title": "Serang Open: usulan hibah dan bansos yang belum diputuskan",
        "publisher": {"identifier": FUNDER_ID, "name": FUNDER_NAME},
        "license": open_data_license(),
        "issued": datetime.now(UTC).date().isoformat(),
        "applications": data["applications"],
    }
    response = jsonify(project(APPLICATION_EXPORT, document))
    response.headers["Content-Disposition"] = 'inline; filename="serang-open-applications.json"'
    return response


@blueprint.get("/api/v1/registry/proposals/<proposal_id:public_id>")
@endpoint(
    "Satu usulan di registri publik",
    tags=PUBLIC_TAGS,
    response=PublicProposalSchema,
    errors=(404,),
    access=PUBLIC,
)
def registry_entry(public_id):
    """One submitted proposal with its public timeline."""
    return proposals.registry_entry(public_id)


@blueprint.get("/api/v1/registry/proposals/<proposal_id:public_id>/trail")
@endpoint(
    "Jejak publik satu usulan (rantai hash)",
    tags=PUBLIC_TAGS,
    response=TrailSchema,
    errors=(404,),
    access=PUBLIC,
)
def registry_trail(public_id):
    """The hash chain of a submitted proposal's public steps, which anyone can recompute and
    compare with the signed daily digests (docs/transparency.md)."""
    return proposals.trail(public_id)


@blueprint.get("/api/v1/registry/trails")
@endpoint(
    "Jejak publik semua usulan, per halaman",
    tags=PUBLIC_TAGS,
    query=TrailsQuerySchema,
    response=TrailsPageSchema,
    access=PUBLIC,
)
def registry_trails(query):
    """Every proposal's chain in chain order, `limit` chains a page; `next` is the `after` of
    the next page (null on the last). For verifiers such as `python -m gawe_verify`."""
    return proposals.trails(query)
