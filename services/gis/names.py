"""Finding an area by name or code, with the spellings people actually use."""

from __future__ import annotations

import difflib
import re

# Known alternative spellings: what people write -> the official name's key.
ALIASES = {
    "tanjungteja": "tunjungteja",
    "pulauampel": "puloampel",
    "lebakwangi": "lebakwangi",
    "kramatwatu": "kramatwatu",
    "waringinkurung": "waringinkurung",
    "gunungsari": "gunungsari",
    "cikeusal": "cikeusal",
    "padaricang": "padarincang",
}


def name_key(name: str) -> str:
    """Lower case, letters and digits only: 'Tunjung Teja' and 'tunjung-teja' share a key."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def match_score(query: str, name: str, code: str) -> float:
    """1.0 for an exact code or name (or known alias), less for near spellings, 0 for no match."""
    q = query.strip()
    if not q:
        return 0.0
    if q == code or (len(q) >= 5 and code.startswith(q)):
        return 1.0
    key, target = name_key(q), name_key(name)
    key = ALIASES.get(key, key)
    if key == target:
        return 1.0
    if len(key) >= 3 and key in target:
        return 0.9
    ratio = difflib.SequenceMatcher(None, key, target).ratio()
    return ratio if ratio >= 0.8 else 0.0
