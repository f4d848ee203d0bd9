"""The OpenAPI document and a readable docs page served with no external assets."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from gateway.access import PUBLIC, access
from gateway.docs.openapi import build_spec
from gateway.problems import PROBLEM_TYPES

blueprint = Blueprint("docs", __name__)


def _spec() -> dict:
    spec = current_app.extensions.get("gawe_openapi")
    if spec is None:
        spec = current_app.extensions["gawe_openapi"] = build_spec(current_app)
    return spec


@blueprint.get("/api/v1/openapi.json")
@access(PUBLIC)
def openapi_json():
    """The OpenAPI 3 document of this API."""
    return jsonify(_spec())


def _resolve(spec: dict, schema: dict | None) -> dict:
    if not schema:
        return {}
    if "$ref" in schema:
        return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] | {
            "_name": schema["$ref"].rsplit("/", 1)[-1]
        }
    if schema.get("type") == "array":
        inner = _resolve(spec, schema.get("items"))
        return inner | {"_name": f"daftar {inner.get('_name', '')}"}
    return schema


@blueprint.get("/api/docs")
@access(PUBLIC)
def docs_page():
    """Human-readable API documentation (server-rendered; works offline)."""
    spec = _spec()
    groups: dict[str, list] = {}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            body = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            responses = []
            for code, response in op["responses"].items():
                content = response.get("content", {})
                schema = next(iter(content.values()), {}).get("schema") if content else None
                responses.append((code, response["description"], _resolve(spec, schema)))
            groups.setdefault((op.get("tags") or ["Lainnya"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "op": op,
                    "body": _resolve(spec, body),
                    "responses": responses,
                    "secured": bool(op.get("security")),
                }
            )
    return render_template(
        "docs.html", spec=spec, groups=groups, problems=sorted(PROBLEM_TYPES.items())
    )
