"""The shape of every JSON endpoint: authenticate, validate, call, dump.

`@endpoint(...)` checks the caller, loads the body and query with marshmallow
schemas (unknown fields refused), dumps the result with the response schema, and
records all of it for the OpenAPI document, so docs and behaviour cannot drift.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from flask import Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError, fields

from gateway.access import Access
from gateway.auth import current_actor, require
from gateway.problems import Problem


@dataclass(frozen=True)
class EndpointDoc:
    summary: str
    tags: tuple[str, ...]
    body: type[Schema] | None
    query: type[Schema] | None
    response: type[Schema] | None
    many: bool
    status: int
    auth: bool
    roles: tuple[str, ...] | None
    errors: tuple[int, ...]
    access: Access | None = None  # who gets what (gateway/access.py)
    form: dict | None = None  # a multipart/form-data body's JSON schema (gateway/uploads.py)
    query_status: int = 400  # the answer to a query the schema refuses


def load_json_body(schema: Schema) -> dict:
    if request.mimetype != "application/json":
        raise Problem(415, "Kirim data sebagai application/json.")
    raw = request.get_data(cache=True)  # over the size limit: 413 from werkzeug
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(400, f"JSON tidak valid: {exc}.") from None
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Problem(422, "Data tidak valid.", exc.normalized_messages()) from None


def load_query(schema: Schema, status: int = 400) -> dict:
    multi = {key: values if len(values) > 1 else values[0] for key, values in request.args.lists()}
    try:
        return schema.load(multi)
    except ValidationError as exc:
        raise Problem(status, "Parameter kueri tidak valid.", exc.normalized_messages()) from None


def project(schema: Schema, data, many: bool = False):
    """Keep only the fields the response schema declares (services already dumped the values).

    The response schema is the public contract: anything a service returns beyond it
    never reaches the client.
    """
    if data is None:
        return None
    if many:
        return [project(schema, item) for item in data]
    if not isinstance(data, dict):
        return schema.dump(data)
    out = {}
    for name, field in schema.dump_fields.items():
        key = field.data_key or name
        if key not in data:
            continue
        value = data[key]
        if isinstance(field, fields.Nested):
            value = project(field.schema, value, many=field.many)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            value = project(field.inner.schema, value, many=True) if value is not None else None
        out[key] = value
    return out


def rpc(service: str, method: str, *args, **kwargs):
    """Call a service with this request's correlation id and acting user."""
    actor = current_actor()
    context = {
        "request_id": g.request_id,
        "actor": actor.to_context() if actor.is_authenticated else None,
        # the client's address (behind GATEWAY_TRUSTED_PROXIES: from X-Forwarded-For), for
        # the services' own per-client limits
        "client_ip": request.remote_addr,
    }
    return current_app.extensions["gawe_rpc"].call(
        service, method, *args, context=context, **kwargs
    )


def endpoint(
    summary: str,
    *,
    tags: tuple[str, ...] = (),
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    many: bool = False,
    status: int = 200,
    auth: bool = False,
    roles: tuple[str, ...] | None = None,
    errors: tuple[int, ...] = (),
    max_body: int | None = None,
    access: Access | None = None,
    form: dict | None = None,
    query_status: int = 400,
):
    """`query_status`: 400 for a query its schema refuses (a malformed request), or 422 where the
    query is the request's data, refused as a body would be (the chain a proof is asked for, the
    paging of the hidden reports' list)."""
    # Built once: a schema (and its nested schemas) costs more to build than to use, and
    # marshmallow schemas are safe to share for load and dump.
    body_schema = body() if body is not None else None
    query_schema = query() if query is not None else None
    response_schema = response() if response is not None else None

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if auth or roles:
                require(actor, roles)
            if max_body is not None:
                request.max_content_length = max_body
            if body_schema is not None:
                kwargs["body"] = load_json_body(body_schema)
            if query_schema is not None:
                kwargs["query"] = load_query(query_schema, query_status)
            result = view(*args, **kwargs)
            if isinstance(result, Response):
                return result
            payload = project(response_schema, result, many) if response_schema else result
            return jsonify(payload), status

        wrapper.endpoint_doc = EndpointDoc(
            summary=summary,
            tags=tags,
            body=body,
            query=query,
            response=response,
            many=many,
            status=status,
            auth=bool(auth or roles),
            roles=roles,
            errors=errors,
            access=access,
            form=form,
            query_status=query_status,
        )
        wrapper.access = access
        return wrapper

    return decorate
