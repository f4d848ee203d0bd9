"""How the matrix calls each route: the values of its URL and the body that reaches the check.

A route whose authorisation happens in the service, after the gateway validated the body,
gets a body valid enough to get there; where the persona who may act would change the world,
the body is one the service refuses after its check (a self-duplicate, an amount over the
request, a year out of range), or the route gets its own resource and its cell runs last.
Routes not listed here are called with no body.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from services.notifications.contract.subscriptions import CATEGORIES as MESSAGE_CATEGORIES
from tests.security.authz_world import PDF, THIS_YEAR, World, png

# Every URL variable of the url_map, and which value of the world fills it.
VARIABLES = {
    "public_id": None,  # a report or a proposal: by the route's area (below)
    "photo_id": "photo",
    "document_id": "document",
    "applicant_id": "organisation",
    "item_id": "inbox_item",
    "event_id": "event",
    "template_id": "template",
    "code": "report_category",
    "service_code": "report_category",
    "service_request_id": "report",
    "feature_id": "report",
    "token": "report_token",
    "collection_id": "=complaints",
    "fmt": "=json",
    "category": f"={next(iter(MESSAGE_CATEGORIES))}",
    "step": "=tarik",
    "parked_id": "dead_letter",  # a parked event (tests/support/dead_letters.py)
}
COMPLAINT_PATHS = re.compile(r"/(complaints|pengaduan)/")
# Routes that end the persona's sessions (where they exist) run after every other cell.
ENDS_SESSION = frozenset({"accounts.logout", "workspace.logout"})


@dataclass(frozen=True)
class Call:
    json: dict | None = None
    form: dict | None = None
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    query: dict | None = None
    values: dict[str, str] = field(default_factory=dict)  # URL variable -> world value name


def url_value(world: World, endpoint: str, rule: str, name: str, call: Call):
    source = call.values.get(name) or VARIABLES[name]
    if source is None:
        source = "report" if COMPLAINT_PATHS.search(rule) else "proposal"
    return source[1:] if source.startswith("=") else world.values[source]


def _report_outside(w: World) -> dict:
    return {
        "category": w.values["report_category"],
        "description": "Laporan uji di luar wilayah Kabupaten Serang.",
        "ignore_duplicates": True,
    } | w.values["outside"]


def _over_request(w: World) -> int:
    return w.values["proposal_body"]["requested_amount"] + 1


def _draft_form(w: World) -> dict:
    body = w.values["proposal_body"]
    form = {k: str(body[k]) for k in ("kind", "title", "purpose", "activities", "category")}
    form |= {
        k: str(body[k]) for k in ("applicant_id", "budget_year", "requested_amount", "lat", "lon")
    }
    for i, line in enumerate(body["cost_lines"], start=1):
        form |= {f"cost{i}_item": line["item"], f"cost{i}_amount": str(line["amount"])}
    return form


def _emergency(w: World) -> dict:
    point = w.values["point"]
    return {
        "beneficiary": {
            "name": "Penerima Darurat Uji",
            "nik": "3604000000000001",
            "address": "Kp. Uji",
            "lat": point["lat"],
            "lon": point["lon"],
            "bank_account_name": "Penerima Darurat Uji",
        },
        "reported_by": "Kepala desa (uji)",
        "budget_year": THIS_YEAR + 50,  # refused after the agency check: nothing is opened
        "title": "Bansos darurat uji",
        "purpose": "Bantuan darurat untuk korban kebakaran rumah.",
        "category": "sosial",
        "requested_amount": 1_000_000,
        "cost_lines": [{"item": "Paket darurat", "amount": 1_000_000}],
        "lat": point["lat"],
        "lon": point["lon"],
    }


def _emergency_form(w: World) -> dict:
    body = _emergency(w)
    person = body["beneficiary"]
    form = {f"b_{k}": person[k] for k in ("name", "nik", "address")}
    form |= {
        k: str(body[k]) for k in ("reported_by", "title", "purpose", "category", "budget_year")
    }
    form |= {k: str(body[k]) for k in ("requested_amount", "lat", "lon")}
    return form | {"cost1_item": "Paket darurat", "cost1_amount": "1000000"}


PHOTO = {"photos": (png(), "foto.png")}
FIELD_PHOTO = {"files": (png(), "lokasi.png")}
# Cells whose persona changes the world when let through (a report reopened, a proposal
# withdrawn or resubmitted): they run after every other cell, so no other sees the change.
RUN_LAST = {
    "workspace.reopen_report": {"citizen"},
    "proposals.resubmit": {"citizen"},
    "proposals.withdraw": {"citizen"},
    "workspace.my_proposal_step": {"citizen"},
    # replaying every parked event would take the one each single replay's cell replays
    "deadletters.replay_all_dead_letters": {"admin"},
}

CALLS = {
    "workspace.admin_replay_dead_letter": lambda w: Call(values={"parked_id": "dead_letter_page"}),
    # accounts: bodies the schema refuses (422) show the gate is open without signing anyone up
    "accounts.register": lambda w: Call(json={}),
    "accounts.login": lambda w: Call(json={}),
    "accounts.create_staff": lambda w: Call(
        json={
            "name": "Staf Matriks",
            "email": f"matriks.{w.values['report'].lower()}@example.id",
            "password": "rahasia-Serang-2026",
            "roles": ["officer"],
            "agency": "DPUPR",
        }
    ),
    "workspace.login": lambda w: Call(form={"email": "", "password": ""}),
    "workspace.register": lambda w: Call(form={"name": "", "email": "", "password": ""}),
    # complaints
    "complaints.save_category": lambda w: Call(json=w.values["category_body"]),
    "complaints.create": lambda w: Call(json=_report_outside(w)),
    "web.file_complaint": lambda w: Call(json=_report_outside(w)),
    "complaints.nearby": lambda w: Call(
        query={"category": w.values["report_category"]} | _point(w)
    ),
    "complaints.transition": lambda w: Call(
        json={"action": "mark_duplicate", "duplicate_of": w.values["report"]}
    ),
    "workspace.staff_act": lambda w: Call(
        form={"action": "mark_duplicate", "duplicate_of": w.values["report"]}
    ),
    "complaints.upload_photos": lambda w: Call(files=PHOTO),
    "web.complaint_photos": lambda w: Call(files=PHOTO),
    "workspace.staff_photos": lambda w: Call(files=PHOTO),
    "complaints.issue_key": lambda w: Call(json={"organisation": "Organisasi Matriks"}),
    "workspace.reopen_report": lambda w: Call(
        form={"note": "Belum beres."}, values={"public_id": "resolved_report"}
    ),
    "open311.create_request": lambda w: Call(
        form={"service_code": w.values["report_category"], "lat": "-6.05", "long": "106.2"}
    ),
    # Serang Open: applicants
    "proposals.create_organisation": lambda w: Call(json={}),
    "proposals.create_individual": lambda w: Call(json={}),
    "proposals.update_organisation": lambda w: Call(json=w.values["organisation_body"]),
    "proposals.update_individual": lambda w: Call(
        json=w.values["individual_body"], values={"applicant_id": "individual"}
    ),
    "proposals.add_member": lambda w: Call(
        json={"user_id": w.personas["citizen"].user_id}  # already one: nothing changes
    ),
    "workspace.applicant_create": lambda w: Call(form={"jenis": "organisation"}),
    # Serang Open: proposals
    "proposals.create_draft": lambda w: Call(json=w.values["proposal_body"]),
    "workspace.proposal_create": lambda w: Call(form=_draft_form(w)),
    "proposals.update_draft": lambda w: Call(json=w.values["proposal_body"]),
    "workspace.proposal_update": lambda w: Call(form=_draft_form(w)),
    "proposals.open_emergency": lambda w: Call(json=_emergency(w)),
    "workspace.emergency_open": lambda w: Call(form=_emergency_form(w)),
    "proposals.upload_documents": lambda w: Call(
        form={"doc_type": "foto_verifikasi"}, files=FIELD_PHOTO
    ),
    "workspace.my_proposal_upload": lambda w: Call(
        form={"doc_type": "foto_verifikasi"}, files=FIELD_PHOTO
    ),
    "workspace.emergency_report_upload": lambda w: Call(files={"files": (PDF, "laporan.pdf")}),
    "proposals.transition": lambda w: Call(
        json={"action": "recommend", "amount": _over_request(w)}
    ),
    "workspace.staff_proposal_act": lambda w: Call(
        form={"action": "recommend", "amount": str(_over_request(w))}
    ),
    "proposals.submit": lambda w: Call(json={}, values={"public_id": "draft"}),
    "proposals.resubmit": lambda w: Call(json={}, values={"public_id": "returned"}),
    "proposals.withdraw": lambda w: Call(
        json={"note": "Ditarik (uji matriks)."}, values={"public_id": "withdrawable"}
    ),
    "workspace.my_proposal_step": lambda w: Call(
        form={"note": "Ditarik (uji matriks)."}, values={"public_id": "withdrawable"}
    ),
    "proposals.submit_lpj": lambda w: Call(json={}, values={"public_id": "disbursed"}),
    "proposals.field_check": lambda w: Call(json=_field_check(w) | {"photo_ids": [999_999]}),
    "workspace.staff_proposal_field_check": lambda w: Call(
        form=_field_check(w), files={"photos": (png(), "lokasi.png")}
    ),
    "proposals.declare": lambda w: Call(json={"decision": "recused", "note": None}),
    "workspace.staff_proposal_declare": lambda w: Call(form={"decision": "recused", "note": ""}),
    # notifications
    "notifications.set_preference": lambda w: Call(json={"email": True}),
    "workspace.settings_save": lambda w: Call(form={"email": list(MESSAGE_CATEGORIES)}),
    "notifications.preview_template": lambda w: Call(json={"values": {}}),
    "notifications.send_test": lambda w: Call(json={}),
    # gis
    "gis.locate": lambda w: Call(query=_point(w)),
    "gis.locate_batch": lambda w: Call(json={"points": [[_point(w)["lat"], _point(w)["lon"]]]}),
    "gis.nearby": lambda w: Call(query={"layer": "complaints", "radius_m": 500} | _point(w)),
    "gis.nearest": lambda w: Call(query={"layer": "complaints"} | _point(w)),
    "gis.areas": lambda w: Call(query={"q": "Pontang"}),
    "gis.import_boundaries": lambda w: Call(json={}),
}


def _point(w: World) -> dict:
    return {"lat": w.values["point"]["lat"], "lon": w.values["point"]["lon"]}


def _field_check(w: World) -> dict:
    return {"checked_on": f"{THIS_YEAR}-06-01", "findings": "Pemeriksaan lapangan (uji matriks)."}


def call_for(world: World, endpoint: str) -> Call:
    make = CALLS.get(endpoint)
    return make(world) if make else Call()


def files_of(call: Call) -> dict:
    """Fresh file objects for one request (a stream is read once)."""
    return {
        name: (io.BytesIO(content), filename) for name, (content, filename) in call.files.items()
    }


# --- what each app adds -----------------------------------------------------------------------
# An app of the suite describes its own routes in tests/<app>/authz.py, in its own folder:
#   VARIABLES = {"<url variable>": "<world value name>" or "=<literal>"}
#   CALLS = {"<endpoint>": lambda world: Call(...)}     (Call from this module)
#   RUN_LAST = {"<endpoint>": {"<persona>", ...}}
#   def build(builder): ...   # makes its resources through the API (Builder in authz_world),
#                             # as the world's personas, and puts their ids in builder.values
# All optional; the matrix merges them with the above and runs `build` after the platform's.


def app_hooks() -> list:
    """The authz modules of the installed apps (tests/<app>/authz.py), where they exist."""
    import importlib
    import importlib.util

    from servicekit.apps import app_names

    found = []
    for name in app_names():
        module = f"tests.{name}.authz"
        if importlib.util.find_spec(f"tests.{name}") and importlib.util.find_spec(module):
            found.append(importlib.import_module(module))
    return found


for _hook in app_hooks():
    VARIABLES |= getattr(_hook, "VARIABLES", {})
    CALLS |= getattr(_hook, "CALLS", {})
    RUN_LAST |= getattr(_hook, "RUN_LAST", {})
