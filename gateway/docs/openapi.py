"""The OpenAPI 3 document, generated from the endpoints' own schemas."""

from __future__ import annotations

import inspect
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter

from gateway.converters import ID_MAX, pattern_of
from gateway.problems import PROBLEM_MIMETYPE, PROBLEM_TYPES
from servicekit import __version__

# Starts the paragraph of an operation's description that states the rules between its fields
# that no JSON schema expresses; a schema-valid body breaking them is answered 422.
CROSS_FIELD = "Aturan antar-kolom"
# Starts the paragraph of a rule about a stored row's state (an event that must be parked...).
STATE_RULE = "Aturan keadaan"
# Starts the paragraph every upload's description gets: a file is checked by its bytes.
FILE_CONTENT = "Aturan isi berkas"
# The rules no JSON schema states, each answered by the 422 its paragraph names.
UNSTATED_RULES = (CROSS_FIELD, STATE_RULE, FILE_CONTENT)


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
        if doc is None and not rule.rule.startswith("/api/v1/"):
            continue  # web pages and the docs page: not the API
        operations = {}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operations[method.lower()] = (
                _operation(rule, view, doc) if doc is not None else _download(rule, view)
            )
        spec.path(path=_openapi_path(rule.rule), operations=operations)
    return spec.to_dict()


def _path_parameters(rule) -> list[dict]:
    """Each path argument with its converter's type or pattern, so a document's URL never
    names a literal route (`mine`, `queue`) as an id, as the routes themselves do not."""
    params = []
    for name in sorted(rule.arguments):
        schema: dict = {"type": "string"}
        if isinstance(rule._converters.get(name), IntegerConverter):
            schema = {"type": "integer", "minimum": 0, "maximum": ID_MAX}
        elif (pattern := pattern_of(rule, name)) is not None:
            schema["pattern"] = pattern
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    return params


def _problems(codes) -> dict:
    problem = {PROBLEM_MIMETYPE: {"schema": "Problem"}}
    return {
        str(code): {"description": PROBLEM_TYPES[code][1], "content": problem}
        for code in sorted(codes)
    }


def _download(rule, view) -> dict:
    """A file the API serves (a scan, a photo, a CSV) outside `@endpoint`: its path, its
    answers and who may ask (gateway/access.py), with no body schema to check."""
    operation: dict = {
        "summary": (inspect.getdoc(view) or rule.endpoint).split("\n", 1)[0],
        "description": inspect.getdoc(view) or "",
        "operationId": rule.endpoint.replace(".", "_"),
        "tags": ["Berkas"],
        "responses": {"200": {"description": "Berkas"}},
    }
    if rule.arguments:
        operation["parameters"] = _path_parameters(rule)
    operation["responses"] |= _problems({401, 403, 404, 503, 504})
    return operation


def _operation(rule, view, doc) -> dict:
    operation: dict = {
        "summary": doc.summary,
        "description": inspect.getdoc(view) or "",
        "operationId": rule.endpoint.replace(".", "_"),
        "tags": list(doc.tags),
        "responses": {},
    }
    path_params = _path_parameters(rule)
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
    if doc.form is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": doc.form}},
        }
        operation["description"] += (
            f"\n\n{FILE_CONTENT} (naming the file): each file is checked by its content (its "
            "bytes, not its name or declared type): 415 when it is not of the kinds named above, "
            "422 when an image cannot be read or has too many pixels, 413 when it is over the "
            "size limit."
        )
        error_codes |= {400, 413, 415, 422}
    if doc.query is not None:
        error_codes.add(doc.query_error)
    # every request may carry a token, and one that is invalid or expired (or whose session
    # was signed out) is refused with 401 even where no sign-in is needed
    error_codes.add(401)
    if doc.auth:
        operation["security"] = [{"bearer": []}]
    if doc.roles:
        error_codes.add(403)
    error_codes |= {503, 504}
    operation["responses"] |= _problems(error_codes)
    return operation
