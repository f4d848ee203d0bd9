"""Alembic per app: `python -m servicekit.migrate [app ...]` upgrades each database to head.

Every installed app with a database (servicekit.apps) names its migrations' script location
in its manifest (`migrations`, e.g. "services.complaints:migrations"); their env.py is a
one-liner calling `run_env(metadata)`.
"""

from __future__ import annotations

import argparse
import logging
import sys

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from servicekit.apps import app, installed_apps
from servicekit.config import database_url
from servicekit.database import make_engine


def service_names() -> list[str]:
    """The installed apps that have a database, sorted."""
    return [spec.name for spec in installed_apps() if spec.database]


def alembic_config(service: str, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", app(service).migrations)
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
    parser = argparse.ArgumentParser(description="Apply each app's migrations.")
    parser.add_argument("services", nargs="*", help="default: every installed app's database")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = args.services or service_names()
    unknown = set(names) - set(service_names())
    if unknown:
        parser.error(f"unknown app(s) or without a database: {', '.join(sorted(unknown))}")
    for name in names:
        upgrade(name)
        print(f"migrated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
