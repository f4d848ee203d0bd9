"""How a service sends an RPC's reply: nameko's way, less two costs on every call (issue #15).

nameko's `Responder` serialises each result twice, once to check that it can and again to
publish it, and waits for the broker to confirm the reply. Here the reply is serialised once
(a result that cannot be becomes nameko's `UnserializableValueError`, as before) and published
without a confirm: a reply the broker loses leaves its caller to time out, as a reply to a
caller that has gone does, so the confirm bought nothing but a round trip to the broker.

`RpcConsumer` is nameko's shared RPC consumer with this responder; servicekit's `@rpc` uses it.
"""

from __future__ import annotations

import sys

import kombu.serialization
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY
from nameko.exceptions import UnserializableValueError, serialize
from nameko.rpc import Responder as _NamekoResponder
from nameko.rpc import RpcConsumer as _NamekoRpcConsumer
from nameko.rpc import get_rpc_exchange


class Responder(_NamekoResponder):
    def send_response(self, result, exc_info):
        content_type = self.message.properties["content_type"]
        serializer = kombu.serialization.registry.type_to_name[content_type]
        error = serialize(exc_info[1]) if exc_info is not None else None
        try:
            content_type, encoding, body = kombu.serialization.dumps(
                {"result": result, "error": error}, serializer
            )
        except Exception:
            exc_info = sys.exc_info()
            error, result = serialize(UnserializableValueError(result)), None
            content_type, encoding, body = kombu.serialization.dumps(
                {"result": None, "error": error}, serializer
            )
        publisher = self.publisher_cls(
            self.amqp_uri, use_confirms=False, ssl=self.ssl, login_method=self.login_method
        )
        publisher.publish(
            body,
            content_type=content_type,
            content_encoding=encoding,
            exchange=self.exchange,
            routing_key=self.message.properties["reply_to"],
            correlation_id=self.message.properties.get("correlation_id"),
        )
        return result, exc_info


class RpcConsumer(_NamekoRpcConsumer):
    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = Responder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            None,  # the reply is encoded as its request was
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info
