"""Open311 GeoReport v2 output: JSON, and XML by the Spark convention (JSON is the XML mapped)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from flask import Response

# The element name of one item inside each collection element.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "service_request_updates": "request_update",
    "discovery": "discovery",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(name, "item")
        for inner in value:
            _append(element, item_name, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, payload) -> bytes:
    element = ET.Element(root)
    if isinstance(payload, list):
        item_name = ITEM_NAMES[root]
        for item in payload:
            _append(element, item_name, item)
    else:
        for key, value in payload.items():
            _append(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def render(fmt: str, root: str, payload, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(
            to_xml(root, payload), status=status, content_type="text/xml; charset=utf-8"
        )
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status=status, content_type="application/json; charset=utf-8")


def errors(fmt: str, status: int, messages: list[str]) -> Response:
    return render(fmt, "errors", [{"code": status, "description": m} for m in messages], status)
