"""The published contracts of accounts, notifications and gis stay light, and the locating
code the gateway shares with the gis service gives the same answers from a snapshot."""

import subprocess
import sys

import shapely
from shapely.geometry import box

from servicekit.geo.locating import AreaRef, CurrentSet, Locator, from_snapshot, snapshot

HEAVY = ("sqlalchemy", "shapely", "flask", "nameko", "eventlet")


def test_contracts_import_no_framework():
    """Another process may import a contract without the app's database, bus or geometry code."""
    code = (
        "import sys\n"
        "import services.accounts.contract, services.notifications.contract\n"
        "import services.gis.contract, services.complaints.contract, services.proposals.contract\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""


def test_a_snapshot_locates_like_the_index_it_was_taken_from():
    refs = [
        AreaRef("36.04.01.2001", "Satu", "36.04.01"),
        AreaRef("36.04.01.2002", "Dua", "36.04.01"),
    ]
    geoms = [box(106.0, -6.1, 106.1, -6.0), box(106.1, -6.1, 106.2, -6.0)]
    current = CurrentSet(7, "v1", False, {"36.04.01": "Kecamatan"})
    taken = snapshot(
        current, [(r.code, r.name, r.parent_code, g) for r, g in zip(refs, geoms, strict=True)]
    )
    copy, copied_set = from_snapshot(taken)
    points = [(-6.05, 106.05), (-6.05, 106.1), (-6.5, 106.15)]  # inside, on the border, outside
    assert copy.locate_many(points) == Locator(refs, geoms).locate_many(points)
    assert (copied_set.id, copied_set.version) == (7, "v1")
    on_border = copy.locate_many(points[1:2])[0]
    assert on_border.inside and on_border.desa.code == "36.04.01.2001"  # the smaller code
    assert [r.code for r in on_border.ambiguous] == ["36.04.01.2002"]
    assert shapely.from_wkb(taken["desa"][0]["wkb"]).equals(geoms[0])
