"""Demo data of Sisumaker: filled in below."""

from __future__ import annotations


def load(context: dict | None = None) -> dict:
    return {}
