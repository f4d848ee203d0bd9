"""Serang Open's public registry (`/api/v1/registry/proposals…`), on the proposals blueprint.

It needs no login and its response schemas hold public fields only: whatever a service returned
beyond them never leaves the gateway. gateway/proposals/rest.py imports this module, so the
blueprint the gateway discovers there carries these routes too.
"""

from __future__ import annotations

from flask import Response, jsonify

from gateway.access import PUBLIC, access
from gateway.api import endpoint, load_query, project
from gateway.proposals.rest import blueprint, proposals
from servicekit.csvsafe import write_csv
from services.proposals.contract import (
    EXPORT_FIELDS,
    ExportQuerySchema,
    GrantExportSchema,
    PublicProposalSchema,
    RegistryPageSchema,
    RegistryQuerySchema,
)

PUBLIC_TAGS = ("Hibah & bansos (registri publik)",)
GRANT_EXPORT = GrantExportSchema()


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


@blueprint.get("/api/v1/registry/proposals.json")
@access(PUBLIC)
def registry_json():
    """Open data, 360Giving JSON (`grants`), same filters as the registry; only the fields the
    public contract declares."""
    data = proposals.registry_export(load_query(ExportQuerySchema()), "json")
    response = jsonify(project(GRANT_EXPORT, data))
    response.headers["Content-Disposition"] = 'inline; filename="serang-open-hibah-bansos.json"'
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
