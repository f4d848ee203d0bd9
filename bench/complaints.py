"""The complaints benchmark: 50,000 reports spread over the regency's bbox (list_reports), and the
public map of /pengaduan over 50,000 open reports on the gis layer (map_rows)."""

from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
import shapely
from sqlalchemy import delete, insert

from gateway.complaints.maps import MAP_LIMIT
from servicekit.config import database_url
from servicekit.database import make_engine
from services.complaints.contract import OPEN_STATUSES, STATUSES
from services.complaints.models import Report
from services.gis.models import Point


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


# --- the public map of /pengaduan over 50,000 open reports -------------------------------------

# The bbox the map's script asks for its first view (gateway/static/js/peta-pengaduan.js: the
# view fitted to the regency, clipped to it with a 0.01 degree margin), and its limit.
FIRST_VIEW_BBOX = "105.81480,-6.34580,106.42180,-5.79760"
MAP_POINTS = 50_000
MAP_SECONDS = 10.0
MAP_THREADS = 4
MAP_PREFIX = "BENCH-PETA-"


def seed_map_points(count: int = MAP_POINTS, batch: int = 5_000) -> int:
    """`count` open reports on the gis layer "complaints" (as its events would leave them), spread
    over the regency's bbox, written straight into the bench gis database."""
    engine = make_engine(database_url("gis"))
    rng = random.Random(13)
    now = datetime.now(UTC)
    statuses = sorted(OPEN_STATUSES)
    with engine.begin() as conn:
        conn.execute(delete(Point).where(Point.feature_id.startswith(MAP_PREFIX)))
        for start in range(0, count, batch):
            rows = []
            for n in range(start, min(start + batch, count)):
                lat, lon = rng.uniform(-6.3358, -5.8076), rng.uniform(105.8248, 106.4118)
                requested = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                status = rng.choice(statuses)
                public_id = f"{MAP_PREFIX}{n:06d}"
                rows.append(
                    {
                        "layer": "complaints",
                        "feature_id": public_id,
                        "lon": lon,
                        "lat": lat,
                        "properties": {
                            "public_id": public_id,
                            "category": "jalan-rusak",
                            "category_name": "Jalan rusak",
                            "status": status,
                            "agency": "DPUPR",
                            "kecamatan_code": "36.04.05",
                            "kecamatan": "Kramatwatu",
                            "desa_code": "36.04.05.2001",
                            "desa": "Pelamunan",
                            "supporters": rng.randint(0, 20),
                            "requested_at": requested.isoformat(),
                        },
                        "datetime": requested,
                        "updated_at": now,
                        "geom": shapely.Point(lon, lat),
                    }
                )
            conn.execute(insert(Point), rows)
    engine.dispose()
    return count


def remove_map_points() -> None:
    engine = make_engine(database_url("gis"))
    with engine.begin() as conn:
        conn.execute(delete(Point).where(Point.feature_id.startswith(MAP_PREFIX)))
    engine.dispose()


def map_rows(url: str, baseline: float) -> list[dict]:
    """With 50,000 open reports on the layer, the request the public map makes for its first
    view: its time alone (the wait before the first markers, p50/p95 of 50 in a row) and its
    rate from a few visitors at once (the row's figure, set against /healthz by bench/run.py)."""
    seed_map_points()
    first_view = f"{url.rstrip('/')}/gis/collections/complaints/items?bbox={FIRST_VIEW_BBOX}&limit={MAP_LIMIT}"
    try:
        session = requests.Session()
        answer = session.get(first_view, timeout=30)
        answer.raise_for_status()
        document = answer.json()
        returned, matched = document["numberReturned"], document["numberMatched"]
        timings = []
        for _ in range(50):
            started = time.perf_counter()
            session.get(first_view, timeout=30).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        done, failed = [0] * MAP_THREADS, [0] * MAP_THREADS
        stop = threading.Event()

        def work(index: int) -> None:
            mine = requests.Session()
            while not stop.is_set():
                if mine.get(first_view, timeout=30).status_code == 200:
                    done[index] += 1
                else:
                    failed[index] += 1

        started = time.perf_counter()
        with ThreadPoolExecutor(MAP_THREADS) as pool:
            for index in range(MAP_THREADS):
                pool.submit(work, index)
            time.sleep(MAP_SECONDS)  # the measuring window
            stop.set()
        elapsed = time.perf_counter() - started
    finally:
        remove_map_points()
    p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    verdict = "di bawah 1 s" if p95 < 1000 else "LEBIH dari 1 s"
    return [
        {
            "name": (
                f"Peta /pengaduan, tampilan pertama atas {matched:,} laporan terbuka "
                f"({returned} penanda, limit {MAP_LIMIT}): p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
                f"{verdict}; {MAP_THREADS} pengunjung sekaligus"
            ),
            "per_second": sum(done) / elapsed,
            "failed": sum(failed),
            "p50_ms": p50,
            "p95_ms": p95,
            "matched": matched,
        }
    ]
