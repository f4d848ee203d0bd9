"""Report categories (Open311 services): read by everyone, changed by admins.

Plain functions behind ComplaintsService's entrypoints of the same names, given its `Desk`.
"""

from __future__ import annotations

from servicekit.errors import NotFound
from servicekit.payloads import load
from services.complaints import store
from services.complaints.contract import CategorySchema
from services.complaints.desk import Desk
from services.complaints.models import Category


def list_categories(desk: Desk) -> list[dict]:
    """Active categories with their attributes (Open311 services and definitions)."""
    return [_category(c) for c in store.fetch_categories(desk.db)]


def get_category(desk: Desk, code: str) -> dict:
    category = store.get_category(desk.db, code)
    if category is None:
        raise NotFound(
            "Kategori tidak ditemukan.", {"service_code": [f"Tidak ada kategori {code}."]}
        )
    return _category(category)


def save_category(desk: Desk, payload: dict) -> dict:
    """Admins add or change a category: its agency, area routing and attributes."""
    desk.actor.require_role("admin")
    data = load(CategorySchema(), payload)
    category = desk.db.get(Category, data["code"]) or Category(code=data["code"])
    for key, value in data.items():
        setattr(category, key, value)
    desk.db.add(category)
    return _category(category)


def _category(category: Category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "group": category.group,
        "keywords": category.keywords,
        "agency_code": category.agency_code,
        "routes_by_area": category.routes_by_area,
        "active": category.active,
        "attributes": sorted(category.attributes or [], key=lambda a: a.get("order", 1)),
    }
