"""/admin: the platform admin's page: staff accounts (list by agency and role, create one bound
to an agency, deactivate or reactivate one) and messages that could not be delivered. The accounts and notifications
services check the admin role on every call, as on the API."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from flask import g, redirect, render_template, request
from marshmallow import ValidationError

from gateway.access import ADMIN_ONLY, access
from gateway.api import rpc
from gateway.auth import session_versions
from gateway.problems import Problem
from gateway.workspace.common import blueprint, section, signed_in_only
from servicekit.errors import ServiceError
from servicekit.roles import installed_roles, staff_roles
from services.accounts.contract import AccountsClient, StaffCreateSchema, StaffQuerySchema
from services.notifications.contract import NotificationsClient

accounts = AccountsClient(rpc)
notifications = NotificationsClient(rpc)

ROLE_LABELS = {role.name: role.label for role in installed_roles()}


def admin_only(view):
    """signed_in_only, and only for admins (others get 403)."""

    @signed_in_only
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.actor.has_role("admin"):
            raise Problem(403, "Halaman ini untuk admin.", {"roles": ["admin"]})
        return view(*args, **kwargs)

    return wrapper


@blueprint.get("/admin")
@access(ADMIN_ONLY)
@admin_only
def admin_page():
    return _admin_page()


@blueprint.post("/admin/staf")
@access(ADMIN_ONLY)
@admin_only
def admin_create_staff():
    values = {k: request.form.get(k, "").strip() for k in ("name", "email", "agency", "role")}
    body = {
        "name": values["name"],
        "email": values["email"],
        "password": request.form.get("password", ""),
        "roles": [values["role"]],
        "agency": values["agency"] or None,
    }
    try:
        created = accounts.create_staff(StaffCreateSchema().load(body))
    except ValidationError as exc:
        return _admin_page("Periksa isian.", exc.messages, 422, values)
    except ServiceError as exc:
        return _admin_page(exc.message, exc.errors, exc.status, values)
    return redirect("/admin?" + urlencode({"dibuat": created["email"]}), 303)


@blueprint.post("/admin/staf/<int:user_id>/status")
@access(ADMIN_ONLY)
@admin_only
def admin_staff_status(user_id: int):
    """Deactivate (`aktif=0`) or reactivate (`aktif=1`) a staff account: as the API's
    /api/v1/admin/users/<id>/deactivate and /reactivate, its sessions end at once."""
    active = request.form.get("aktif") == "1"
    try:
        user = accounts.set_staff_active(user_id, active)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _admin_page(exc.message, exc.errors, exc.status)
    session_versions().ended(user["id"], user["sv"])
    return redirect("/admin?" + urlencode({"status": "aktif" if active else "nonaktif"}), 303)


def _admin_page(error=None, errors=None, status=200, values=None):
    raw = {k: v for k, v in request.args.items() if k in ("agency", "role", "page") and v}
    try:
        filters = StaffQuerySchema().load(raw)
    except ValidationError as exc:
        raise Problem(400, "Parameter tidak valid.", exc.normalized_messages()) from None
    page = render_template(
        "admin.html",
        staff=section(accounts.list_staff, filters),
        agencies=accounts.list_agencies(),
        failed=section(notifications.list_notifications, {"status": "failed", "per_page": 20}),
        roles=[(r, ROLE_LABELS.get(r, r)) for r in staff_roles()],
        role_labels=ROLE_LABELS,
        filters=filters,
        created=request.args.get("dibuat"),
        switched=request.args.get("status"),
        error=error,
        errors=errors or {},
        values=values or {},
    )
    return page, status
