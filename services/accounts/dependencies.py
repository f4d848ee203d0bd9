"""Infrastructure of the accounts service, as nameko dependency providers."""

from __future__ import annotations

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from nameko.extensions import DependencyProvider
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from servicekit.config import setting
from servicekit.database import Database
from servicekit.roles import installed_agencies
from services.accounts import store
from services.accounts.domain import LoginPolicy

log = logging.getLogger(__name__)


class Passwords:
    """argon2id hashing, off the event loop (it is CPU-heavy by design)."""

    def __init__(self, hasher: PasswordHasher):
        self._hasher = hasher
        # Verified against when the email is unknown, so both paths cost the same.
        self._dummy = hasher.hash("gawe-timing-equaliser")

    def hash(self, password: str) -> str:
        return tpool.execute(self._hasher.hash, password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return tpool.execute(self._hasher.verify, password_hash or self._dummy, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


class PasswordHashing(DependencyProvider):
    def setup(self):
        cfg = self.container.config
        self.passwords = Passwords(
            PasswordHasher(
                time_cost=setting(cfg, "ARGON2_TIME_COST", 2, int),
                memory_cost=setting(cfg, "ARGON2_MEMORY_KIB", 19_456, int),
                parallelism=1,
            )
        )

    def get_dependency(self, worker_ctx) -> Passwords:
        return self.passwords


class LoginPolicyProvider(DependencyProvider):
    def setup(self):
        cfg = self.container.config
        self.policy = LoginPolicy(
            free_attempts=setting(cfg, "LOGIN_FREE_ATTEMPTS", 3, int),
            lock_after=setting(cfg, "LOGIN_LOCK_AFTER", 10, int),
            lock_seconds=setting(cfg, "LOGIN_LOCK_SECONDS", 900, int),
            max_delay_seconds=setting(cfg, "LOGIN_MAX_DELAY_SECONDS", 60, int),
        )

    def get_dependency(self, worker_ctx) -> LoginPolicy:
        return self.policy


class AccountsDatabase(Database):
    """The accounts database, which on start gains the agencies (OPD) the installed apps declare
    (`AppSpec.agencies`) and it lacks: a new app brings its agency without a migration here."""

    def start(self):
        for _ in range(2):  # a replica starting at the same moment may add one first
            try:
                with self.session_factory() as session:
                    added = store.add_missing_agencies(session, installed_agencies())
                    session.commit()
                if added:
                    log.info("agencies added from the apps' manifests", extra={"codes": added})
                return
            except IntegrityError:
                continue
            except SQLAlchemyError:  # the database is down: /readyz says so; the next start adds
                log.warning("agencies of the manifests not checked", exc_info=True)
                return
