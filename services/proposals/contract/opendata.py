"""Serang Open's open data, the parts outside clients and the gateway share (issue #17): the
funder's identity and the 360Giving data package around the awarded grants. The grants
themselves are built by the service (services/proposals/opendata.py)."""

from __future__ import annotations

from datetime import datetime

STANDARD_VERSION = "1.4"  # the 360Giving Data Standard's major.minor the grants follow
FUNDER_ID = "XI-PEMDA-3604"  # Kabupaten Serang (BPS region code 3604)
FUNDER_NAME = "Pemerintah Kabupaten Serang"


def package(grants: list[dict], site: str, download: str, license_url: str, now: datetime) -> dict:
    """The 360Giving data package of `grants` (its `modified`: the latest grant's change)."""
    modified = max((g["dateModified"] for g in grants), default=now.isoformat())
    return {
        "version": STANDARD_VERSION,
        "title": "Serang Open: hibah dan bansos Kabupaten Serang",
        "description": (
            "Hibah dan bantuan sosial Pemerintah Kabupaten Serang yang telah diputuskan dengan "
            "Keputusan Bupati, dari keputusan sampai laporan pertanggungjawaban."
        ),
        "identifier": f"{FUNDER_ID}-serang-open-grants",
        "issued": now.date().isoformat(),
        "modified": modified,
        "publisher": {"identifier": FUNDER_ID, "name": FUNDER_NAME, "website": site},
        "license": license_url,
        "downloadURL": download,
        "accessURL": f"{site}/usulan",
        "grants": grants,
    }
