"""The peer of issue #15's OGC rows: pygeoapi with its PostgreSQL provider, on the same desa, in
the same run as Gawe, under the same gunicorn settings (deploy/gunicorn.conf.py).

pygeoapi is a comparison only, never a dependency of the project: it is installed into a
virtualenv of its own (var/peer/pygeoapi, kept between runs; PEER_VENV moves it), from the
package index like every other package. Its data are the desa that the running platform
itself serves (its whole desa layer, read over HTTP), loaded into a PostGIS database of its own
(`gawe_bench_pygeoapi` on BENCH_PEER_DATABASE_URL's server), dropped at the end.

`running(platform_url, workdir)` yields the peer's base URL, or None with the reason printed
when it cannot run here (no PostgreSQL, no PostGIS, the index out of reach): the rest of the
benchmark goes on without the peer's rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import psycopg2

from bench import bare
from bench.bare import ROOT

PEER = "pygeoapi==0.21.0"  # the release the issue measured
PACKAGES = [PEER, "psycopg2-binary", "geoalchemy2", "gunicorn", "prometheus-client"]
DATABASE = "gawe_bench_pygeoapi"
SERVER = os.environ.get("BENCH_PEER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _venv() -> Path | None:
    venv = Path(os.environ.get("PEER_VENV", ROOT / "var" / "peer" / "pygeoapi"))
    marker = venv / f".installed-{PEER}"
    if marker.exists():
        return venv
    print(f"installing {PEER} into its own virtualenv {venv} (not the project's) ...")
    sys.stdout.flush()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run(
        [venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check", *PACKAGES],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"(no peer rows: pip could not install {PEER}: {done.stderr.strip()[-300:]})")
        return None
    marker.touch()
    return venv


def _load(layer: dict) -> str:
    """The desa layer into a fresh PostGIS database of the peer's own; returns its DSN."""
    admin = psycopg2.connect(SERVER)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()
    dsn = SERVER.rsplit("/", 1)[0] + "/" + DATABASE
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE EXTENSION postgis")
        cursor.execute(
            "CREATE TABLE desa (kode text PRIMARY KEY, nama text, level text, kode_induk text,"
            " jenis text, geom geometry(Geometry, 4326) NOT NULL)"
        )
        for feature in layer["features"]:
            props = feature["properties"]
            cursor.execute(
                "INSERT INTO desa VALUES (%s, %s, %s, %s, %s,"
                " ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326))",
                (
                    props["kode"],
                    props["nama"],
                    props["level"],
                    props.get("kode_induk"),
                    props.get("jenis"),
                    json.dumps(feature["geometry"]),
                ),
            )
        cursor.execute("CREATE INDEX desa_geom ON desa USING gist (geom)")
        cursor.execute("ANALYZE desa")
    return dsn


def _config(port: int, dsn_parts: dict, workdir: Path) -> Path:
    """pygeoapi's configuration (JSON is YAML): one collection, the desa, as Gawe serves it."""
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": "http://127.0.0.1/{z}/{x}/{y}.png", "attribution": "none"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "peer",
                "description": "benchmark peer",
                "keywords": ["desa"],
                "keywords_type": "theme",
                "terms_of_service": "none",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {"name": "bench", "email": "bench@gawe.example", "url": "http://127.0.0.1"},
        },
        "resources": {
            "desa": {
                "type": "collection",
                "title": "Desa",
                "description": "Desa Kabupaten Serang",
                "keywords": ["desa"],
                "extents": {"spatial": {"bbox": [105.8, -6.4, 106.5, -5.8]}},
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": dsn_parts,
                        "id_field": "kode",
                        "table": "desa",
                        "geom_field": "geom",
                    }
                ],
            }
        },
    }
    path = workdir / "pygeoapi.config.yml"
    path.write_text(json.dumps(config, indent=1))
    return path


@contextlib.contextmanager
def running(platform_url: str, workdir: Path):
    """Yield pygeoapi's base URL over the platform's own desa, or None when it cannot run here."""
    venv = _venv()
    try:
        with urllib.request.urlopen(
            platform_url + "/gis/collections/desa/items?limit=1000&f=json", timeout=30
        ) as answer:
            layer = json.loads(answer.read())
        dsn = _load(layer) if venv else None
    except psycopg2.Error as error:
        print(f"(no peer rows: PostgreSQL with PostGIS is needed for pygeoapi's provider: {error})")
        dsn = None
    if venv is None or dsn is None:
        yield None
        return
    port = bare.free_port()  # in pygeoapi's configuration too (its links)
    host = SERVER.split("@", 1)[1].split("/", 1)[0]
    dsn_parts = {
        "host": host.split(":")[0],
        "port": int(host.split(":")[1]) if ":" in host else 5432,
        "dbname": DATABASE,
        "user": SERVER.split("//", 1)[1].split("@", 1)[0].split(":")[0],
        "password": "",
        "search_path": ["public"],
    }
    config = _config(port, dsn_parts, workdir)
    openapi = workdir / "pygeoapi.openapi.yml"
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "PYGEOAPI_CONFIG": str(config),
        "PYGEOAPI_OPENAPI": str(openapi),
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus-peer"),
    }
    subprocess.run(
        [venv / "bin" / "pygeoapi", "openapi", "generate", str(config), "--output-file", openapi],
        env=env,
        check=True,
        capture_output=True,
    )
    try:
        with bare.gunicorn(  # the gateway's gunicorn settings, pygeoapi's Flask app
            venv / "bin" / "gunicorn",
            "pygeoapi.flask_app:APP",
            env,
            "/collections/desa?f=json",
            workdir / "pygeoapi.log",
            "pygeoapi",
            port,
        ) as url:
            yield url
    finally:
        admin = psycopg2.connect(SERVER)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.close()
