"""`python -m services.gis.importer path.geojson` (and `make gis-import FILE=...`).

Validates every geometry and the code hierarchy; a bad file is rejected with each feature's
problem and the current data stays as it is. Importing the same content again changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from servicekit.config import database_url
from servicekit.database import make_engine
from services.gis import store
from services.gis.boundaries import BoundaryFileError
from services.gis.dependencies import load_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Import kecamatan/desa boundaries (GeoJSON) into the gis database."
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--version", help="version label (default: the file name)")
    parser.add_argument("--source", help="where the data comes from (default: the file path)")
    args = parser.parse_args(argv)
    try:
        records = load_file(args.file)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"Berkas tidak dapat dibaca: {exc}", file=sys.stderr)
        return 2
    except BoundaryFileError as exc:
        print(
            f"Berkas ditolak ({len(exc.problems)} masalah); data yang ada tidak berubah:",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    engine = make_engine(database_url("gis"))
    with Session(engine) as session:
        boundary_set, created = store.import_set(
            session,
            records,
            version=args.version or args.file.stem,
            source=args.source or str(args.file.resolve()),
        )
        session.commit()
        summary = (boundary_set.version, boundary_set.area_count)
    engine.dispose()
    if created:
        print(f"Diimpor sebagai versi {summary[0]}: {summary[1]} wilayah (berlaku sekarang).")
        print("Layanan gis memakai versi baru dalam beberapa detik (GIS_SET_CACHE_SECONDS).")
    else:
        print(f"Isi berkas sama dengan versi {summary[0]} yang berlaku: tidak ada perubahan.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
