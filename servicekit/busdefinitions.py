"""deploy/rabbitmq/definitions.json from the installed apps: a bus user per process, each allowed
to publish only the RPCs it makes.

The gateway may publish every RPC but the internal ones (`@rpc(callers=...)` not naming it);
a service may publish replies (to a caller's reply-queue id), every public RPC of the apps its
manifest `calls` (an internal one of theirs only if it names the service), and the internal
RPCs that name it as a caller. tests/unit/
test_bus_permissions.py reads the result against the code.
"""

from __future__ import annotations

import json
from collections import defaultdict

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from servicekit.apps import AppSpec

VHOST = "gawe"
GATEWAY = "gateway"
# The gateway's admin routes for parked events (gateway/deadletters, GATEWAY_OPS_AMQP_URI) read
# the dead-letter queue and replay through the default exchange to the queue a letter came from.
OPS = "ops"
DEAD_LETTER = "gawe.dead-letter"
REPLY_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
METHOD = r"[a-z_]+"


def internal_rpcs(specs: tuple[AppSpec, ...]) -> dict[str, dict[str, tuple[str, ...]]]:
    """service -> method -> the callers it admits, for every internal RPC."""
    from servicekit.entrypoints import Rpc

    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for spec in specs:
        cls = spec.service_class
        for name in sorted(dir(cls)):
            for entrypoint in getattr(getattr(cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, Rpc) and entrypoint.callers is not None:
                    found.setdefault(spec.name, {})[name] = entrypoint.callers
    return found


def _alternatives(methods: dict[str, list[str]]) -> list[str]:
    """`accounts\\.(a|b)`, `complaints\\.c`: one alternative per service."""
    out = []
    for service, names in sorted(methods.items()):
        joined = names[0] if len(names) == 1 else f"({'|'.join(names)})"
        out.append(f"{service}\\.{joined}")
    return out


def _callable_by(internal, caller: str, skip: tuple[str, ...]) -> dict[str, list[str]]:
    """The internal RPCs naming `caller`, of the services not in `skip`."""
    methods = defaultdict(list)
    for service, rpcs in internal.items():
        for method, callers in rpcs.items():
            if caller in callers and service not in skip:
                methods[service].append(method)
    return methods


def gateway_write(internal) -> str:
    hidden = defaultdict(list)
    for service, rpcs in internal.items():
        for method, callers in rpcs.items():
            if GATEWAY not in callers:
                hidden[service].append(method)
    return f"^(?!({'|'.join(_alternatives(hidden))})$){METHOD}\\.{METHOD}$"


def service_write(spec: AppSpec, internal) -> str:
    calls = []
    for app in spec.calls:  # its public RPCs; its internal ones naming this service come below
        hidden = list(internal.get(app, {}))
        guard = f"(?!({'|'.join(hidden)})$)" if hidden else ""
        calls.append(f"{app}\\.{guard}{METHOD}")
    internal_calls = _alternatives(_callable_by(internal, spec.name, ()))
    return f"^({'|'.join([REPLY_ID, *calls, *internal_calls])})$"


def _user(name: str) -> dict:
    return {
        "name": f"gawe-{name}",
        "password_hash": "",
        "hashing_algorithm": "rabbit_password_hashing_sha256",
        "tags": "",
    }


def _permission(name: str) -> dict:
    own = f"rpc-{name}|evt-.*--{name}\\..*|rpc\\.reply-{name}-.*|{name}\\.events"
    return {
        "user": f"gawe-{name}",
        "vhost": VHOST,
        "configure": f"^({own})$",
        # parking a failed event publishes its copy to the dead-letter exchange
        # (servicekit.dead_letters); nothing else of it: it reads no queue but its own
        "write": f"^(nameko-rpc|gawe\\.dead-letter|{own})$",
        "read": ".*",
    }


def _topic(name: str, exchange: str, write: str) -> dict:
    return {
        "user": f"gawe-{name}",
        "vhost": VHOST,
        "exchange": exchange,
        "write": write,
        "read": ".*",
    }


def definitions(specs: tuple[AppSpec, ...]) -> dict:
    internal = internal_rpcs(specs)
    replies = "rpc\\.reply-.*"
    topics = [_topic(GATEWAY, "nameko-rpc", gateway_write(internal))]
    for spec in specs:
        topics.append(_topic(spec.name, "nameko-rpc", service_write(spec, internal)))
        topics.append(_topic(spec.name, f"{spec.name}.events", ".*"))
    dead_letter = DEAD_LETTER
    return {
        "vhosts": [{"name": VHOST}],
        "users": [_user(GATEWAY), _user(OPS)] + [_user(s.name) for s in specs],
        "permissions": [
            {
                "user": f"gawe-{GATEWAY}",
                "vhost": VHOST,
                "configure": f"^{replies}",
                "write": f"^(nameko-rpc|{replies})$",
                "read": f"^(nameko-rpc|{replies})$",
            }
        ]
        + [
            {  # lists parked events (basic.get, then requeued) and replays them
                "user": f"gawe-{OPS}",
                "vhost": VHOST,
                "configure": "^$",
                "write": "^amq\\.default$",
                "read": "^gawe\\.dead-letter$",
            }
        ]
        + [_permission(s.name) for s in specs],
        "exchanges": [
            {
                "name": dead_letter,
                "vhost": VHOST,
                "type": "topic",
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
        ],
        "queues": [
            {
                "name": dead_letter,
                "vhost": VHOST,
                "durable": True,
                "auto_delete": False,
                "arguments": {"x-queue-type": "quorum"},
            }
        ],
        "bindings": [
            {
                "source": dead_letter,
                "vhost": VHOST,
                "destination": dead_letter,
                "destination_type": "queue",
                "routing_key": "#",
                "arguments": {},
            }
        ],
        "policies": [
            {
                "vhost": VHOST,
                "name": "event-queues-dead-letter",
                "pattern": "^evt-",
                "apply-to": "queues",
                "priority": 0,
                "definition": {"dead-letter-exchange": dead_letter},
            },
            {
                "vhost": VHOST,
                "name": "rpc-reply-queues-expire",
                "pattern": "^rpc\\.reply-",
                "apply-to": "queues",
                "priority": 0,
                "definition": {"expires": 300000},
            },
        ],
        "topic_permissions": topics,
    }


def render(specs: tuple[AppSpec, ...]) -> str:
    return json.dumps(definitions(specs), indent=2) + "\n"
