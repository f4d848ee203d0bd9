"""GIS figures inside the service (no RPC): locate throughput and the items query p99.

Uses the real 326-desa boundaries from ../shared/data/serang when present (else the demo set),
in a SQLite database of its own under var/bench/. Run by `make bench` or `python -m bench.gis`.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from servicekit.config import var_dir
from servicekit.database import make_engine
from servicekit.geo.locating import location_dict
from servicekit.migrate import upgrade
from services.gis import store
from services.gis.backends.shapely_index import ShapelyBackend
from services.gis.boundaries import demo_records, parse_feature_collection
from services.gis.dependencies import CurrentSet
from services.gis.features import point_feature

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "serang" / "kab_serang_boundaries.geojson"
BBOX = (105.8248, -6.3358, 106.4118, -5.8076)


def _points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    return [(rng.uniform(BBOX[1], BBOX[3]), rng.uniform(BBOX[0], BBOX[2])) for _ in range(n)]


def main() -> None:
    path = var_dir() / "bench" / "gis-bench.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    upgrade("gis", url)
    engine = make_engine(url)
    rng = random.Random(7)
    records = (
        parse_feature_collection(json.loads(REAL.read_text())) if REAL.exists() else demo_records()
    )
    with Session(engine) as session:
        boundary_set, _ = store.import_set(session, records, "bench", "bench")
        session.commit()
        current = CurrentSet(
            boundary_set.id,
            "bench",
            False,
            {r.code: r.name for r in records if r.level == "kecamatan"},
        )
        backend = ShapelyBackend()
        backend.locate_many(session, current.id, _points(10, rng))  # build the index

        batch = _points(100_000, rng)
        started = time.perf_counter()
        for i in range(0, len(batch), 10_000):
            chunk = batch[i : i + 10_000]
            [
                location_dict(lat, lon, loc, current)
                for (lat, lon), loc in zip(
                    chunk, backend.locate_many(session, current.id, chunk), strict=True
                )
            ]
        batch_rate = len(batch) / (time.perf_counter() - started)

        singles = _points(20_000, rng)
        started = time.perf_counter()
        for lat, lon in singles:
            location_dict(
                lat, lon, backend.locate_many(session, current.id, [(lat, lon)])[0], current
            )
        single_rate = len(singles) / (time.perf_counter() - started)

        window = (106.10, -6.15, 106.20, -6.05)
        store.upsert_points(
            session,
            "bench",
            [
                {
                    "id": f"p{i:05d}",
                    "lat": rng.uniform(window[1], window[3]),
                    "lon": rng.uniform(window[0], window[2]),
                    "properties": {
                        "category": rng.choice(["jalan-rusak", "lampu-jalan"]),
                        "status": "submitted",
                    },
                    "datetime": datetime.now(UTC),
                }
                for i in range(10_000)
            ],
        )
        session.commit()
        timings = []
        for _ in range(500):
            offset = rng.randrange(0, 9_900, 100)
            started = time.perf_counter()
            rows, matched = store.fetch_points(
                session, "bench", list(window), {}, None, 100, offset
            )
            [point_feature(p) for p in rows]
            timings.append((time.perf_counter() - started) * 1000)
        assert matched == 10_000
    engine.dispose()
    timings.sort()
    source = "real 326-desa boundaries" if REAL.exists() else "demo boundaries"
    print(f"gis, in the service (shapely/STRtree over SQLite, {source}):")
    print(f"  locate, batch of 10,000:  {batch_rate:>10,.0f} points/s   (target >= 50,000)")
    print(f"  locate, one at a time:    {single_rate:>10,.0f} lookups/s  (target >= 5,000)")
    print(
        f"  items in a bbox over 10,000 points, 100 per page: p50 {statistics.median(timings):.1f} ms, "
        f"p99 {timings[int(len(timings) * 0.99) - 1]:.1f} ms (target p99 < 50 ms)"
    )


if __name__ == "__main__":
    main()
