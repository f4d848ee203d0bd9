"""A category's extra attributes (Open311 service definition) and the checking of their values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

MAX_STRING = 200
MAX_TEXT = 2000


def _number(definition: dict, raw: Any) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError("harus berupa angka") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("harus berupa angka")
    low, high = definition.get("min"), definition.get("max")
    if low is not None and value < low:
        raise ValueError(f"paling kecil {low:g}")
    if high is not None and value > high:
        raise ValueError(f"paling besar {high:g}")
    return int(value) if value.is_integer() else value


def _keys(definition: dict) -> set[str]:
    return {str(v["key"]) for v in definition.get("values", [])}


def _check(definition: dict, raw: Any) -> Any:
    datatype = definition["datatype"]
    if datatype == "number":
        return _number(definition, raw)
    if datatype == "singlevaluelist":
        if isinstance(raw, list):
            raise ValueError("pilih satu nilai saja")
        if str(raw) not in _keys(definition):
            raise ValueError(f"pilih salah satu: {', '.join(sorted(_keys(definition)))}")
        return str(raw)
    if datatype == "multivaluelist":
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
        unknown = set(values) - _keys(definition)
        if unknown:
            raise ValueError(f"nilai tidak dikenal: {', '.join(sorted(unknown))}")
        return sorted(set(values))
    if datatype == "datetime":
        try:
            return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).isoformat()
        except ValueError:
            raise ValueError("harus tanggal-waktu ISO 8601") from None
    text = str(raw).strip()
    limit = MAX_TEXT if datatype == "text" else MAX_STRING
    if datatype == "string" and "\n" in text:
        raise ValueError("tidak boleh berisi baris baru")
    if len(text) > limit:
        raise ValueError(f"paling banyak {limit} karakter")
    return text


def validate_attributes(definitions: list[dict], values: dict[str, Any]) -> tuple[dict, dict]:
    """Checked values keyed by code, and errors keyed by `attribute[code]`."""
    known = {d["code"]: d for d in definitions if d.get("variable", True)}
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for code in sorted(set(values) - set(known)):
        errors[f"attribute[{code}]"] = ["Atribut tidak dikenal untuk kategori ini."]
    for code, definition in known.items():
        raw = values.get(code)
        if raw is None or raw == "" or raw == []:
            if definition.get("required"):
                errors[f"attribute[{code}]"] = [f"Wajib diisi: {definition['description']}."]
            continue
        try:
            clean[code] = _check(definition, raw)
        except ValueError as exc:
            errors[f"attribute[{code}]"] = [f"{definition['description']}: {exc}."]
    return clean, errors
