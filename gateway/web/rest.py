"""Public web pages (server-rendered, Bahasa Indonesia, no external assets)."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, g, make_response, redirect, render_template, request
from jinja2 import pass_context
from marshmallow import ValidationError

from gateway.access import PUBLIC, REPORTER_OR_AGENCY, access
from gateway.api import rpc
from gateway.complaints import rest as complaints_api
from gateway.limits import limited, signed_in
from gateway.problems import Problem
from gateway.uploads import allow_upload_body
from gateway.web.fields import error_lines
from gateway.workspace.session import check_csrf, load_actor
from servicekit.dates import tanggal
from servicekit.errors import ServiceError
from services.complaints.contract import (
    MODERATION_LABELS,
    OPEN_STATUSES,
    RECATEGORISE,
    RECATEGORISE_LABEL,
    STATUS_LABELS,
    ComplaintsClient,
    ListQuerySchema,
    ReportCreateSchema,
)
from services.proposals.contract import (
    KIND_LABELS,
    PRIVATE_STAGES,
    STAGE_LABELS,
    ProposalsClient,
    RegistryQuerySchema,
)

blueprint = Blueprint("web", __name__)
WIB = ZoneInfo("Asia/Jakarta")
# named *_client: `complaints` and `proposals` are the listing pages below
complaints_client = ComplaintsClient(rpc)
proposals_client = ProposalsClient(rpc)


@blueprint.app_template_filter("wib")
def wib(value: str | None) -> str:
    """An ISO timestamp shown in Western Indonesia Time."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")


@blueprint.app_template_filter("tanggal")
def tanggal_filter(value: str | None) -> str:
    """An ISO date as people read it: "31 Desember 2027" (none: empty)."""
    return tanggal(date.fromisoformat(value[:10])) if value else ""


@blueprint.app_template_filter("rupiah")
def rupiah(value: int | None) -> str:
    """Rp 1.250.000 (an amount not yet decided: a dash)."""
    return "—" if value is None else "Rp " + f"{int(value):,}".replace(",", ".")


# A report's timeline entry that changed no status is headed by what it did.
TIMELINE_LABELS = MODERATION_LABELS | {RECATEGORISE: RECATEGORISE_LABEL}


@blueprint.app_template_global("timeline_heading")
def timeline_heading(entry: dict) -> str:
    """A report's timeline entry in words: the status it led to, or what it did."""
    return TIMELINE_LABELS.get(entry["action"]) or STATUS_LABELS[entry["to_status"]]


@blueprint.app_template_global("staff_only_entry")
def staff_only_entry(entry: dict) -> bool:
    """A moderation: in the timeline of those who moderate, never the public's or reporter's."""
    return entry["action"] in MODERATION_LABELS


@blueprint.app_template_global("error_lines")
@pass_context
def page_error_lines(context, errors) -> list[tuple[str, str]]:
    """A refused form's errors, each field named in words as this page's form names it (by
    the endpoint answering, and the page's own complaint categories): gateway/web/fields.py."""
    return error_lines(errors, request.endpoint, context)


@blueprint.get("/")
@access(PUBLIC)
def home():
    return render_template("home.html")


def map_settings() -> dict:
    """What the maps of a page need from the settings: the base-map tiles, if any."""
    settings = current_app.config["GAWE"]
    return {"tile_url": settings.tile_url, "tile_attribution": settings.tile_attribution}


@blueprint.get("/peta")
@access(PUBLIC)
def boundaries_map():
    """The kecamatan and desa of the regency on a map (from the OGC API, read by the page)."""
    return render_template("peta.html", **map_settings())


@blueprint.get("/pengaduan")
@access(PUBLIC)
def complaints():
    raw = {k: v for k, v in request.args.items() if v}
    try:
        filters = ListQuerySchema().load(raw | {"per_page": raw.get("per_page", "25")})
    except ValidationError as exc:
        raise Problem(400, "Parameter tidak valid.", exc.normalized_messages()) from None
    page = complaints_client.list_reports(filters)

    def query(**change) -> str:
        return urlencode({k: v for k, v in (raw | change).items() if v})

    return render_template(
        "complaints_list.html",
        page=page,
        filters=filters,
        categories=complaints_client.list_categories(),
        statuses=list(STATUS_LABELS.items()),
        query=query,
    )


@blueprint.get("/pengaduan/baru")
@access(PUBLIC)
def new_complaint():
    return complaint_form()


def complaint_form(values=None, error=None, errors=None, duplicates=None, status=200):
    page = render_template(
        "complaint_new.html",
        categories=complaints_client.list_categories(),
        values=values or {},
        error=error,
        errors=errors or {},
        duplicates=duplicates or [],
        **map_settings(),
    )
    return page, status


COMPLAINT_DONE = {
    "support": "Dukungan Anda tercatat",
    "supported_before": "Anda sudah mendukung laporan ini sebelumnya",
    "reopen": "Laporan dibuka kembali dan diteruskan lagi ke OPD",
}


@blueprint.post("/pengaduan/baru")
@access(PUBLIC)
@limited("anonymous_report", exempt_when=signed_in)
def file_complaint():
    """The report form's own endpoint: the API's, acting as whoever is signed in on this
    browser (so the report is theirs: on /saya, with emails), else anonymously."""
    if load_actor().is_authenticated:
        check_csrf()
    if request.mimetype == "application/json":  # the page's own script
        return complaints_api.create()
    return file_complaint_form()


def file_complaint_form():
    """The form posted without JavaScript: filed, the report's page; refused, the form again
    with what was typed and why."""
    values = request.form.to_dict()
    body = {
        key: values[key]
        for key in ("category", "description", "lat", "lon", "address", "contact_email")
        if values.get(key, "").strip()
    }
    for key in ("lat", "lon"):
        if key in body:
            body[key] = body[key].strip().replace(",", ".")
    body["attributes"] = {
        key[5:]: value for key, value in values.items() if key.startswith("attr:") and value
    }
    body["ignore_duplicates"] = values.get("ignore_duplicates") == "1"
    try:
        report = ReportCreateSchema().load(body)
    except ValidationError as exc:
        return complaint_form(values, "Data tidak valid.", exc.normalized_messages(), status=422)
    try:
        result = complaints_client.create_report(report)
    except ServiceError as refused:
        if refused.status >= 500:
            raise
        return complaint_form(values, refused.message, refused.errors, status=refused.status)
    if result["duplicates"]:
        return complaint_form(
            values,
            "Sudah ada laporan serupa di dekat lokasi ini. Apakah salah satu dari ini?",
            duplicates=result["duplicates"],
            status=409,
        )
    return redirect(f"/pengaduan/{result['report']['public_id']}", 303)


@blueprint.post("/pengaduan/<public_id>/foto")
@access(REPORTER_OR_AGENCY)
def complaint_photos(public_id: str):
    """Photos for the report just filed from the form (the reporter must be signed in)."""
    if not load_actor().is_authenticated:
        raise Problem(401, "Masuk terlebih dahulu untuk melampirkan foto.")
    allow_upload_body(complaints_api.MAX_PHOTOS_PER_UPLOAD)  # before the CSRF check reads it
    check_csrf()
    return complaints_api.upload_photos(public_id=public_id)


@blueprint.get("/pengaduan/<public_id>")
@access(PUBLIC)
def complaint(public_id: str):
    """A report as whoever is signed in on this browser sees it: the public's view for everyone
    else; its reporter also reads what a moderator hid from the public and why (a hidden report
    is theirs alone, and its moderators'). Never kept by a cache once someone is signed in."""
    load_actor()
    done = COMPLAINT_DONE.get(request.args.get("ok", ""))
    response = make_response(complaint_page(public_id, done=done))
    if g.actor.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def complaint_page(public_id: str, done=None, error=None, errors=None, status=200):
    """A report as the signed-in visitor sees it (the public's view for anyone who may not see
    more); a signed-in visitor also gets its support and reopen forms (their POSTs are pages of
    gateway/workspace)."""
    report = complaints_client.get_report(public_id)
    page = render_template(
        "complaint_detail.html",
        r=report,
        labels=attribute_labels(report["category"]),
        status_labels=STATUS_LABELS,
        open_statuses=OPEN_STATUSES,
        done=done,
        error=error,
        errors=errors or {},
    )
    return page, status


def attribute_labels(category: str) -> dict[str, str]:
    """What each extra attribute of a category is called, for showing a report's values."""
    return {
        a["code"]: a["description"]
        for c in complaints_client.list_categories()
        if c["code"] == category
        for a in c["attributes"]
    }


@blueprint.get("/usulan")
@access(PUBLIC)
def proposals():
    """Serang Open: every submitted hibah and bansos proposal, its stage and its money."""
    raw = {k: v for k, v in request.args.items() if v}
    try:
        filters = RegistryQuerySchema().load(raw | {"per_page": raw.get("per_page", "25")})
    except ValidationError as exc:
        raise Problem(400, "Parameter tidak valid.", exc.normalized_messages()) from None
    page = proposals_client.registry(filters)

    def query(**change) -> str:
        return urlencode({k: v for k, v in (raw | change).items() if v})

    return render_template(
        "registry_list.html",
        page=page,
        filters=filters,
        kinds=list(KIND_LABELS.items()),
        stages=[(c, label) for c, label in STAGE_LABELS.items() if c not in PRIVATE_STAGES],
        query=query,
        exports=urlencode({k: v for k, v in raw.items() if k not in ("page", "per_page")}),
    )


@blueprint.get("/usulan/<public_id>")
@access(PUBLIC)
def proposal(public_id: str):
    return render_template("registry_detail.html", p=proposals_client.registry_entry(public_id))
