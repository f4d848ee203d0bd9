"""Who may add photos to a report, and which kind they are (a rule, no I/O).

Asked twice: by the gateway before it stores any file (`check_photos`), and again when the
stored files are recorded (`add_photos`), since the report may change in between.
"""

from __future__ import annotations

from servicekit.context import Actor
from servicekit.errors import Conflict, Forbidden, Invalid
from services.complaints.contract import OPEN_STATUSES
from services.complaints.models import Report

REPORT, RESOLUTION = "report", "resolution"


def photo_kind(report: Report, actor: Actor, adding: int, max_photos: int) -> str:
    """The reporter's photos while the report is open, the handling agency's as proof of the
    fix; at most `max_photos` in all. Refuses anyone else (403), a closed report (409) and one
    photo too many (422)."""
    actor.require_login()
    is_reporter = report.reporter_user_id is not None and report.reporter_user_id == actor.user_id
    is_staff = actor.has_role("officer", "verifier") and actor.agency == report.agency_code
    if not (is_reporter or is_staff):
        raise Forbidden("Hanya pelapor atau petugas OPD yang menangani yang dapat menambah foto.")
    if is_reporter and report.status not in OPEN_STATUSES:
        raise Conflict(
            "Foto hanya dapat ditambahkan selama laporan masih terbuka.",
            {"status": [report.status]},
        )
    if len(report.photos) + adding > max_photos:
        raise Invalid(
            f"Paling banyak {max_photos} foto per laporan.",
            {"photos": [f"Sudah ada {len(report.photos)} foto."]},
        )
    return REPORT if is_reporter else RESOLUTION
