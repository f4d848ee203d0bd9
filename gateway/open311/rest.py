"""Open311 GeoReport v2 at /open311/v2/, following the specification literally.

One jurisdiction (serangkab.go.id): jurisdiction_id is optional, and any other value is 404.
Errors are the specification's list of {code, description} with the HTTP status in `code`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Blueprint, request

from gateway.access import OPEN311_KEY, PUBLIC, access
from gateway.api import rpc
from gateway.open311.format import errors, render
from gateway.problems import Problem
from gateway.rpc import GatewayUnavailable
from servicekit.errors import ServiceError
from services.complaints.contract import (
    OPEN_STATUSES,
    STATUSES,
    ComplaintsClient,
    open311_status,
)

blueprint = Blueprint("open311", __name__, url_prefix="/open311/v2")

JURISDICTION = "serangkab.go.id"
FMT = "<any(json,xml):fmt>"
MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
complaints = ComplaintsClient(rpc)
SERVICE_NOTICE = "Laporan diteruskan ke {agency}. Ikuti perkembangannya dengan nomor {id}."


class Open311Error(Exception):
    def __init__(self, status: int, *messages: str):
        super().__init__(messages[0])
        self.status = status
        self.messages = list(messages)


def _fmt() -> str:
    return (request.view_args or {}).get("fmt", "json")


@blueprint.errorhandler(Open311Error)
def _open311_error(exc: Open311Error):
    return errors(_fmt(), exc.status, exc.messages)


@blueprint.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    status = {422: 400, 401: 403}.get(exc.status, exc.status)
    messages = [f"{field}: {'; '.join(map(str, msgs))}" for field, msgs in exc.errors.items()] or [
        exc.message
    ]
    return errors(_fmt(), status, messages)


@blueprint.errorhandler(Problem)
def _problem(exc: Problem):
    messages = [f"{field}: {msgs}" for field, msgs in (exc.errors or {}).items()] or [exc.detail]
    return errors(_fmt(), exc.status, messages)


@blueprint.errorhandler(GatewayUnavailable)
def _unavailable(exc: GatewayUnavailable):
    return errors(_fmt(), exc.status, [exc.detail])


@blueprint.before_request
def _check_jurisdiction():
    jurisdiction = request.values.get("jurisdiction_id")
    if jurisdiction and jurisdiction != JURISDICTION:
        raise Open311Error(
            404, f"jurisdiction_id {jurisdiction} not found; this endpoint serves {JURISDICTION}"
        )


def _absolute(path: str | None) -> str | None:
    return request.host_url.rstrip("/") + path if path and path.startswith("/") else path


def _service(category: dict) -> dict:
    return {
        "service_code": category["code"],
        "service_name": category["name"],
        "description": category["description"],
        "metadata": bool(category["attributes"]),
        "type": "realtime",
        "keywords": category["keywords"],
        "group": category["group"],
    }


def _definition(category: dict) -> dict:
    return {
        "service_code": category["code"],
        "attributes": [
            {
                "variable": a.get("variable", True),
                "code": a["code"],
                "datatype": a["datatype"],
                "required": a.get("required", False),
                "datatype_description": a.get("datatype_description"),
                "order": a.get("order", 1),
                "description": a["description"],
                "values": [{"key": v["key"], "name": v["name"]} for v in a.get("values", [])],
            }
            for a in category["attributes"]
        ],
    }


def _request(report: dict) -> dict:
    photos = report.get("photos") or []
    return {
        "service_request_id": report["public_id"],
        "status": open311_status(report["status"]),
        "status_notes": report.get("status_note") or report["status_label"],
        "service_name": report["category_name"],
        "service_code": report["category"],
        "description": report["description"],
        "agency_responsible": report["agency"],
        "service_notice": SERVICE_NOTICE.format(agency=report["agency"], id=report["public_id"]),
        "requested_datetime": report["requested_at"],
        "updated_datetime": report["updated_at"],
        "expected_datetime": report.get("due_at"),
        "address": report.get("address")
        or ", ".join(p for p in (report.get("desa"), report.get("kecamatan")) if p),
        "address_id": None,
        "zipcode": None,
        "lat": report["lat"],
        "long": report["lon"],
        "media_url": _absolute(photos[0]["url"]) if photos else report.get("media_url"),
    }


@blueprint.get("/discovery." + FMT)
@access(PUBLIC)
def discovery(fmt):
    """Service discovery: where this endpoint is and what it speaks."""
    base = request.host_url.rstrip("/") + "/open311/v2/"
    return render(
        fmt,
        "discovery",
        {
            "changeset": "2026-11-23T00:00:00Z",
            "contact": "Diskominfosatik Kabupaten Serang",
            "key_service": "api_key diterbitkan oleh admin Gawe untuk organisasi",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-23T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


@blueprint.get("/services." + FMT)
@access(PUBLIC)
def services(fmt):
    """GET Service List."""
    return render(fmt, "services", [_service(c) for c in complaints.list_categories()])


@blueprint.get("/services/<service_code>." + FMT)
@access(PUBLIC)
def service_definition(service_code, fmt):
    """GET Service Definition."""
    return render(fmt, "service_definition", _definition(complaints.get_category(service_code)))


def _attributes(form) -> dict:
    values: dict = {}
    for key in form:
        match = ATTRIBUTE.match(key)
        if match:
            code, multi = match.groups()
            values[code] = form.getlist(key) if multi else form.get(key)
    return values


@blueprint.post("/requests." + FMT)
@access(OPEN311_KEY)
def create_request(fmt):
    """POST Service Request (application/x-www-form-urlencoded; api_key required)."""
    form = request.form if request.mimetype != "application/json" else _json_form()
    api_key = form.get("api_key")
    if not api_key:
        raise Open311Error(403, "api_key: required to create a service request")
    if not form.get("service_code"):
        raise Open311Error(400, "service_code: not provided")
    if not form.get("lat") or not form.get("long"):
        raise Open311Error(
            400, "lat & long: required (address_string and address_id alone are not geocoded here)"
        )
    names = " ".join(n for n in (form.get("first_name"), form.get("last_name")) if n) or None
    payload = {
        "category": form["service_code"],
        "lat": form["lat"],
        "lon": form["long"],
        "address": form.get("address_string") or None,
        "description": form.get("description") or "",
        "attributes": _attributes(form),
        "contact_email": form.get("email") or None,
        "contact_name": names,
        "contact_phone": form.get("phone") or None,
        "media_url": form.get("media_url") or None,
        "ignore_duplicates": True,
    }
    report = complaints.create_report(payload, api_key=api_key)["report"]
    body = [
        {
            "service_request_id": report["public_id"],
            "service_notice": SERVICE_NOTICE.format(
                agency=report["agency"], id=report["public_id"]
            ),
            "account_id": None,
        }
    ]
    return render(fmt, "service_requests", body, status=201)


def _json_form():
    from werkzeug.datastructures import MultiDict

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Open311Error(400, "body: expected form fields (application/x-www-form-urlencoded)")
    return MultiDict({k: v for k, v in data.items() if not isinstance(v, dict | list)})


def _w3(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, f"{name}: must be a w3 datetime, e.g. 2026-01-01T00:00:00Z"
        ) from None
    if value.tzinfo is None:
        raise Open311Error(400, f"{name}: must include a timezone (Z or +07:00)")
    return value


def _csv(name: str) -> list[str]:
    return [v.strip() for v in request.args.get(name, "").split(",") if v.strip()]


@blueprint.get("/requests." + FMT)
@access(PUBLIC)
def list_requests(fmt):
    """GET Service Requests: by service_request_id (overrides the rest), service_code, start_date,
    end_date (at most 90 days apart; default the last 90 days) and status; at most 1000, newest first."""
    ids = _csv("service_request_id")
    criteria: dict = {"limit": MAX_REQUESTS}
    if ids:
        criteria["ids"] = ids[:MAX_REQUESTS]
    else:
        start, end = _w3("start_date"), _w3("end_date")
        if start and end and end < start:
            raise Open311Error(400, "end_date: before start_date")
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, "start_date/end_date: may not span more than 90 days")
        end = end or (start + MAX_SPAN if start else datetime.now(UTC))
        start = start or end - MAX_SPAN
        statuses = set(_csv("status"))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status: options are open, closed")
        detailed = []
        if "open" in statuses:
            detailed += sorted(OPEN_STATUSES)
        if "closed" in statuses:
            detailed += [s for s in STATUSES if s not in OPEN_STATUSES]
        criteria |= {
            "categories": _csv("service_code"),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "statuses": detailed or None,
        }
    reports = complaints.search_requests(criteria)
    return render(fmt, "service_requests", [_request(r) for r in reports])


@blueprint.get("/requests/<service_request_id>." + FMT)
@access(PUBLIC)
def get_request(service_request_id, fmt):
    """GET Service Request."""
    return render(fmt, "service_requests", [_request(complaints.get_report(service_request_id))])


@blueprint.get("/tokens/<token>." + FMT)
@access(PUBLIC)
def token(token, fmt):
    """GET service_request_id from a token."""
    return render(fmt, "service_requests", [complaints.get_report_by_token(token)])


@blueprint.get("/servicerequestupdates." + FMT)
@access(PUBLIC)
def updates(fmt):
    """GET Service Request Updates (the common extension): status changes between start_date and
    end_date (default the last 24 hours), at most 1000, oldest first."""
    end = _w3("end_date") or datetime.now(UTC)
    start = _w3("start_date") or end - timedelta(days=1)
    if end - start > MAX_SPAN or end < start:
        raise Open311Error(400, "start_date/end_date: a range of at most 90 days")
    rows = complaints.updates(start.isoformat(), end.isoformat(), MAX_REQUESTS)
    body = [
        {
            "update_id": row["update_id"],
            "service_request_id": row["service_request_id"],
            "status": open311_status(row["status"]),
            "external_status_code": row["status"],
            "updated_datetime": row["updated_datetime"],
            "description": row["description"],
            "media_url": None,
        }
        for row in rows
    ]
    return render(fmt, "service_request_updates", body)
