"""The gateway's memory of ended sessions (gateway/accounts/sessions.py): lazy, throttled,
one refresh at a time, and it keeps what it knows when accounts cannot be reached."""

import logging
import threading

import eventlet

from gateway.accounts.sessions import SessionVersions


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Accounts:
    """Answers session_versions like the accounts service: what changed since the cursor."""

    def __init__(self):
        self.changes: list[tuple[int, int, int]] = []  # (cursor tick, user, version)
        self.calls: list[str | None] = []
        self.down = False

    def sign_out(self, user_id: int, version: int) -> None:
        self.changes.append((len(self.changes) + 1, user_id, version))

    def __call__(self, cursor):
        self.calls.append(cursor)
        if self.down:
            raise ConnectionError("accounts unreachable")
        since = int(cursor or 0)
        versions = [[u, v] for tick, u, v in self.changes if tick > since]
        return {"cursor": str(len(self.changes)), "versions": versions}


def sessions(accounts, clock, max_age=3600.0):
    return SessionVersions(accounts, max_age=max_age, interval=1.0, clock=clock)


def test_tokens_older_than_the_current_version_are_refused():
    accounts, clock = Accounts(), Clock()
    accounts.sign_out(7, 2)
    known = sessions(accounts, clock)
    assert not known.accepts(7, 1)
    assert known.accepts(7, 2) and known.accepts(7, 3)
    assert known.accepts(8, 0)  # never signed out (lately)


def test_accounts_is_asked_at_most_once_a_second_with_the_last_cursor():
    accounts, clock = Accounts(), Clock()
    known = sessions(accounts, clock)
    known.accepts(7, 0)
    accounts.sign_out(7, 1)
    clock.now += 0.5
    assert known.accepts(7, 0)  # not asked yet: the sign-out elsewhere is not known here
    clock.now += 0.6
    assert not known.accepts(7, 0)
    assert accounts.calls == [None, "0"]


def test_a_sign_out_handled_here_applies_at_once():
    accounts, clock = Accounts(), Clock()
    known = sessions(accounts, clock)
    assert known.accepts(7, 0)
    known.ended(7, 1)
    assert not known.accepts(7, 0) and known.accepts(7, 1)
    assert len(accounts.calls) == 1


def test_when_accounts_cannot_be_reached_the_last_state_stays(caplog):
    accounts, clock = Accounts(), Clock()
    accounts.sign_out(7, 1)
    known = sessions(accounts, clock)
    assert not known.accepts(7, 0)
    accounts.down = True
    clock.now += 5
    with caplog.at_level(logging.WARNING, logger="gateway.accounts.sessions"):
        assert not known.accepts(7, 0)
    assert "session versions not refreshed" in caplog.text
    accounts.down = False
    accounts.sign_out(8, 1)
    clock.now += 1.1
    assert not known.accepts(8, 0)  # asked again after the interval, from the same cursor
    assert accounts.calls[-1] == accounts.calls[-2] == "1"


def test_sign_outs_are_forgotten_once_every_token_before_them_has_expired():
    accounts, clock = Accounts(), Clock()
    known = sessions(accounts, clock, max_age=60)
    known.ended(7, 1)
    clock.now += 61
    assert known.accepts(7, 0)  # no token of before the sign-out can still be valid


def test_one_request_asks_while_the_others_use_what_is_known():
    accounts, clock = Accounts(), Clock()
    known = sessions(accounts, clock)
    known.accepts(1, 0)  # loaded once
    asking, release = threading.Event(), threading.Event()
    plain = accounts.__call__

    def slow(cursor):
        asking.set()
        release.wait(5)
        return plain(cursor)

    known._fetch = slow
    accounts.sign_out(7, 1)
    clock.now += 2
    first = eventlet.spawn(known.accepts, 7, 0)
    asking.wait(5)
    others = [known.accepts(7, 0) for _ in range(5)]  # not held up by the refresh under way
    release.set()
    assert others == [True] * 5 and first.wait() is False
    assert len(accounts.calls) == 2
