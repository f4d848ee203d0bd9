"""A pytest plugin (registered in tests/conftest.py): the fixtures every app's tests share.

Each test module gets a platform of its own (all services and the real gateway, on the module's
own vhost and fresh databases), started once for the module: the suite's isolation design. It
starts twice, once on SQLite and once on PostgreSQL (the production database), so every platform
test runs on both and its id ends `[sqlite]` or `[postgres]`; a module whose cost forbids running
it twice names its one backend in `PLATFORM_BACKENDS = ("postgres",)` (not collected on the
other, so nothing is skipped). A module or an app's conftest
changes how it starts by overriding `platform_options`, or wraps it by overriding `platform`
with a fixture of the same name that asks for `platform`.
"""

import threading

import pytest
from werkzeug.serving import make_server

from tests.support.bus import temporary_vhost
from tests.support.databases import BACKENDS, require_backend
from tests.support.factories import create_admin, login
from tests.support.platform import running_platform


@pytest.hookimpl(trylast=True)  # after @pytest.mark.parametrize: the backend ends the test id
def pytest_generate_tests(metafunc):
    """Every test that runs on a platform runs on each backend (`platform_backend`, per module),
    and every database test on each backend (`backend`, per test): ids end [sqlite]/[postgres]."""
    if "platform_backend" in metafunc.fixturenames:
        backends = getattr(metafunc.module, "PLATFORM_BACKENDS", BACKENDS)
        metafunc.parametrize("platform_backend", backends, indirect=True, scope="module")
    elif "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="module")
def platform_backend(request):
    """The database every service of this module's platform runs on: each module runs twice."""
    return require_backend(request.param)


@pytest.fixture(scope="module")
def platform_options():
    """Keyword arguments of running_platform for this module's platform (services,
    service_config, rpc_timeout); none by default: every app, default settings. The backend
    comes from `platform_backend`."""
    return {}


@pytest.fixture(scope="module")
def platform_vhost(rabbit_manager, request, run_id, platform_backend):
    """A vhost of this module's platform on this backend: nothing one run left on the bus (a
    durable queue's messages) reaches the other. It holds what production's definitions declare
    for parked events (the `gawe.dead-letter` exchange and queue, the event queues' policy),
    declared before any service starts."""
    from tests.support.faults import install_dead_letter

    name = f"gawe_{run_id}_{request.module.__name__}_{platform_backend}"
    with temporary_vhost(rabbit_manager, request.config, name) as config:
        install_dead_letter(rabbit_manager, config["vhost"])
        yield config


@pytest.fixture(scope="module")
def platform(platform_vhost, databases, platform_backend, platform_options):
    """All installed apps' services and the gateway, shared by the tests of one module."""
    options = {"backend": platform_backend} | platform_options
    with running_platform(platform_vhost, databases, **options) as platform:
        yield platform


@pytest.fixture
def client(platform):
    """A fresh test client (its own cookie jar) of the module's gateway."""
    return platform.client


@pytest.fixture(scope="module")
def admin_token(platform):
    """A bearer token of an admin made for this module."""
    return login(platform.client, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))


@pytest.fixture(scope="module")
def admin(admin_token):
    """The same admin token, under the name the app tests use."""
    return admin_token


@pytest.fixture(scope="module")
def smtp(platform_backend):
    """A real SMTP server in the test process for this module's platform (one per backend, so
    one run's mail is never read by the other); pass its port as SMTP_PORT."""
    from tests.notifications.conftest import SmtpSink

    sink = SmtpSink()
    sink.start()
    yield sink
    if sink.controller is not None:
        sink.stop()


@pytest.fixture(scope="module")
def gateway_url(platform):
    """The module's gateway served over real HTTP on a free port, for clients that are not
    Flask's test client (schemathesis, the verifier run as its own process)."""
    server = make_server("127.0.0.1", 0, platform.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    assert not thread.is_alive()
