"""Parked events (servicekit.dead_letters) for admins: list them, replay one or all.

- GET /api/v1/admin/dead-letters: a page of the events handlers gave up on, with their error,
  handler, deliveries, first and last failure, and their payload with personal fields hidden;
- POST /api/v1/admin/dead-letters/<parked_id>/replay, POST /api/v1/admin/dead-letters/replay:
  one (or every) parked event back to the queue it came from; it leaves the dead-letter queue
  once the broker accepted it;
- /admin shows them (gateway/templates/_admin_dead_letters.html) with a replay button per event
  (POST /admin/peristiwa-parkir/<parked_id>/ulang, the page's CSRF token).

The gateway reads the dead-letter queue itself, over AMQP: with GATEWAY_OPS_AMQP_URI (a bus user
allowed to read `gawe.dead-letter` and publish to the event queues), else AMQP_URI. Only admins
get through (the role is checked here on every call: no service stands behind these routes).
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect
from marshmallow import Schema, fields, validate

from gateway.access import ADMIN_ONLY, access
from gateway.api import endpoint
from gateway.problems import Problem
from gateway.rpc import GatewayUnavailable
from gateway.workspace.admin import admin_only
from gateway.workspace.common import blueprint as pages
from servicekit import dead_letters
from servicekit.config import env_str

blueprint = Blueprint("deadletters", __name__, url_prefix="/api/v1/admin/dead-letters")
TAGS = ("Peristiwa terparkir (admin)",)
UNREACHABLE = (
    "Bus pesan (RabbitMQ) tidak dapat dihubungi; antrean peristiwa terparkir tidak terbaca."
)


class LetterQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class LetterSchema(Schema):
    id = fields.String()
    event_id = fields.String(allow_none=True)
    event_type = fields.String()
    source_service = fields.String(allow_none=True)
    queue = fields.String(allow_none=True)
    handler = fields.String(allow_none=True)
    error_type = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    first_failure = fields.String(allow_none=True)
    last_failure = fields.String(allow_none=True)
    deliveries = fields.Integer(allow_none=True)
    replays = fields.Integer()
    payload = fields.Raw(allow_none=True, metadata={"description": "data pribadi disamarkan"})


class LetterPageSchema(Schema):
    items = fields.List(fields.Nested(LetterSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ReplayedSchema(Schema):
    replayed = fields.List(fields.String())


def ops_amqp_uri() -> str:
    return env_str("GATEWAY_OPS_AMQP_URI") or current_app.config["GAWE"].amqp_uri


def _bus(call, *args):
    try:
        return call(ops_amqp_uri(), *args)
    except dead_letters.LetterNotFound:
        raise Problem(
            404,
            "Peristiwa terparkir tidak ditemukan (mungkin sudah diulang).",
            {"parked_id": ["tidak ada"]},
        ) from None
    except dead_letters.QueueGone as exc:
        raise Problem(
            409,
            f"Antrean asal ({exc}) tidak ada lagi; peristiwa tetap terparkir.",
            {"queue": [str(exc)]},
        ) from None
    except (OSError, ConnectionError) as exc:
        raise GatewayUnavailable(None, 503, UNREACHABLE) from exc
    except Exception as exc:  # kombu/amqp's own errors (refused login, channel closed)
        if type(exc).__module__.split(".")[0] in ("amqp", "kombu"):
            raise GatewayUnavailable(None, 503, UNREACHABLE) from exc
        raise


@blueprint.get("")
@endpoint(
    "Peristiwa terparkir",
    tags=TAGS,
    query=LetterQuerySchema,
    response=LetterPageSchema,
    roles=("admin",),
    errors=(503,),
    access=ADMIN_ONLY,
)
def list_dead_letters(query):
    """Events a handler gave up on after its retries, oldest first: the error (type and a short
    message), handler and queue, deliveries, first and last failure; the payload with personal
    fields hidden."""
    return _bus(dead_letters.list_letters, query["page"], query["per_page"])


@blueprint.post("/<parked_id>/replay")
@endpoint(
    "Ulangi satu peristiwa terparkir",
    tags=TAGS,
    response=ReplayedSchema,
    roles=("admin",),
    errors=(404, 409, 503),
    access=ADMIN_ONLY,
)
def replay_dead_letter(parked_id):
    """Back to the queue it came from; removed from the dead-letter queue once accepted."""
    return {"replayed": _bus(dead_letters.replay, parked_id)}


@blueprint.post("/replay")
@endpoint(
    "Ulangi semua peristiwa terparkir",
    tags=TAGS,
    response=ReplayedSchema,
    roles=("admin",),
    errors=(503,),
    access=ADMIN_ONLY,
)
def replay_all_dead_letters():
    """Every parked event back to its queue (those whose queue is gone stay parked)."""
    return {"replayed": _bus(dead_letters.replay, None)}


# --- /admin ------------------------------------------------------------------------------------


@pages.app_context_processor
def _dead_letter_section():
    def dead_letter_section() -> dict:
        try:
            return {"data": _bus(dead_letters.list_letters, 1, 50), "error": None}
        except GatewayUnavailable:
            return {"data": None, "error": "Sedang tidak tersedia; coba muat ulang sebentar lagi."}

    return {"dead_letter_section": dead_letter_section}


@pages.post("/admin/peristiwa-parkir/<parked_id>/ulang")
@access(ADMIN_ONLY)
@admin_only
def admin_replay_dead_letter(parked_id):
    replayed = _bus(dead_letters.replay, parked_id)
    return redirect(f"/admin?diulang={len(replayed)}#peristiwa-parkir", 303)
