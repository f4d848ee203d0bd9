"""A pytest plugin (registered in tests/conftest.py): the fixtures every app's tests share.

Each test module gets a platform of its own (all services and the real gateway, on the module's
own vhost and fresh databases), started once for the module: the suite's isolation design. A
module or an app's conftest changes how it starts by overriding `platform_options`, or wraps it
by overriding `platform` with a fixture of the same name that asks for `platform`.
"""

import pytest

from tests.support.factories import create_admin, login
from tests.support.platform import running_platform


@pytest.fixture(scope="module")
def platform_options():
    """Keyword arguments of running_platform for this module's platform (services, backend,
    service_config, rpc_timeout); none by default: every app, SQLite, default settings."""
    return {}


@pytest.fixture(scope="module")
def platform(module_vhost, databases, platform_options):
    """All installed apps' services and the gateway, shared by the tests of one module."""
    with running_platform(module_vhost, databases, **platform_options) as platform:
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
