"""The shared fixtures (tests/support/fixtures.py): a module shapes its platform by overriding
`platform_options`, the platform is started once for the module, each test gets a fresh client."""

import pytest

SEEN: dict = {}  # backend -> [(platform, client)]


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts"], "service_config": {"LOGIN_LOCK_AFTER": 7}}


def test_the_module_options_shape_its_platform(platform, client, platform_backend):
    assert set(platform.runners) == {"accounts"}
    assert platform.config["LOGIN_LOCK_AFTER"] == 7
    assert client.get("/readyz").status_code == 200
    SEEN.setdefault(platform_backend, []).append((platform, client))


def test_the_platform_is_the_modules_and_the_client_is_the_tests(
    platform, client, platform_backend
):
    [(first_platform, first_client)] = SEEN[platform_backend]
    assert platform is first_platform and client is not first_client
