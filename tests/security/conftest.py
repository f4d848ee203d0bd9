"""The security tests share one platform per module: all services and the real gateway."""

import pytest

from tests.support.factories import create_admin, login
from tests.support.platform import running_platform


@pytest.fixture(scope="module")
def platform(module_vhost, databases):
    with running_platform(module_vhost, databases) as platform:
        yield platform


@pytest.fixture
def client(platform):
    return platform.client


@pytest.fixture(scope="module")
def admin_token(platform):
    return login(platform.client, create_admin(platform.config["ACCOUNTS_DATABASE_URL"]))
