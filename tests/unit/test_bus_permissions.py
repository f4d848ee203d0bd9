"""The broker's wall behind the services' own caller check: each process's bus user may publish
only the RPCs it makes (deploy/rabbitmq/definitions.json), read against the code's declarations
of internal RPCs (`@rpc(callers=...)`), so the two cannot drift apart."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from servicekit import deployfiles
from servicekit.entrypoints import Rpc
from tests.support.platform import SERVICE_CLASSES

DEFINITIONS = Path(__file__).parents[2] / "deploy" / "rabbitmq" / "definitions.json"


def topic_writes(definitions: dict) -> dict[str, re.Pattern]:
    return {
        t["user"].removeprefix("gawe-"): re.compile(t["write"])
        for t in definitions["topic_permissions"]
        if t["exchange"] == "nameko-rpc"
    }


def rpc_methods() -> dict[str, tuple[str, ...] | None]:
    """`service.method` -> the callers it admits (None: the gateway and everyone signed)."""
    found = {}
    for service, cls in SERVICE_CLASSES.items():
        for name in dir(cls):
            for entrypoint in getattr(getattr(cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, Rpc):
                    found[f"{service}.{name}"] = entrypoint.callers
    return found


def test_every_process_has_its_own_bus_user():
    definitions = json.loads(DEFINITIONS.read_text())
    users = {u["name"] for u in definitions["users"]}
    deployed = set(SERVICE_CLASSES) - set(deployfiles.pending())  # not a just-made app
    assert users == {"gawe-gateway", "gawe-ops"} | {f"gawe-{s}" for s in deployed}
    assert set(topic_writes(definitions)) == {"gateway", *deployed}


def test_internal_rpcs_are_publishable_only_by_the_callers_they_name():
    writes = topic_writes(json.loads(DEFINITIONS.read_text()))
    methods = rpc_methods()
    internal = {key: callers for key, callers in methods.items() if callers is not None}
    assert "accounts.contacts" in internal and "complaints.reporter_contact" in internal
    for key, callers in internal.items():
        for user, pattern in writes.items():
            assert bool(pattern.fullmatch(key)) == (user in callers), (user, key)
    for key, callers in methods.items():  # the gateway reaches every public RPC
        if callers is None:
            assert writes["gateway"].fullmatch(key), key


def test_services_may_reply_to_any_caller_but_the_gateway_publishes_no_replies():
    writes = topic_writes(json.loads(DEFINITIONS.read_text()))
    reply = str(uuid.uuid4())  # nameko routes a reply by the caller's reply-queue id
    for service in (spec.name for spec in deployfiles.deployed()):
        assert writes[service].fullmatch(reply), service
        assert not writes[service].fullmatch("accounts.create_staff"), service
    assert not writes["gateway"].fullmatch(reply)


def test_services_may_park_and_only_the_ops_user_reads_and_replays_parked_events():
    """Parking publishes to the `gawe.dead-letter` exchange (servicekit.dead_letters); the
    gateway's admin routes (GATEWAY_OPS_AMQP_URI: gawe-ops) read the queue of the same name and
    replay through the default exchange, and may do nothing else."""
    definitions = json.loads(DEFINITIONS.read_text())
    perms = {p["user"]: p for p in definitions["permissions"]}
    for service in SERVICE_CLASSES:
        if f"gawe-{service}" not in perms:  # a just-made app, not deployed yet
            continue
        own = perms[f"gawe-{service}"]
        assert re.fullmatch(own["write"], "gawe.dead-letter"), service
        assert not re.fullmatch(own["configure"], "gawe.dead-letter"), service
        assert not re.fullmatch(own["write"], "amq.default"), service
    ops = perms["gawe-ops"]
    assert re.fullmatch(ops["read"], "gawe.dead-letter")
    assert re.fullmatch(ops["write"], "amq.default")
    for other in ("nameko-rpc", "evt--complaints.report_created--notifications.handle_event"):
        assert not re.fullmatch(ops["read"], other) and not re.fullmatch(ops["write"], other)
    assert not re.fullmatch(ops["configure"], "gawe.dead-letter")
    assert not re.fullmatch(perms["gawe-gateway"]["read"], "gawe.dead-letter")
