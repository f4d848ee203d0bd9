"""What every signed-in page shares: the blueprint, its session, errors as pages, who may open
a page, and what a form does when the services refuse it."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, g, redirect, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from gateway.api import rpc
from gateway.problems import Problem
from gateway.rpc import GatewayUnavailable
from gateway.uploads import allow_upload_body, max_upload_bytes
from gateway.workspace.session import (
    check_csrf,
    csrf_token,
    load_actor,
    peek_actor,
    sign_out,
    to_login,
)
from servicekit.errors import ServiceError
from servicekit.roles import installed_roles

blueprint = Blueprint("workspace", __name__)
COMPLAINT_STAFF = ("officer", "verifier")
MAX_FILES_PER_FORM = 5  # the most files one upload form carries (photos, documents)
PROPOSAL_STAFF = ("verifier", "officer", "budget_team")


def desk_roles() -> tuple[str, ...]:
    """The roles of an agency's staff, who work at /staf: every staff role the installed apps
    declare (servicekit.roles) that works at a desk, but the platform admin's."""
    return tuple(r.name for r in installed_roles() if r.staff and r.desk and r.name != "admin")


def serve_as_pages(pages: Blueprint, files_per_form: int = 1) -> Blueprint:
    """What every blueprint of pages read by people shares (the workspace's, and an app's own
    pages): the session's actor loaded first, `no-store` on every answer (personal data is
    never kept by a proxy), an ended session's cookie dropped, errors shown as the error page
    with their status kept, and a body over the upload limit as a page saying the limit."""

    @pages.before_request
    def _actor():
        load_actor()

    @pages.after_request
    def _private_pages(response):
        response.headers["Cache-Control"] = "no-store"
        if g.get("drop_session"):
            sign_out(response)
        return response

    @pages.errorhandler(Problem)
    @pages.errorhandler(ServiceError)
    @pages.errorhandler(GatewayUnavailable)
    def _error_page(exc):
        message = getattr(exc, "detail", None) or getattr(exc, "message", "")
        errors = getattr(exc, "errors", None) or {}
        return render_template(
            "error.html", status=exc.status, message=message, errors=errors
        ), exc.status

    @pages.errorhandler(RequestEntityTooLarge)
    def _too_large_page(exc):
        limit = max_upload_bytes() // (1024 * 1024)
        message = f"Berkas terlalu besar: paling besar {limit} MiB per berkas"
        message += f", {files_per_form} berkas sekaligus." if files_per_form > 1 else "."
        return render_template("error.html", status=413, message=message, errors={}), 413

    return pages


serve_as_pages(blueprint, MAX_FILES_PER_FORM)


@blueprint.app_context_processor
def _session_values():
    actor = g.get("web_actor") or peek_actor()
    return {
        "signed_in": bool(actor and actor.is_authenticated),
        "is_staff": bool(actor and actor.has_role(*desk_roles())),
        "is_admin": bool(actor and actor.has_role("admin")),
        "my_roles": tuple(actor.roles) if actor and actor.is_authenticated else (),
        "csrf": csrf_token,
    }


def home_of(roles) -> str:
    """Where a person lands after signing in: staff at their desk, admins on theirs, a role
    with a page of its own (servicekit.roles.Role.home) there, citizens on their own page."""
    if set(roles) & set(desk_roles()):
        return "/staf"
    if "admin" in roles:
        return "/admin"
    homes = [r.home for r in installed_roles() if r.home and r.name in set(roles)]
    return homes[0] if homes else "/saya"


def section(call: Callable | str, *args) -> dict:
    """One part of a page: its data, or why it cannot be shown now (the rest still is).

    `call` is a typed client's bound method, `section(complaints.my_reports, query)`; the
    older form `section("complaints", "my_reports", query)` (service and method names) is
    still understood."""
    if isinstance(call, str):
        call, args = functools.partial(rpc, call, args[0]), args[1:]
    try:
        return {"data": call(*args), "error": None}
    except GatewayUnavailable:
        return {"data": None, "error": "Sedang tidak tersedia; coba muat ulang sebentar lagi."}


def submit_form(page, back: str, public_id: str, call, done: str):
    """Run a form's call: to `back` with a confirmation, or the page again with what was
    refused and why (an unknown id stays a 404). `done` may be a function of the call's result."""
    try:
        result = call()
    except ValidationError as exc:
        return page(public_id, error="Periksa isian.", errors=exc.messages, status=422)
    except Problem as exc:  # refused at the gateway: an upload's files
        return page(public_id, error=exc.detail, errors=exc.errors, status=exc.status)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return page(public_id, error=exc.message, errors=exc.errors, status=exc.status)
    return redirect(f"{back}?ok={done(result) if callable(done) else done}", 303)


def signed_in_only(view):
    """Signed-out visitors go to the login page and come back; a POST must carry the CSRF
    token of the page it came from."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.actor.is_authenticated:
            return to_login()
        if request.method == "POST":
            allow_upload_body(MAX_FILES_PER_FORM)  # before the CSRF check parses the form
            check_csrf()
        return view(*args, **kwargs)

    return wrapper


def staff_only(view):
    """signed_in_only, and only for agency staff (others get 403)."""

    @signed_in_only
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.actor.has_role(*desk_roles()) or not g.actor.agency:
            raise Problem(403, "Halaman ini untuk staf OPD.", {"roles": list(desk_roles())})
        return view(*args, **kwargs)

    return wrapper


def desk_or_admin(view):
    """staff_only, admins let in too: a page where they moderate beside the agency's staff (the
    services decide what each sees and may do)."""

    @signed_in_only
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        at_desk = g.actor.has_role(*desk_roles()) and g.actor.agency
        if not at_desk and not g.actor.has_role("admin"):
            raise Problem(
                403, "Halaman ini untuk staf OPD dan admin.", {"roles": [*desk_roles(), "admin"]}
            )
        return view(*args, **kwargs)

    return wrapper


def whole_number(value: str):
    """A whole number as people type it ("25.000.000"); anything else is left for the schema
    to refuse, naming its field."""
    digits = value.replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else value


def form_text(*names: str) -> dict:
    return {n: request.form.get(n, "").strip() or None for n in names}


COST_ROWS = 6  # cost lines a web form offers (the API takes up to 100)


def cost_lines_from_form() -> list[dict]:
    """The filled rows of a form's cost table, amounts as people write them."""
    return [
        {"item": item, "amount": whole_number(request.form.get(f"cost{i}_amount", "").strip())}
        for i in range(1, COST_ROWS + 1)
        if (item := request.form.get(f"cost{i}_item", "").strip())
    ]
