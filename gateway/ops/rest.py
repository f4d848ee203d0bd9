"""Liveness and readiness, for load balancers and Kubernetes probes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, current_app, jsonify

from gateway.access import PUBLIC, access
from gateway.rpc import GatewayUnavailable
from servicekit.errors import ServiceError

blueprint = Blueprint("ops", __name__)


@blueprint.get("/healthz")
@access(PUBLIC)
def healthz():
    """The gateway process is alive (nothing else is checked)."""
    return jsonify({"status": "ok"})


def _service_status(pool, service: str) -> dict:
    consumers = pool.consumer_count(service)
    if consumers == 0:
        return {"status": "down", "detail": "tidak ada proses layanan yang berjalan"}
    try:
        health = pool.call(service, "health")
    except GatewayUnavailable as exc:
        return {"status": "down", "detail": exc.detail}
    except ServiceError as exc:
        return {"status": "down", "detail": exc.message}
    status = "ok" if health.get("database") == "ok" else "degraded"
    return {
        "status": status,
        "version": health.get("version"),
        "database": health.get("database"),
        "workers": consumers,
    }


@blueprint.get("/readyz")
@access(PUBLIC)
def readyz():
    """RabbitMQ reachable and every service answering its health RPC within the RPC timeout."""
    settings = current_app.config["GAWE"]
    pool = current_app.extensions["gawe_rpc"]
    if not pool.bus_reachable():
        body = {
            "status": "down",
            "bus": "down",
            "services": {name: {"status": "unknown"} for name in settings.services},
            "down": list(settings.services),
        }
        return jsonify(body), 503
    with ThreadPoolExecutor(max_workers=len(settings.services)) as executor:
        statuses = dict(
            zip(
                settings.services,
                executor.map(lambda s: _service_status(pool, s), settings.services),
                strict=True,
            )
        )
    down = sorted(name for name, s in statuses.items() if s["status"] != "ok")
    body = {"status": "ok" if not down else "down", "bus": "ok", "services": statuses, "down": down}
    return jsonify(body), 200 if not down else 503
