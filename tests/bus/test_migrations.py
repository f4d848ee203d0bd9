"""Each service's Alembic head builds exactly the tables its models declare, on both backends."""

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
                conn, opts={"compare_type": False, "include_object": include_object}
            ),
            models.Base.metadata,
        )
    engine.dispose()
    assert diff == []


def test_every_service_has_migrations():
    assert service_names() == ["accounts", "complaints", "gis", "notifications", "proposals"]
