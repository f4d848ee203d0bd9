"""The OpenAPI 3 document, generated from the endpoints' own schemas."""

from __future__ import annotations

import inspect
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

from gateway.problems import PROBLEM_MIMETYPE, PROBLEM_TYPES
from servicekit import __version__


class ProblemSchema(Schema):
    type = fields.String(metadata={"example": "/api/docs#problem-validation-error"})
    title = fields.String(metadata={"example": "Data tidak valid"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "pesan per kolom", "example": {"email": ["Wajib diisi."]}},
    )
    request_id = fields.String()


def _schema_name(resolver_schema) -> str:
    cls = resolver_schema if isinstance(resolver_schema, type) else type(resolver_schema)
    name = cls.__name__
    return name[:-6] if name.endswith("Schema") and len(name) > 6 else name


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="Gawe API — Layanan Pemerintah Kabupaten Serang",
        version=__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={
            "description": "REST API of the Gawe platform (Serang Gawe / Serang Kerja). "
            "Errors are application/problem+json (RFC 9457)."
        },
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        doc = getattr(view, "endpoint_doc", None)
        if doc is None:
            continue
        operations = {}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operations[method.lower()] = _operation(rule, view, doc)
        spec.path(path=_openapi_path(rule.rule), operations=operations)
    return spec.to_dict()


def _operation(rule, view, doc) -> dict:
    problem = {PROBLEM_MIMETYPE: {"schema": "Problem"}}
    operation: dict = {
        "summary": doc.summary,
        "description": inspect.getdoc(view) or "",
        "operationId": rule.endpoint.replace(".", "_"),
        "tags": list(doc.tags),
        "responses": {},
    }
    path_params = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in rule.arguments
    ]
    if doc.query is not None:
        path_params.append({"in": "query", "schema": doc.query})
    if path_params:
        operation["parameters"] = path_params
    if doc.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": doc.body}},
        }
    if doc.response is not None:
        schema = {"type": "array", "items": doc.response} if doc.many else doc.response
        operation["responses"][str(doc.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": schema}},
        }
    else:
        operation["responses"][str(doc.status)] = {"description": "OK"}
    error_codes = set(doc.errors)
    if doc.body is not None:
        error_codes |= {400, 413, 415, 422}
    if doc.query is not None:
        error_codes.add(400)
    if doc.auth:
        error_codes.add(401)
        operation["security"] = [{"bearer": []}]
    if doc.roles:
        error_codes.add(403)
    error_codes |= {503, 504}
    for code in sorted(error_codes):
        operation["responses"][str(code)] = {
            "description": PROBLEM_TYPES[code][1],
            "content": problem,
        }
    return operation
