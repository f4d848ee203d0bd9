"""Alembic per service: `python -m servicekit.migrate [service ...]` upgrades each to head.

Each service keeps its migrations in `services/<name>/migrations/`; its env.py is a
one-liner calling `run_env(metadata)`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from servicekit.config import database_url
from servicekit.database import make_engine

SERVICES_PACKAGE = "services"


def service_names() -> list[str]:
    root = Path(importlib.import_module(SERVICES_PACKAGE).__path__[0])
    return sorted(p.parent.parent.name for p in root.glob("*/migrations/env.py"))


def alembic_config(service: str, url: str | None = None) -> Config:
    package = importlib.import_module(f"{SERVICES_PACKAGE}.{service}")
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(package.__path__[0]) / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or database_url(service)).replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(service: str, url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, url), revision)


# Tables that extensions own (PostGIS), never ours to create or drop.
EXTENSION_TABLES = frozenset({"spatial_ref_sys"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in EXTENSION_TABLES)


def run_env(metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode only: we always have a DB)."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Apply each service's migrations.")
    parser.add_argument("services", nargs="*", help="default: every service")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = args.services or service_names()
    unknown = set(names) - set(service_names())
    if unknown:
        parser.error(f"unknown service(s): {', '.join(sorted(unknown))}")
    for name in names:
        upgrade(name)
        print(f"migrated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
