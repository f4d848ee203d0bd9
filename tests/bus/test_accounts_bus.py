"""The accounts service in a real nameko container on a real RabbitMQ vhost, on SQLite and PostgreSQL."""

import pytest
from nameko.events import event_handler
from nameko.extensions import DependencyProvider
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter
from sqlalchemy import text

from servicekit.database import make_engine
from servicekit.errors import Conflict, Forbidden, Invalid, TooManyRequests, Unauthorized
from services.accounts.service import AccountsService
from tests.support.factories import PASSWORD, create_admin, unique_email


@pytest.fixture
def accounts_db(databases, backend):
    return databases.create("accounts", backend)


@pytest.fixture
def config(rabbit_config, accounts_db):
    return dict(
        rabbit_config,
        ACCOUNTS_DATABASE_URL=accounts_db,
        LOGIN_FREE_ATTEMPTS=2,
        LOGIN_LOCK_AFTER=4,
        LOGIN_LOCK_SECONDS=600,
        LOGIN_MAX_DELAY_SECONDS=0,  # lock-out without the slowdown, tested separately
    )


@pytest.fixture
def accounts(container_factory, config):
    container = container_factory(AccountsService, config)
    container.start()
    return container


def proxy(config, actor=None, request_id="req-test"):
    return ServiceRpcProxy(
        "accounts", config, context_data={"request_id": request_id, "actor": actor}, timeout=10
    )


def citizen(email=None, **extra):
    return {"name": "Siti Aminah", "email": email or unique_email(), "password": PASSWORD, **extra}


def test_registered_citizen_can_authenticate_with_any_case_of_email(accounts, config):
    email = unique_email()
    with proxy(config) as rpc:
        user = rpc.register(citizen(email.upper()))
        claims = rpc.authenticate({"email": email, "password": PASSWORD})
    assert user["roles"] == ["citizen"]
    assert claims == {"id": user["id"], "name": "Siti Aminah", "roles": ["citizen"], "agency": None}


def test_registration_is_committed_before_the_reply(accounts, config, accounts_db):
    email = unique_email()
    with proxy(config) as rpc:
        user = rpc.register(citizen(email))
    engine = make_engine(accounts_db)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT email_key, password_hash FROM users WHERE id = :id"), {"id": user["id"]}
        ).one()
    engine.dispose()
    assert stored.email_key == email
    assert stored.password_hash.startswith("$argon2id$")


def test_email_is_unique_case_insensitively(accounts, config):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        with pytest.raises(Conflict) as exc:
            rpc.register(citizen(email.upper()))
    assert "email" in exc.value.errors


def test_nik_must_be_plausible_and_unique(accounts, config):
    with proxy(config) as rpc:
        with pytest.raises(Invalid) as exc:
            rpc.register(citizen(nik="3604053213900003"))
        assert "nik" in exc.value.errors
        rpc.register(citizen(nik="3604051201850007"))
        with pytest.raises(Conflict) as exc:
            rpc.register(citizen(nik="3604051201850007"))
    assert "nik" in exc.value.errors


def test_wrong_password_and_unknown_email_look_the_same(accounts, config):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        with pytest.raises(Unauthorized) as wrong_password:
            rpc.authenticate({"email": email, "password": "salah-sekali"})
        with pytest.raises(Unauthorized) as unknown:
            rpc.authenticate({"email": unique_email(), "password": "salah-sekali"})
    assert wrong_password.value.message == unknown.value.message


def test_repeated_failures_lock_the_account_even_for_the_right_password(accounts, config):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        for _ in range(4):
            with pytest.raises(Unauthorized):
                rpc.authenticate({"email": email, "password": "salah-sekali"})
        with pytest.raises(TooManyRequests) as exc:
            rpc.authenticate({"email": email, "password": PASSWORD})
    assert 590 <= int(exc.value.extra["retry_after"]) <= 600


def test_failures_beyond_the_free_attempts_are_slowed_down(container_factory, config):
    container = container_factory(
        AccountsService, dict(config, LOGIN_FREE_ATTEMPTS=1, LOGIN_MAX_DELAY_SECONDS=60)
    )
    container.start()
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        with pytest.raises(Unauthorized):
            rpc.authenticate({"email": email, "password": "salah-sekali"})
        with pytest.raises(TooManyRequests) as exc:
            rpc.authenticate({"email": email, "password": PASSWORD})
    assert int(exc.value.extra["retry_after"]) >= 1


def test_only_an_admin_creates_staff_bound_to_a_known_agency(accounts, config, accounts_db):
    admin_email = create_admin(accounts_db)
    with proxy(config) as rpc:
        admin = rpc.authenticate({"email": admin_email, "password": PASSWORD})
        citizen_user = rpc.register(citizen())
    staff = citizen(roles=["verifier"], agency="dinsos")
    with (
        proxy(
            config, actor={"user_id": citizen_user["id"], "roles": ["citizen"], "agency": None}
        ) as rpc,
        pytest.raises(Forbidden),
    ):
        rpc.create_staff(staff)
    with proxy(config, actor={"user_id": admin["id"], "roles": ["admin"], "agency": None}) as rpc:
        with pytest.raises(Invalid) as exc:
            rpc.create_staff(citizen(roles=["verifier"], agency="NOPE"))
        assert "agency" in exc.value.errors
        created = rpc.create_staff(staff)
        page = rpc.list_staff({"agency": "DINSOS", "role": "verifier"})
    assert created["agency"]["code"] == "DINSOS"
    assert created["roles"] == ["verifier"]
    assert [u["email"] for u in page["items"]] == [staff["email"]]


def test_contacts_and_agency_staff_give_addresses_to_other_services(accounts, config, accounts_db):
    admin_email = create_admin(accounts_db)
    with proxy(config) as rpc:
        admin = rpc.authenticate({"email": admin_email, "password": PASSWORD})
    with proxy(config, actor={"user_id": admin["id"], "roles": ["admin"], "agency": None}) as rpc:
        officer = rpc.create_staff(citizen(roles=["officer"], agency="DPUPR"))
    notifications = ServiceRpcProxy(
        "accounts", config, context_data={"caller": "notifications"}, timeout=10
    )
    with notifications as rpc:
        assert rpc.agency_staff("DPUPR", ["officer"])[-1]["email"] == officer["email"]
        assert rpc.contacts([officer["id"]])[0]["email"] == officer["email"]


class RequestIdCapture(DependencyProvider):
    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get("request_id")


class RegistrationListener:
    name = "registration_listener"
    seen: list = []
    request_id = RequestIdCapture()

    @event_handler("accounts", "user_registered")
    def on_registered(self, payload):
        RegistrationListener.seen.append((payload, self.request_id))


def test_registration_publishes_its_event_after_commit_with_the_request_id(
    accounts, container_factory, config
):
    listener = container_factory(RegistrationListener, config)
    listener.start()
    RegistrationListener.seen.clear()
    with (
        entrypoint_waiter(listener, "on_registered", timeout=10),
        proxy(config, request_id="req-trace-42") as rpc,
    ):
        user = rpc.register(citizen())
    payload, request_id = RegistrationListener.seen[0]
    assert payload["user_id"] == user["id"]
    assert payload["schema_version"] == 1 and payload["event_id"] and payload["occurred_at"]
    assert "email" not in payload  # events never carry personal data
    assert request_id == "req-trace-42"


def test_health_reports_name_version_and_database(accounts, config):
    with proxy(config) as rpc:
        health = rpc.health()
    assert health == {
        "service": "accounts",
        "version": health["version"],
        "database": "ok",
        "status": "ok",
    }
