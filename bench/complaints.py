"""Bulk data for the complaints benchmark: 50,000 reports spread over the regency's bbox."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from servicekit.config import database_url
from servicekit.database import make_engine
from services.complaints.contract import STATUSES
from services.complaints.models import Report


def seed_reports(count: int = 50_000, batch: int = 5_000) -> int:
    """Insert `count` reports directly into the bench complaints database (volume, not behaviour)."""
    engine = make_engine(database_url("complaints"))
    now = datetime.now(UTC)
    rng = random.Random(2026)
    with engine.begin() as conn:
        # Well above the ids in use: requests of an earlier scenario may still be landing.
        first = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM reports").scalar() + 100_000
        for start in range(first, first + count, batch):
            rows = []
            for report_id in range(start, min(start + batch, first + count)):
                created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                rows.append(
                    {
                        "id": report_id,
                        "public_id": f"SRG-{created.year}-{report_id:06d}",
                        "token": str(uuid.uuid4()),
                        "category_code": "jalan-rusak",
                        "agency_code": "DPUPR",
                        "status": rng.choice(STATUSES),
                        "lat": rng.uniform(-6.3358, -5.8076),
                        "lon": rng.uniform(105.8248, 106.4118),
                        "description": "Laporan data uji beban.",
                        "attributes": {"panjang_kerusakan_m": rng.randint(1, 5000)},
                        "submitter_key": f"bench:{report_id % 97}",
                        "source": "bench",
                        "created_at": created,
                        "updated_at": created,
                        "stage_since": created,
                        "supporters": 0,
                    }
                )
            conn.execute(insert(Report), rows)
    engine.dispose()
    return count
