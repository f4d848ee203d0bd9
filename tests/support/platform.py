"""The whole platform inside the test process: real services on a private vhost, real gateway.

Services run as nameko containers (the same classes `nameko run` starts) against fresh
databases; the gateway is the real Flask app whose pooled RPC client talks to them
over RabbitMQ. Requests go through Flask's test client.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import eventlet
from nameko.messaging import QueueConsumer
from nameko.runners import ServiceRunner

from gateway import create_app
from gateway.settings import GatewaySettings
from servicekit.apps import installed_apps
from tests.support.serang import DATA

# Every installed app's service (servicekit.apps), by name.
SERVICE_CLASSES = {spec.name: spec.service_class for spec in installed_apps()}

# How often a test platform's consumers look up from the broker to see whether they should stop
# (kombu's `safety_interval`, 1 s): stopping a platform waits for that look, a second of every
# module's teardown on each backend. Messages are delivered as they come either way; only the
# stop is quicker. The processes `make run` starts keep kombu's default.
TEST_CONSUMER_POLL_SECONDS = 0.1
_consume = QueueConsumer.consume


def _consume_polling_often(self, *args, safety_interval=TEST_CONSUMER_POLL_SECONDS, **kwargs):
    return _consume(self, *args, safety_interval=safety_interval, **kwargs)


QueueConsumer.consume = _consume_polling_often


@dataclass
class Platform:
    config: dict
    app: object
    runners: dict = field(default_factory=dict)

    @property
    def client(self):
        return self.app.test_client()

    def start(self, name: str) -> None:
        runner = ServiceRunner(self.config)
        runner.add_service(SERVICE_CLASSES[name])
        runner.start()
        self.runners[name] = runner

    def stop(self, name: str) -> None:
        self.runners.pop(name).stop()

    def stop_all(self) -> None:
        """Kill every service at once: each kill waits for its consumer's next poll of the broker
        (TEST_CONSUMER_POLL_SECONDS), so one after another cost a poll per service."""
        pool = eventlet.GreenPool()
        for name in list(self.runners):
            pool.spawn(self.runners.pop(name).kill)
        pool.waitall()


@contextlib.contextmanager
def running_platform(
    vhost_config: dict, databases, backend: str = "sqlite", services=None, **settings
):
    services = list(services or SERVICE_CLASSES)
    config = dict(vhost_config)
    for name in services:
        config[f"{name.upper()}_DATABASE_URL"] = databases.create(name, backend)
    boundaries = DATA / "kab_serang_boundaries.geojson"
    if boundaries.exists():  # the real boundaries, so that Kota Serang and the sea are outside
        config["GIS_BOUNDARIES_FILE"] = str(boundaries)
    config.update(settings.pop("service_config", {}))
    app = create_app(
        GatewaySettings.from_env(
            amqp_uri=config["AMQP_URI"],
            secret_key="test-secret-key-with-enough-entropy-0123456789",
            # production's deadline (GATEWAY_RPC_TIMEOUT's default) unless a test needs a short one
            rpc_timeout=settings.pop("rpc_timeout", GatewaySettings.rpc_timeout),
            services=tuple(services),
        )
    )
    app.config["TESTING"] = True
    platform = Platform(config=config, app=app)
    app.extensions["gawe_test_config"] = config  # for factories given only a client
    try:
        for name in services:
            platform.start(name)
        yield platform
    finally:
        platform.stop_all()
        app.extensions["gawe_rpc"].close()
