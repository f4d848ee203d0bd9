"""Infrastructure of the notifications service, as nameko dependency providers.

Every setting comes from the container config (tests) or the environment; defaults are
documented in README's configuration table and here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

import services.notifications.apps  # noqa: F401  (registers every app's subscriptions and templates)
from servicekit.config import database_url, setting, var_dir
from servicekit.database import Database, make_engine
from services.notifications import store
from services.notifications.channels import Channel
from services.notifications.channels.email import EmailChannel, FileTransport, SmtpTransport
from services.notifications.channels.inbox import InboxChannel
from services.notifications.contract.templates import DEFAULT_TEMPLATES
from services.notifications.courier import Courier, CourierSettings
from services.notifications.delivery import RetryPolicy
from services.notifications.directory import ContactBatcher
from services.notifications.expansion import ExpansionSettings, TemplateCache

log = logging.getLogger(__name__)

DEFAULT_SENDER = "Gawe Kabupaten Serang <noreply@gawe.localhost>"


def build_channels(config: dict, session_factory) -> dict[str, Channel]:
    """Every channel this process can deliver on. SMS/WhatsApp: add an adapter here."""
    sender = setting(config, "SMTP_FROM", DEFAULT_SENDER)
    host = setting(config, "SMTP_HOST")
    if host:
        starttls = setting(config, "SMTP_STARTTLS", False, bool)
        transport = SmtpTransport(
            host=host,
            port=setting(config, "SMTP_PORT", 587 if starttls else 25, int),
            username=setting(config, "SMTP_USERNAME"),
            password=setting(config, "SMTP_PASSWORD"),
            starttls=starttls,
            timeout=setting(config, "SMTP_TIMEOUT", 10.0, float),
            helo_name=setting(config, "SMTP_HELO_NAME", "localhost"),
            pool_size=setting(config, "SMTP_POOL_SIZE", 8, int),
        )
    else:
        directory = setting(config, "NOTIFY_OUTBOX_DIR") or var_dir() / "outbox"
        transport = FileTransport(Path(directory))
        log.info(
            "SMTP_HOST is not set: emails are written as .eml files", extra={"dir": str(directory)}
        )
    return {
        "email": EmailChannel(transport, sender),
        "inbox": InboxChannel(session_factory),
    }


@dataclass(frozen=True)
class NotifySettings:
    courier: CourierSettings
    expansion: ExpansionSettings
    contact_batch_window: float  # seconds concurrent workers wait to share one contacts RPC


def load_settings(config: dict) -> NotifySettings:
    base = setting(config, "NOTIFY_RETRY_BASE_SECONDS", 30.0, float)
    cap = setting(config, "NOTIFY_RETRY_MAX_SECONDS", 3600.0, float)
    return NotifySettings(
        courier=CourierSettings(
            retry=RetryPolicy(setting(config, "NOTIFY_MAX_ATTEMPTS", 8, int), base, cap),
            lease=timedelta(seconds=setting(config, "NOTIFY_SENDING_LEASE", 300.0, float)),
            batch=setting(config, "NOTIFY_SWEEP_BATCH", 200, int),
            concurrency=setting(config, "NOTIFY_SEND_CONCURRENCY", 10, int),
        ),
        expansion=ExpansionSettings(
            retry=RetryPolicy(setting(config, "NOTIFY_EVENT_MAX_ATTEMPTS", 20, int), base, cap),
            public_url=setting(config, "GAWE_PUBLIC_URL", "http://127.0.0.1:8000"),
            templates=TemplateCache(setting(config, "NOTIFY_TEMPLATE_CACHE_SECONDS", 30.0, float)),
        ),
        contact_batch_window=setting(config, "NOTIFY_CONTACT_BATCH_WINDOW", 0.005, float),
    )


class Notifier:
    """What a worker gets: the channels, the courier and the settings."""

    def __init__(self, channels: dict[str, Channel], courier: Courier, settings: NotifySettings):
        self.channels = channels
        self.courier = courier
        self.settings = settings
        self.contact_batcher = ContactBatcher(settings.contact_batch_window)


class NotifierProvider(DependencyProvider):
    """Seeds the default templates at set-up (before any entrypoint starts consuming)."""

    def setup(self):
        config = self.container.config
        self.settings = load_settings(config)
        self.notifier: Notifier | None = None
        url = setting(config, "NOTIFICATIONS_DATABASE_URL") or database_url("notifications")
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                added = store.seed_templates(session, DEFAULT_TEMPLATES, datetime.now(UTC))
                session.commit()
            if added:
                log.info("default templates added", extra={"count": added})
        finally:
            engine.dispose()

    def _build(self) -> Notifier:
        # The Database provider's session factory exists once every setup() has run.
        db = next(d for d in self.container.dependencies if isinstance(d, Database))
        channels = build_channels(self.container.config, db.session_factory)
        return Notifier(
            channels, Courier(db.session_factory, channels, self.settings.courier), self.settings
        )

    def get_dependency(self, worker_ctx) -> Notifier:
        if self.notifier is None:
            self.notifier = self._build()
        return self.notifier

    def stop(self):
        if self.notifier is not None:
            for channel in self.notifier.channels.values():
                channel.close()
