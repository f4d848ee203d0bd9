"""The Gawe gateway: the one HTTP entry point (REST API, auth, web pages, OpenAPI docs)."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
import re
import time

from flask import Flask, g, request

from gateway import converters, headers, limits
from gateway.problems import register_error_handlers
from gateway.rpc import RpcPool
from gateway.settings import GatewaySettings
from servicekit.apps import installed_apps, page_sections
from servicekit.context import new_request_id, request_id_var

log = logging.getLogger("gateway.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def create_app(settings: GatewaySettings | None = None) -> Flask:
    settings = settings or GatewaySettings.from_env()
    app = Flask(__name__)
    app.config["GAWE"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["gawe_rpc"] = RpcPool(
        settings.amqp_uri, settings.rpc_timeout, settings.rpc_pool_size
    )

    _install_request_id(app)
    register_error_handlers(app)
    headers.install(app)
    limits.install(app)
    converters.install(app)

    for blueprint in discover_blueprints():
        app.register_blueprint(blueprint)
    # the header links, home cards and page sections the installed apps' manifests declare
    app.context_processor(lambda: {"app_sections": page_sections})
    return app


def discover_blueprints() -> list:
    """The `blueprint` of each gateway module the installed apps name in their manifests, and of
    every `gateway/<package>/rest.py` (the platform's own: docs, ops, web pages), by module name."""
    modules = {module for spec in installed_apps() for module in spec.gateway}
    for module_info in pkgutil.iter_modules(__path__):
        name = f"{__name__}.{module_info.name}.rest"
        if module_info.ispkg and importlib.util.find_spec(name) is not None:
            modules.add(name)
    return [importlib.import_module(name).blueprint for name in sorted(modules)]


def _install_request_id(app: Flask) -> None:
    @app.before_request
    def _bind_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        g.started = time.perf_counter()
        request_id_var.set(g.request_id)

    @app.after_request
    def _return_request_id(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers["X-Request-ID"] = request_id
        started = getattr(g, "started", None)
        if started is not None:
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,  # never the query string: it may hold personal data
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
        return response
