"""Sisumaker's pages at /staf/surat, for browsers (and the session's cookie): the agency's
letters, the clerk's form to register one with its scan, and on a letter's page the forms to
dispose it (the head, or a recipient passing theirs down) and to report and complete one's own
disposition. They call the service through its typed client, as the REST routes do; forms
carry the session's CSRF token, answer a success with 303 to the letter's page, and a refusal
with the same form again, its values kept and each field's error next to it."""

from __future__ import annotations

import functools

from flask import g, make_response, redirect, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from gateway.access import access
from gateway.auth import current_actor
from gateway.letters.rest import (
    AGENCY_ARCHIVE,
    CLERKS,
    DISPOSERS,
    DISPOSITION_RECIPIENT,
    LETTER_READERS,
    PDF_ONLY,
    blueprint,
    dates_as_text,
    letters,
    scan_file,
    stored_scan,
)
from gateway.problems import Problem
from gateway.rpc import GatewayUnavailable
from gateway.uploads import allow_upload_body, max_upload_bytes, read_files
from gateway.workspace.session import check_csrf, load_actor, to_login
from servicekit.errors import ServiceError
from services.letters.contract import (
    CLASSIFICATIONS,
    CLERK,
    INSTRUCTIONS,
    LETTER_STATUSES,
    OTHER_INSTRUCTION,
    PER_PAGE_MAX,
    LetterCreateSchema,
    LetterQuerySchema,
)

LETTER_FIELDS = (
    "sender",
    "letter_number",
    "letter_date",
    "received_date",
    "subject",
    "classification",
    "summary",
)
# What a form's fields are called on the page: the error summary links each error to its field.
LABELS = {
    "sender": "Pengirim",
    "letter_number": "Nomor surat",
    "letter_date": "Tanggal surat",
    "received_date": "Tanggal diterima",
    "subject": "Perihal",
    "classification": "Sifat surat",
    "summary": "Ringkasan isi",
    "scan": "Pindaian surat (PDF)",
    "to_user_ids": "Penerima",
    "instruction": "Instruksi",
    "note": "Catatan",
    "due_date": "Batas waktu",
    "report": "Laporan tindak lanjut",
}
DONE = {
    "dicatat": "Surat masuk tercatat dengan nomor agenda {agenda}.",
    "disposisi": "Disposisi terkirim; setiap penerima diberi tahu.",
    "selesai": "Disposisi Anda selesai; laporannya tersimpan.",
}
RECIPIENT_PAGES = 10  # of PER_PAGE_MAX staff each: the largest agency's staff, and then some


def _page(template: str, code: int = 200, **context):
    response = make_response(render_template(template, **context), code)
    response.headers["Cache-Control"] = "no-store"  # an agency's letters: never kept by a proxy
    return response


def _error_page(status: int, message: str, errors: dict | None = None):
    return _page("error.html", status, status=status, message=message, errors=errors or {})


def _page_actor():
    """The signed-in person of a page: a client of the API may send its bearer token, a browser
    its session cookie; None for nobody (sent to sign in)."""
    actor = current_actor() if request.headers.get("Authorization") else load_actor()
    return actor if actor.is_authenticated else None


def _answers(view):
    """What the services cannot answer is a page too: a letter nobody may see is 404 (a
    rahasia letter stays unknown), a refusal its message, a service down 503."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ServiceError as exc:
            return _error_page(exc.status, exc.message, exc.errors)
        except Problem as exc:
            return _error_page(exc.status, exc.detail, exc.errors)
        except GatewayUnavailable as exc:
            return _error_page(exc.status, "Layanan sedang tidak tersedia; coba lagi sebentar.")

    return wrapper


def signed_in_page(view):
    """A page read by a signed-in person (others are sent to sign in first)."""

    @functools.wraps(view)
    @_answers
    def wrapper(*args, **kwargs):
        if _page_actor() is None:
            return to_login()
        return view(*args, **kwargs)

    return wrapper


def form_post(view):
    """A page's form: the session's cookie only (never a bearer token), and the CSRF token its
    page gave; a body over the upload limit is a page saying so."""

    @functools.wraps(view)
    @_answers
    def wrapper(*args, **kwargs):
        if not load_actor().is_authenticated:
            return to_login()
        allow_upload_body(1)  # the registration form's scan: before the form is parsed
        try:
            check_csrf()
        except Problem as exc:
            return _error_page(exc.status, exc.detail, exc.errors)
        except RequestEntityTooLarge:
            limit = max_upload_bytes() // (1024 * 1024)
            return _error_page(413, f"Berkas terlalu besar: pindaian paling besar {limit} MiB.")
        return view(*args, **kwargs)

    return wrapper


def may_register(actor) -> bool:
    """The agency's clerk (tata usaha), as the service's rule says: asked here before any file
    of the registration form is read (the service checks again when it registers)."""
    return bool(
        actor
        and actor.is_authenticated
        and actor.agency
        and not actor.has_role("citizen")
        and actor.has_role(CLERK)
    )


def field_errors(errors: dict | None) -> dict[str, list[str]]:
    """Each field's messages as a flat list (a list's items' errors joined under the list's
    name; an upload's `scan[0]` under `scan`)."""

    def flat(value) -> list[str]:
        if isinstance(value, dict):
            return [m for v in value.values() for m in flat(v)]
        if isinstance(value, list | tuple):
            return [m for v in value for m in flat(v)]
        return [str(value)]

    found: dict[str, list[str]] = {}
    for name, messages in (errors or {}).items():
        found.setdefault(str(name).partition("[")[0], []).extend(flat(messages))
    return found


def _form_values() -> dict:
    """What the person typed, to fill the form again (files are never sent back)."""
    return {
        name: request.form.getlist(name) if name == "to_user_ids" else request.form.get(name, "")
        for name in request.form
        if name != "csrf"
    }


# --- the agency's letters, and registering one ----------------------------------------------


def _letters_list(code: int = 200, error: str | None = None, errors: dict | None = None):
    """The archive, searched as the query says; the clerk's form below it (again with what was
    typed and why it was refused, when `error`)."""
    raw = {k: v for k, v in request.args.items() if v and k in LetterQuerySchema().fields}
    try:
        query = LetterQuerySchema().load(raw)
    except ValidationError as exc:
        return _error_page(400, "Parameter pencarian tidak valid.", exc.normalized_messages())
    found = letters.list_letters(dates_as_text(query))
    return _page(
        "letters/list.html",
        code,
        found=found,
        filters=raw,
        classifications=CLASSIFICATIONS,
        statuses=LETTER_STATUSES,
        may_register=may_register(g.get("actor")),
        error=error,
        errors=field_errors(errors),
        values=_form_values() if error else {},
        labels=LABELS,
    )


@blueprint.get("/staf/surat")
@access(AGENCY_ARCHIVE, page=True)
@signed_in_page
def letters_page():
    """The agency's letters, searched like the API (overdue dispositions first); for its clerk,
    the form to register an incoming letter."""
    return _letters_list()


@blueprint.post("/staf/surat")
@access(CLERKS, page=True)
@form_post
def register_letter_page():
    """The clerk registers an incoming letter with its scan (PDF): 303 to the letter's page,
    which shows its agenda number. The scan is checked before the letter is registered and
    stored after, so a refused form leaves neither a letter nor a file."""
    if not may_register(g.actor):
        return _error_page(
            403,
            "Hanya tata usaha perangkat daerah yang dapat mencatat surat masuk.",
            {"roles": [f"diperlukan: {CLERK}"]},
        )
    body = {n: v for n in LETTER_FIELDS if (v := request.form.get(n, "").strip())}
    errors, code, data = {}, 422, None
    try:
        data = LetterCreateSchema().load(body)
    except ValidationError as exc:
        errors = exc.normalized_messages()
    uploads = None
    if not any(f.filename for f in request.files.getlist("scan")):
        errors["scan"] = ["Lampirkan pindaian surat (PDF)."]
    else:
        try:
            uploads = read_files("scan", PDF_ONLY, 1)
        except Problem as exc:
            code = code if errors else exc.status
            errors["scan"] = field_errors(exc.errors).get("scan") or [exc.detail]
    if errors:
        return _letters_list(code, "Surat belum tercatat: periksa isian yang ditandai.", errors)
    try:
        letter = letters.register_letter(dates_as_text(data))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _letters_list(exc.status, exc.message, exc.errors)
    target = f"/staf/surat/{letter['id']}?ok=dicatat"
    try:
        letters.attach_scan(letter["id"], stored_scan(uploads))
    except (ServiceError, GatewayUnavailable):  # the letter stands; its page says so
        target += "&pindaian=gagal"
    return redirect(target, 303)


# --- a letter, its dispositions and their forms ----------------------------------------------


def _recipients() -> list[dict] | None:
    """Every staff member of the caller's agency who may receive a disposition from them; None
    when the service cannot say now (the page is shown without the form)."""
    people: list[dict] = []
    try:
        for number in range(1, RECIPIENT_PAGES + 1):
            page = letters.recipients({"page": number, "per_page": PER_PAGE_MAX})
            people.extend(page["items"])
            if len(people) >= page["total"] or not page["items"]:
                break
    except (ServiceError, GatewayUnavailable):
        return None
    return people


def _letter_view(
    letter_id: int,
    code: int = 200,
    form: str | None = None,
    error: str | None = None,
    errors: dict | None = None,
):
    """A letter's page; after a refused `form` ("dispose", or "complete-<id>"), that form again
    with what was typed and each field's error."""
    letter = letters.get_letter(letter_id)  # 404 for whoever may not see it
    ok = DONE.get(request.args.get("ok", ""))
    mine = [f"complete-{d}" for d in letter["my_open_dispositions"]]
    # the refused form is still there to fix (not after a 409: the letter moved on)
    form_shown = code != 409 and (
        (form == "dispose" and letter["may_dispose"]) or (form is not None and form in mine)
    )
    return _page(
        "letters/detail.html",
        code,
        letter=letter,
        ok=ok.format(agenda=letter["agenda_number"]) if ok else None,
        scan_failed=request.args.get("pindaian") == "gagal",
        recipients=_recipients() if letter["may_dispose"] else None,
        instructions=INSTRUCTIONS,
        other_instruction=OTHER_INSTRUCTION,
        form=form,
        form_shown=form_shown,
        conflict=code == 409,
        error=error,
        errors=field_errors(errors),
        values=_form_values() if form else {},
        labels=LABELS,
    )


@blueprint.get("/staf/surat/<int:letter_id>")
@access(LETTER_READERS, page=True)
@signed_in_page
def letter_page(letter_id):
    """One letter, its scan and its dispositions (overdue first), with the forms the person
    may use: dispose it, report and complete their own disposition."""
    return _letter_view(letter_id)


def _refused_form(letter_id: int, form: str, exc: ServiceError):
    if exc.status == 404:  # nothing to say of a letter or disposition nobody showed them
        raise exc
    return _letter_view(letter_id, exc.status, form, exc.message, exc.errors)


def _user_id(value: str):
    """A checkbox's user id; anything else is left for the service's schema to refuse."""
    return int(value) if value.strip().isdigit() else value


@blueprint.post("/staf/surat/<int:letter_id>/disposisi")
@access(DISPOSERS, page=True)
@form_post
def dispose_page(letter_id):
    """The head (or a recipient passing theirs down) disposes the letter: the recipients
    ticked, an instruction (one of the usual, or `lainnya` and its own words), a note and a
    due date. The service checks who may before it reads the form."""
    chosen = request.form.get("instruction", "").strip()
    if chosen == OTHER_INSTRUCTION:
        chosen = request.form.get("instruction_other", "").strip()
    body = {
        "to_user_ids": [_user_id(v) for v in request.form.getlist("to_user_ids")],
        "instruction": chosen,
        "note": request.form.get("note", ""),
    }
    if due := request.form.get("due_date", "").strip():
        body["due_date"] = due
    try:
        letters.dispose(letter_id, body)
    except ServiceError as exc:
        return _refused_form(letter_id, "dispose", exc)
    return redirect(f"/staf/surat/{letter_id}?ok=disposisi", 303)


@blueprint.post("/staf/surat/<int:letter_id>/disposisi/<int:disposition_id>/selesai")
@access(DISPOSITION_RECIPIENT, page=True)
@form_post
def complete_disposition_page(letter_id, disposition_id):
    """The recipient reports what they did and completes their disposition."""
    body = {"report": request.form.get("report", "")}
    try:
        letters.complete_disposition(letter_id, disposition_id, body)
    except ServiceError as exc:
        return _refused_form(letter_id, f"complete-{disposition_id}", exc)
    return redirect(f"/staf/surat/{letter_id}?ok=selesai", 303)


@blueprint.get("/staf/surat/<int:letter_id>/pindaian.pdf")
@access(LETTER_READERS, page=True)
@signed_in_page
def letter_page_scan(letter_id):
    """The scan from the letter's page (the session's cookie)."""
    return scan_file(letter_id)
