"""Fixtures shared by the whole suite.

Every run isolates itself: its own RabbitMQ vhosts (created through the management
API and deleted afterwards) and its own databases (fresh SQLite files, and fresh
PostgreSQL databases named gawe_t<run id>_..., dropped at the end of the run).
"""

import eventlet

eventlet.monkey_patch()  # before anything imports socket/threading (nameko's services need it)

import functools  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402

from tests.support.databases import (  # noqa: E402
    DatabaseFactory,
    require_backend,
)

pytest_plugins = ["tests.support.logcapture", "tests.support.fixtures", "tests.support.reach"]

RUN_ID = uuid.uuid4().hex[:8]

# A service's queue consumer notices that it is to stop between two waits on the broker, each a
# second long in kombu's ConsumerMixin: every platform a test module starts then takes a second
# to stop. The tests poll five times as often; what is consumed and how is unchanged.
from kombu.mixins import ConsumerMixin  # noqa: E402
from nameko.messaging import QueueConsumer  # noqa: E402

QueueConsumer.consume = functools.partialmethod(ConsumerMixin.consume, safety_interval=0.2)

# Cheap hashing and quiet logs in tests; production defaults are documented in README.
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The suite signs in and signs up hundreds of people from 127.0.0.1; tests/security checks the
# per-address limits with their production values.
for _scope in ("LOGIN", "REGISTER", "PASSWORD", "VERIFY", "ANONYMOUS_REPORT"):
    os.environ.setdefault(f"GATEWAY_LIMIT_{_scope}", "100000 per minute")


def pytest_configure(config):
    """The broker is the one AMQP_URI names, as for every process of the platform (its host,
    port and credentials; the run still makes vhosts of its own), unless --amqp-uri is given.
    The management API is looked for on the same host, unless --rabbit-api-uri is given."""
    amqp_uri = os.environ.get("AMQP_URI")
    if not amqp_uri or _given(config, "--amqp-uri"):
        return
    parts = urlsplit(amqp_uri)
    config.option.RABBIT_AMQP_URI = f"{parts.scheme}://{parts.netloc}/"
    if not _given(config, "--rabbit-api-uri"):
        credentials = f"{parts.username or 'guest'}:{parts.password or 'guest'}"
        config.option.RABBIT_API_URI = f"http://{credentials}@{parts.hostname or 'localhost'}:15672"


def _given(config, flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in config.invocation_params.args)


@pytest.fixture(scope="session")
def run_id():
    return RUN_ID


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Creates migrated databases on demand; drops the PostgreSQL ones at the end."""
    factory = DatabaseFactory(RUN_ID, Path(tmp_path_factory.mktemp("db")))
    yield factory
    factory.drop_all()


@pytest.fixture
def backend(request):
    """Run a database test on SQLite and on PostgreSQL (skipped only where PG is unreachable,
    and never on CI)."""
    return require_backend(request.param)


@pytest.fixture(scope="module")
def module_vhost(rabbit_manager, request):
    """A RabbitMQ vhost of this module's own; deleted with all its queues afterwards."""
    from tests.support.bus import temporary_vhost

    with temporary_vhost(
        rabbit_manager, request.config, f"gawe_{RUN_ID}_{request.module.__name__}"
    ) as cfg:
        yield cfg


def pytest_collection_modifyitems(items):
    """`postgres` marks every case that runs on PostgreSQL (a backend parameter or a fixture
    named so), so `-m "not postgres"` and `-m postgres` select what they say."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "postgres" in params.values() or "postgres" in item.name:
            item.add_marker(pytest.mark.postgres)


def pytest_sessionfinish(session, exitstatus):
    """On CI a skipped test is a failure: a two-backend contract that silently compares
    nothing, or a check that quietly did not run, must not pass as green."""
    if not os.environ.get("CI") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; a skip is a failure here:", red=True
        )
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr[-1]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
