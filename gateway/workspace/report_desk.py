"""/staf/pengaduan/<id>: one report at the staff desk. The agency holding it moves it through its
lifecycle, adds photos of the fix, forwards it to another OPD or out of the regency and changes
its category while it is open; its agency's staff and admins hide it, or one of its photos, from
the public with a reason and show it again (the staff-only moderation entries are in its
timeline). The same calls as the API's (`POST /api/v1/complaints/<id>/transitions` and
`.../moderation`); the complaints service checks who may do each."""

from __future__ import annotations

from flask import g, render_template, request
from marshmallow import ValidationError

from gateway.access import COMPLAINT_AGENCY, COMPLAINT_MODERATORS, REPORT_DESK, access
from gateway.api import rpc
from gateway.complaints.rest import store_photos
from gateway.workspace.common import (
    COMPLAINT_STAFF,
    blueprint,
    desk_or_admin,
    staff_only,
    submit_form,
)
from servicekit.roles import installed_agencies
from services.complaints.contract import (
    AGENCY_STAFF,
    EXTERNAL_BODIES,
    FORWARD,
    HIDE,
    HIDE_PHOTO,
    MODERATION_LABELS,
    OPEN_STATUSES,
    RECATEGORISE,
    RECATEGORISE_LABEL,
    SHOW_PHOTO,
    STATUS_LABELS,
    TRANSITIONS,
    ComplaintsClient,
    ModerationSchema,
    TransitionSchema,
)

complaints = ComplaintsClient(rpc)

# What a form did, by the `ok` its page is opened with afterwards.
TRANSFER, FORWARD_EXTERNAL = "transfer", "forward_external"
DONE = (
    {action: t.label for action, t in TRANSITIONS.items()}
    | {
        "photos": "Foto tersimpan",
        TRANSFER: "Laporan dialihkan ke OPD lain",
        FORWARD_EXTERNAL: "Laporan diteruskan ke instansi di luar Pemerintah Kabupaten Serang"
        " dan ditutup di sini",
        RECATEGORISE: RECATEGORISE_LABEL,
    }
    | MODERATION_LABELS
)
OUTSIDE = "Di luar Pemerintah Kabupaten Serang (laporan ditutup di sini)"


def back(public_id: str) -> str:
    return f"/staf/pengaduan/{public_id}"


@blueprint.get("/staf/pengaduan/<public_id>")
@access(REPORT_DESK)
@desk_or_admin
def staff_report(public_id: str):
    return _report_page(public_id, done=request.args.get("ok"))


@blueprint.post("/staf/pengaduan/<public_id>")
@access(COMPLAINT_AGENCY)
@staff_only
def staff_act(public_id: str):
    values = {
        "action": request.form.get("action", ""),
        "note": request.form.get("note", "").strip() or None,
        "duplicate_of": request.form.get("duplicate_of", "").strip() or None,
    }

    def act():
        complaints.transition(public_id, TransitionSchema().load(values))

    return submit_form(_report_page, back(public_id), public_id, act, values["action"])


@blueprint.post("/staf/pengaduan/<public_id>/foto")
@access(COMPLAINT_AGENCY)
@staff_only
def staff_photos(public_id: str):
    """Photos of the fix, shown on the public page next to the reporter's."""
    return submit_form(
        _report_page, back(public_id), public_id, lambda: store_photos(public_id), "photos"
    )


@blueprint.post("/staf/pengaduan/<public_id>/teruskan")
@access(COMPLAINT_AGENCY)
@staff_only
def staff_forward(public_id: str):
    """To another OPD's queue (as a new arrival there), or to a government outside the regency
    (closed here, naming it)."""
    values = {
        "action": FORWARD,
        "to_agency": request.form.get("to_agency", "").strip() or None,
        "note": request.form.get("note", "").strip() or None,
    }

    def forward():
        if not values["to_agency"]:  # without one, `forward` would be the lifecycle's step
            raise ValidationError({"to_agency": ["Pilih OPD atau instansi tujuan."]})
        complaints.transition(public_id, TransitionSchema().load(values))

    done = FORWARD_EXTERNAL if values["to_agency"] in EXTERNAL_BODIES else TRANSFER
    return submit_form(_report_page, back(public_id), public_id, forward, done)


@blueprint.post("/staf/pengaduan/<public_id>/kategori")
@access(COMPLAINT_AGENCY)
@staff_only
def staff_recategorise(public_id: str):
    values = {
        "action": RECATEGORISE,
        "category": request.form.get("category", "").strip() or None,
        "note": request.form.get("note", "").strip() or None,
    }

    def recategorise():
        complaints.transition(public_id, TransitionSchema().load(values))

    return submit_form(_report_page, back(public_id), public_id, recategorise, RECATEGORISE)


@blueprint.post("/staf/pengaduan/<public_id>/moderasi")
@access(COMPLAINT_MODERATORS)
@desk_or_admin
def staff_moderate(public_id: str):
    """Hide the report or one of its photos from the public (with a reason its reporter reads),
    or show it again."""
    photo = request.form.get("photo_id", "").strip()
    body = {
        "action": request.form.get("action", ""),
        "reason": request.form.get("reason", "").strip() or None,
        "photo_id": (int(photo) if photo.isdigit() else photo) if photo else None,
    }

    def moderate():
        complaints.moderate(public_id, ModerationSchema().load(body))

    hide = body["action"] == HIDE
    done = body["action"] if not photo else (HIDE_PHOTO if hide else SHOW_PHOTO)
    return submit_form(_report_page, back(public_id), public_id, moderate, done)


def _report_page(public_id, done=None, error=None, errors=None, status=200):
    report = complaints.get_report(public_id)
    categories = complaints.list_categories()
    own = report["agency"] == g.actor.agency and g.actor.has_role(*COMPLAINT_STAFF)
    movable = own and report["status"] in OPEN_STATUSES
    actions = [
        t
        for t in TRANSITIONS.values()
        if own and t.actor == AGENCY_STAFF and report["status"] in t.sources
    ]
    category = next((c for c in categories if c["code"] == report["category"]), None)
    labels = {a["code"]: a["description"] for a in (category or {}).get("attributes", [])}
    return (
        render_template(
            "staff_report.html",
            r=report,
            labels=labels,
            own=own,
            actions=actions,
            moderator=own or g.actor.has_role("admin"),
            destinations=_destinations(report["agency"]) if movable else None,
            categories=[c for c in categories if c["code"] != report["category"]]
            if movable
            else None,
            done=DONE.get(done),
            error=error,
            errors=errors or {},
            sent=request.endpoint if request.method == "POST" else None,
            values=request.form,
            status_labels=STATUS_LABELS,
        ),
        status,
    )


def _destinations(holder: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Where a report may be forwarded, grouped: the regency's other OPDs, then the governments
    outside it."""
    agencies = sorted(
        ((a.code, f"{a.name} ({a.code})") for a in installed_agencies() if a.code != holder),
        key=lambda option: option[1],
    )
    return [("OPD Pemerintah Kabupaten Serang", agencies), (OUTSIDE, list(EXTERNAL_BODIES.items()))]
