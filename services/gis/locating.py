"""What `locate` answers, and the snapshot that lets the gateway answer it too: pure, no I/O.

The gis service answers from its own index. The gateway keeps a copy built from
`gis.locator_snapshot` (the desa polygons of the current set, as WKB) and asks
`gis.boundary_version` now and then whether it is still current: the same Locator code over
the same polygons, so the same answers, without a round trip over the bus per request.
"""

from __future__ import annotations

import shapely

from services.gis.backends.base import AreaRef, Location
from services.gis.backends.shapely_index import Locator
from services.gis.dependencies import CurrentSet


def _named(ref: AreaRef, current: CurrentSet) -> tuple[dict, dict | None]:
    """The desa and its kecamatan as answered, built once per desa and set (answers share them,
    read-only: they are only ever serialised)."""
    found = current.named.get(ref.code)
    if found is None:
        parent = ref.parent_code
        kecamatan = (
            {"code": parent, "name": current.kecamatan_names.get(parent, parent)}
            if parent
            else None
        )
        found = current.named[ref.code] = ({"code": ref.code, "name": ref.name}, kecamatan)
    return found


def location_dict(lat: float, lon: float, found: Location, current: CurrentSet) -> dict:
    desa, kecamatan = _named(found.desa, current) if found.desa else (None, None)
    nearest = None
    if found.nearest:
        near_desa, near_kecamatan = _named(found.nearest, current)
        nearest = {
            "desa": near_desa,
            "kecamatan": near_kecamatan,
            "distance_m": round(found.distance_m, 1),
        }
    return {
        "lat": lat,
        "lon": lon,
        "inside": found.inside,
        "desa": desa,
        "kecamatan": kecamatan,
        "ambiguous": [_named(a, current)[0] for a in found.ambiguous],
        "nearest": nearest,
        "boundary_version": current.version,
        "approximate": current.approximate,
    }


def snapshot(current: CurrentSet, rows) -> dict:
    """`rows`: (code, name, parent_code, geometry) of every desa of the current set."""
    return {
        "set_id": current.id,
        "version": current.version,
        "approximate": current.approximate,
        "kecamatan_names": current.kecamatan_names,
        "desa": [
            {
                "code": code,
                "name": name,
                "parent_code": parent,
                "wkb": shapely.to_wkb(geom, hex=True),
            }
            for code, name, parent, geom in rows
        ],
    }


def from_snapshot(data: dict) -> tuple[Locator, CurrentSet]:
    current = CurrentSet(
        data["set_id"], data["version"], data["approximate"], data["kecamatan_names"]
    )
    desa = data["desa"]
    geoms = list(shapely.from_wkb([d["wkb"] for d in desa]))
    refs = [AreaRef(d["code"], d["name"], d["parent_code"]) for d in desa]
    return Locator(refs, geoms), current
