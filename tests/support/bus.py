"""RabbitMQ isolation for tests: a vhost per module or per test, removed afterwards."""

from __future__ import annotations

import contextlib
from urllib.parse import urlparse


@contextlib.contextmanager
def temporary_vhost(rabbit_manager, pytest_config, name: str):
    """Yield a nameko config dict whose AMQP_URI points at a fresh vhost."""
    amqp_uri = pytest_config.getoption("RABBIT_AMQP_URI")
    user = urlparse(amqp_uri).username or "guest"
    vhost = name.replace(".", "_")[:200]
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, user, ".*", ".*", ".*")
    parts = urlparse(amqp_uri)
    try:
        yield {
            "AMQP_URI": f"{parts.scheme}://{parts.netloc}/{vhost}",
            "serializer": "json",
            "vhost": vhost,
        }
    finally:
        rabbit_manager.delete_vhost(vhost)
