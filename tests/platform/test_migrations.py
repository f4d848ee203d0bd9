"""Each service's Alembic head builds exactly the tables its models declare, on both backends:
the same columns, indexes and constraints, and the same column types (compared as
servicekit.migrate.run_env compares them when a migration is written)."""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from servicekit.database import make_engine
from servicekit.migrate import include_object, service_names


@pytest.mark.parametrize("service", service_names())
def test_migration_head_matches_models(service, databases, backend):
    url = databases.create(service, backend)
    models = importlib.import_module(f"services.{service}.models")
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            ),
            models.Base.metadata,
        )
    engine.dispose()
    assert diff == [], "\n".join(map(str, diff))


def test_every_app_with_a_database_has_migrations():
    from servicekit.apps import installed_apps

    expected = sorted(spec.name for spec in installed_apps() if spec.database)
    assert service_names() == expected
    assert {"accounts", "complaints", "gis", "notifications", "proposals"} <= set(expected)
