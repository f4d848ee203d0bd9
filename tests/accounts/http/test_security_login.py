"""Parallel password guesses through the gateway get no more password checks than the lockout
policy allows, and the account ends locked (issue #10, item 2), on SQLite and PostgreSQL."""

import eventlet
import pytest
from sqlalchemy import text

from servicekit.database import make_engine
from tests.support.factories import PASSWORD, register_citizen

LOCK_AFTER = 5
POLICY = {
    "LOGIN_FREE_ATTEMPTS": LOCK_AFTER,  # no slowdown: only the lock holds guesses back
    "LOGIN_LOCK_AFTER": LOCK_AFTER,
    "LOGIN_LOCK_SECONDS": 900,
}


@pytest.fixture(scope="module")
def platform_options():
    return {"services": ["accounts"], "service_config": POLICY}


def attempt(platform, email, password="tebakan-salah-1"):
    response = platform.client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}
    )
    return response.status_code, response.headers.get("Retry-After")


def test_parallel_guesses_never_get_more_password_checks_than_the_policy(platform):
    email = register_citizen(platform.client)["email"]
    pool = eventlet.GreenPool(12)
    outcomes = []
    for _ in range(10):  # waves of twelve guesses sent at once, until the account locks
        outcomes += pool.imap(lambda _: attempt(platform, email), range(12))
        if sum(status == 401 for status, _ in outcomes) >= LOCK_AFTER:
            break
    statuses = [status for status, _ in outcomes]
    assert statuses.count(401) == LOCK_AFTER  # one password check per 401, no more
    assert set(statuses) <= {401, 429}
    assert all(int(retry) >= 1 for status, retry in outcomes if status == 429)
    status, retry = attempt(platform, email, PASSWORD)
    assert status == 429 and int(retry) > 60  # locked, even for the right password
    engine = make_engine(platform.config["ACCOUNTS_DATABASE_URL"])
    with engine.connect() as conn:
        locked = conn.execute(
            text("SELECT locked_until FROM users WHERE email_key = :e"), {"e": email}
        ).scalar_one()
    engine.dispose()
    assert locked is not None


def test_a_right_password_clears_the_count_of_earlier_failures(platform):
    email = register_citizen(platform.client)["email"]
    for _ in range(LOCK_AFTER - 1):
        assert attempt(platform, email)[0] == 401
    assert attempt(platform, email, PASSWORD)[0] == 200
    for _ in range(LOCK_AFTER - 1):
        assert attempt(platform, email)[0] == 401  # counted from zero again
    assert attempt(platform, email, PASSWORD)[0] == 200
