"""An RPC's reply (servicekit/replies.py): serialised once, published without a confirm, and a
result that cannot be serialised is answered with nameko's UnserializableValueError as before."""

from __future__ import annotations

import json

from servicekit.replies import Responder


class FakePublisher:
    sent: list[tuple[dict, bytes, dict]] = []

    def __init__(self, amqp_uri, **options):
        self.options = options

    def publish(self, body, **kwargs):
        FakePublisher.sent.append((self.options, body, kwargs))


class Message:
    properties = {
        "content_type": "application/json",
        "reply_to": "rpc.reply-x",
        "correlation_id": "c-1",
    }


def responder() -> Responder:
    FakePublisher.sent = []
    made = Responder("amqp://guest:guest@127.0.0.1:5672/", "nameko-rpc", None, Message())
    made.publisher_cls = FakePublisher
    return made


def test_a_reply_is_serialised_once_and_published_without_a_confirm():
    result, exc_info = responder().send_response({"id": 7, "nama": "Desa Lontar"}, None)
    assert result == {"id": 7, "nama": "Desa Lontar"} and exc_info is None
    [(options, body, kwargs)] = FakePublisher.sent
    assert options["use_confirms"] is False
    assert json.loads(body) == {"result": {"id": 7, "nama": "Desa Lontar"}, "error": None}
    assert kwargs["content_type"] == "application/json"
    assert kwargs["routing_key"] == "rpc.reply-x" and kwargs["correlation_id"] == "c-1"
    assert kwargs["exchange"] == "nameko-rpc"


def test_an_error_travels_as_nameko_serialises_it():
    try:
        raise ValueError("tidak sah")
    except ValueError:
        import sys

        responder().send_response(None, sys.exc_info())
    [(_, body, _)] = FakePublisher.sent
    error = json.loads(body)["error"]
    assert error["exc_type"] == "ValueError" and error["value"] == "tidak sah"


def test_a_result_that_cannot_be_serialised_becomes_an_error_reply():
    result, exc_info = responder().send_response({"at": object()}, None)
    assert result is None and exc_info is not None  # the worker failed, as with nameko
    [(_, body, _)] = FakePublisher.sent
    reply = json.loads(body)
    assert reply["result"] is None and reply["error"]["exc_type"] == "UnserializableValueError"
