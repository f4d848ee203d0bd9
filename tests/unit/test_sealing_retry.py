"""The sealing tick asks an app for its chain heads once more after a missed deadline (its first
call, made as the service starts, can lose its reply), and gives up after three."""

from __future__ import annotations

import pytest

from servicekit.errors import Unavailable
from services.transparency.sealing import ask_again


def test_a_missed_reply_is_asked_again_and_three_are_given_up():
    calls = []

    def flaky(app, query):
        calls.append(app)
        if len(calls) == 1:
            raise Unavailable("Layanan complaints tidak menjawab dalam 5 detik.", {})
        return [{"chain": "complaints/SRG-2026-000001", "seq": 1, "hash": "0" * 64}]

    assert ask_again(flaky, "complaints", {})[0]["seq"] == 1 and calls == ["complaints"] * 2

    def silent(app, query):
        calls.append(app)
        raise Unavailable("Layanan proposals tidak menjawab dalam 5 detik.", {})

    calls.clear()
    with pytest.raises(Unavailable):
        ask_again(silent, "proposals", {})
    assert calls == ["proposals"] * 3
