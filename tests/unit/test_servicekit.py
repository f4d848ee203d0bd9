import json
import logging

import pytest
from marshmallow import ValidationError
from nameko.exceptions import deserialize, serialize

import services.accounts.contract  # noqa: F401  (its events are in the catalogue)
from servicekit.config import ConfigError, database_url, setting
from servicekit.context import Actor, request_id_var
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from servicekit.events import make_event, read_event
from servicekit.logs import JsonFormatter, RequestIdFilter


@pytest.mark.parametrize("cls", [Invalid, NotFound, Forbidden, Conflict])
def test_typed_errors_cross_rpc_as_themselves(cls):
    original = cls("pesan", {"email": ["Wajib diisi."]})
    # nameko serialises to JSON on the wire
    rebuilt = deserialize(json.loads(json.dumps(serialize(original))))
    assert type(rebuilt) is cls
    assert rebuilt.message == "pesan"
    assert rebuilt.errors == {"email": ["Wajib diisi."]}
    assert rebuilt.status == original.status


def test_extra_fields_survive_the_round_trip_as_strings():
    # nameko makes every scalar of exc.args safe for JSON by turning it into a string
    rebuilt = deserialize(
        json.loads(json.dumps(serialize(TooManyRequests("tunggu", retry_after=30))))
    )
    assert type(rebuilt) is TooManyRequests
    assert int(rebuilt.extra["retry_after"]) == 30


def test_event_envelope_carries_id_time_and_version():
    event = make_event("accounts.user_registered", user_id=7, roles=["citizen"], agency=None)
    assert len(event["event_id"]) == 36
    assert event["occurred_at"].endswith("+00:00")
    assert event["schema_version"] == 1
    loaded = read_event("accounts.user_registered", event | {"a_newer_field": 1})
    assert loaded["user_id"] == 7


def test_an_event_missing_its_aggregate_id_is_refused():
    with pytest.raises(ValidationError):
        make_event("accounts.user_registered", roles=["citizen"])


def test_unknown_event_type_is_refused():
    with pytest.raises(KeyError):
        make_event("accounts.nothing_happened")


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "halo %s", ("dunia",), None)
    token = request_id_var.set("req-123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-123"
    assert line["message"] == "halo dunia"
    assert line["level"] == "INFO"


def test_database_url_defaults_to_a_sqlite_file_per_service(monkeypatch, tmp_path):
    monkeypatch.setenv("GAWE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COMPLAINTS_DATABASE_URL", raising=False)
    assert database_url("complaints") == f"sqlite:///{tmp_path / 'complaints.db'}"
    monkeypatch.setenv("COMPLAINTS_DATABASE_URL", "postgresql://db/complaints")
    assert database_url("complaints") == "postgresql://db/complaints"


def test_malformed_setting_fails_loudly_with_its_name(monkeypatch):
    monkeypatch.setenv("LOGIN_LOCK_SECONDS", "lama")
    with pytest.raises(ConfigError, match="LOGIN_LOCK_SECONDS"):
        setting({}, "LOGIN_LOCK_SECONDS", 900, int)
    assert setting({"LOGIN_LOCK_SECONDS": 5}, "LOGIN_LOCK_SECONDS", 900, int) == 5


def test_actor_round_trips_through_context_data():
    actor = Actor(user_id=3, roles=frozenset({"verifier"}), agency="DINSOS")
    assert Actor.from_context(actor.to_context()) == actor
    assert not Actor.from_context(None).is_authenticated
    with pytest.raises(Forbidden):
        actor.require_role("admin")
