"""The accounts service in a real nameko container on a real RabbitMQ vhost, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import eventlet
import pytest
from nameko.events import event_handler
from nameko.extensions import DependencyProvider
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter
from sqlalchemy import text
from sqlalchemy.orm import Session

from servicekit.database import make_engine
from servicekit.errors import Forbidden, Invalid, TooManyRequests, Unauthorized
from services.accounts import store
from services.accounts.domain import LoginPolicy
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
        registered = rpc.register(citizen(email.upper()))
        claims = rpc.authenticate({"email": email, "password": PASSWORD})
    assert registered == {"created": True, "email": email.upper()}
    assert claims == {
        "id": claims["id"],
        "name": "Siti Aminah",
        "roles": ["citizen"],
        "agency": None,
        "sv": 0,
        "ev": False,  # the address is not verified yet
    }


def test_registration_is_committed_before_the_reply(accounts, config, accounts_db):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
    engine = make_engine(accounts_db)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT email_key, password_hash FROM users WHERE email_key = :e"), {"e": email}
        ).one()
    engine.dispose()
    assert stored.email_key == email
    assert stored.password_hash.startswith("$argon2id$")


def count_users(db_url: str, where: str, **params) -> int:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(text(f"SELECT count(*) FROM users WHERE {where}"), params).scalar()
    engine.dispose()
    return found


def test_email_is_unique_case_insensitively(accounts, config, accounts_db):
    email = unique_email()
    with proxy(config) as rpc:
        assert rpc.register(citizen(email))["created"] is True
        again = rpc.register(citizen(email.upper()))
    assert again == {"created": False, "email": email.upper()}  # the gateway tells nobody
    assert count_users(accounts_db, "email_key = :e", e=email) == 1


def test_nik_must_be_plausible_and_unique(accounts, config, accounts_db):
    with proxy(config) as rpc:
        with pytest.raises(Invalid) as exc:
            rpc.register(citizen(nik="3604053213900003"))
        assert "nik" in exc.value.errors
        assert rpc.register(citizen(nik="3604051201850007"))["created"] is True
        assert rpc.register(citizen(nik="3604051201850007"))["created"] is False
    assert count_users(accounts_db, "nik = :n", n="3604051201850007") == 1


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
        citizen_email = unique_email()
        rpc.register(citizen(citizen_email))
        citizen_user = rpc.authenticate({"email": citizen_email, "password": PASSWORD})
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
        email = unique_email()
        rpc.register(citizen(email))
    with proxy(config) as rpc:
        user = rpc.authenticate({"email": email, "password": PASSWORD})
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


# --- issue #10: the per-account login counter, sign-outs, sign-ups that tell nothing --------


def guess(config, email, password="salah-sekali"):
    """One sign-in attempt on its own connection: "ok", 401 or 429."""
    try:
        with proxy(config) as rpc:
            rpc.authenticate({"email": email, "password": password})
        return "ok"
    except Unauthorized:
        return 401
    except TooManyRequests:
        return 429


def test_parallel_wrong_guesses_get_no_more_password_checks_than_the_policy_allows(
    accounts, config, accounts_db
):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
    outcomes = []
    pool = eventlet.GreenPool(12)
    for _ in range(10):  # waves of twelve simultaneous guesses, until the lock
        outcomes += pool.imap(lambda _: guess(config, email), range(12))
        if outcomes.count(401) >= config["LOGIN_LOCK_AFTER"]:
            break
    # every 401 was one password check; the others were refused before any check
    assert outcomes.count(401) == config["LOGIN_LOCK_AFTER"]
    assert set(outcomes) <= {401, 429}
    assert guess(config, email, PASSWORD) == 429  # locked, even for the right password
    assert count_users(accounts_db, "email_key = :e AND locked_until IS NOT NULL", e=email) == 1


def test_an_attempt_counted_on_a_stale_read_is_refused(accounts, config, accounts_db):
    """The compare-and-swap itself: two attempts read the same counter, only one counts."""
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
    engine = make_engine(accounts_db)
    policy = LoginPolicy(free_attempts=2, lock_after=4)
    now = datetime.now(UTC)
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = (
            store.find_user_by_email(first, email),
            store.find_user_by_email(second, email),
        )
        assert store.claim_login_attempt(first, mine, policy, now) is True
        first.commit()
        assert store.claim_login_attempt(second, theirs, policy, now) is False
        second.commit()
    engine.dispose()
    assert count_users(accounts_db, "email_key = :e AND failed_logins = 1", e=email) == 1


def test_signing_out_raises_the_session_version_and_the_gateway_is_told(accounts, config):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        claims = rpc.authenticate({"email": email, "password": PASSWORD})
        with pytest.raises(Unauthorized):
            rpc.end_sessions()  # nobody signed in
    actor = {"user_id": claims["id"], "roles": ["citizen"], "agency": None}
    with proxy(config, actor=actor) as rpc:
        assert rpc.end_sessions() == {"user_id": claims["id"], "version": claims["sv"] + 1}
    with proxy(config) as rpc:
        assert rpc.authenticate({"email": email, "password": PASSWORD})["sv"] == claims["sv"] + 1
    gateway = ServiceRpcProxy("accounts", config, context_data={"caller": "gateway"}, timeout=10)
    with gateway as rpc:
        first = rpc.session_versions(None, 3600)
        assert [claims["id"], claims["sv"] + 1] in first["versions"]
        # asked again with the cursor: still there (read a little further back), then gone
        assert [claims["id"], 1] in rpc.session_versions(first["cursor"], 3600)["versions"]
        later = (datetime.fromisoformat(first["cursor"]) + timedelta(minutes=1)).isoformat()
        assert rpc.session_versions(later, 3600)["versions"] == []
    with proxy(config) as rpc, pytest.raises(Forbidden):
        rpc.session_versions(None, 3600)  # not for anyone but the gateway


def test_sign_outs_older_than_the_token_lifetime_are_not_returned(accounts, config, accounts_db):
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        user_id = rpc.authenticate({"email": email, "password": PASSWORD})["id"]
    with proxy(config, actor={"user_id": user_id, "roles": ["citizen"], "agency": None}) as rpc:
        rpc.end_sessions()
    engine = make_engine(accounts_db)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET sessions_ended_at = :t WHERE id = :id"),
            {"t": datetime.now(UTC) - timedelta(hours=2), "id": user_id},
        )
    engine.dispose()
    gateway = ServiceRpcProxy("accounts", config, context_data={"caller": "gateway"}, timeout=10)
    with gateway as rpc:
        assert [user_id, 1] not in rpc.session_versions(None, 3600)["versions"]
        assert [user_id, 1] in rpc.session_versions(None, 3 * 3600)["versions"]


def test_racing_sign_ups_with_one_address_make_one_account(accounts, config, accounts_db):
    email, nik = unique_email(), "3604051201850011"

    def sign_up(n):
        with proxy(config) as rpc:
            return rpc.register(citizen(email, nik=nik, name=f"Warga {n}"))

    answers = list(eventlet.GreenPool(8).imap(sign_up, range(8)))
    assert sorted(a["created"] for a in answers) == [False] * 7 + [True]
    assert {a["email"] for a in answers} == {email}
    assert count_users(accounts_db, "email_key = :e OR nik = :n", e=email, n=nik) == 1


class NoticeListener:
    name = "notice_listener"
    seen: list = []

    @event_handler("accounts", "taken_nik_registered")
    def on_taken_nik(self, payload):
        NoticeListener.seen.append(payload)


def test_a_taken_nik_is_told_to_the_address_given_through_a_notice(
    accounts, container_factory, config
):
    listener = container_factory(NoticeListener, config)
    listener.start()
    NoticeListener.seen.clear()
    nik = "3604051201850029"
    stranger = unique_email("stranger")
    with proxy(config) as rpc:
        rpc.register(citizen(nik=nik))
        with entrypoint_waiter(listener, "on_taken_nik", timeout=10):
            assert rpc.register(citizen(stranger, nik=nik)) == {"created": False, "email": stranger}
    [event] = NoticeListener.seen
    assert set(event) == {"event_id", "occurred_at", "schema_version", "notice_id"}  # no data
    notifications = ServiceRpcProxy(
        "accounts", config, context_data={"caller": "notifications"}, timeout=10
    )
    with notifications as rpc:
        contact = rpc.registration_notice_contact(event["notice_id"])
    assert contact == {"user_id": None, "email": stranger, "name": "Siti Aminah"}
    with proxy(config) as rpc, pytest.raises(Forbidden):
        rpc.registration_notice_contact(event["notice_id"])  # for notifications only


class ResetListener:
    name = "reset_listener"
    seen: list = []

    @event_handler("accounts", "password_reset_requested")
    def on_reset(self, payload):
        ResetListener.seen.append(payload)


def test_a_password_link_is_made_only_for_notifications_and_works_once(
    accounts, container_factory, config
):
    listener = container_factory(ResetListener, config)
    listener.start()
    ResetListener.seen.clear()
    email = unique_email()
    with proxy(config) as rpc:
        rpc.register(citizen(email))
        with entrypoint_waiter(listener, "on_reset", timeout=10):
            assert rpc.request_password_reset({"email": email}) == {}
    [event] = ResetListener.seen
    assert set(event) == {"event_id", "occurred_at", "schema_version", "reset_id"}  # no data
    with proxy(config) as rpc, pytest.raises(Forbidden):
        rpc.password_reset_contact(event["reset_id"])  # for notifications only
    notifications = ServiceRpcProxy(
        "accounts", config, context_data={"caller": "notifications"}, timeout=10
    )
    with notifications as rpc:
        first = rpc.password_reset_contact(event["reset_id"])["values"]["token_sandi"]
        contact = rpc.password_reset_contact(event["reset_id"])  # asked again: a new secret
    second = contact["values"]["token_sandi"]
    assert contact["user_id"] and first != second
    with proxy(config) as rpc:
        with pytest.raises(Invalid):
            rpc.reset_password({"token": first, "password": "sandi-baru-123"})
        assert rpc.reset_password({"token": second, "password": "sandi-baru-123"})["version"] == 1
        with pytest.raises(Invalid):
            rpc.reset_password({"token": second, "password": "sandi-lain-456"})
        rpc.authenticate({"email": email, "password": "sandi-baru-123"})
    with notifications as rpc:  # a used link gets nobody: nothing more is sent
        assert rpc.password_reset_contact(event["reset_id"]) == {
            "user_id": None,
            "email": None,
            "name": None,
        }
