"""Internal RPCs answer only the services they name: not the gateway, not a client on the bus
that names nobody or pretends to be a user, whatever actor it claims."""

from __future__ import annotations

import contextlib

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from servicekit.errors import Forbidden, NotFound

ADMIN = {"user_id": 1, "roles": ["admin"], "agency": None}

INTERNAL = [
    ("accounts", "contacts", ([1],), "notifications"),
    ("accounts", "agency_staff", ("DPUPR", ["officer"]), "notifications"),
    ("complaints", "reporter_contact", (1,), "notifications"),
    ("complaints", "feedback_contact", (1,), "notifications"),
    ("complaints", "supporter_contacts", (1,), "notifications"),
    ("complaints", "blob_keys", (), "gateway"),
    ("proposals", "blob_keys", (), "gateway"),
    ("gis", "upsert_points", ("pengaduan", []), "complaints"),
    ("gis", "remove_points", ("pengaduan", ["SRG-2026-000001"]), "proposals"),
]


def call(config, service, method, args, **context):
    with ServiceRpcProxy(service, config, context_data=context, timeout=10) as proxy:
        return getattr(proxy, method)(*args)


@pytest.mark.parametrize(("service", "method", "args", "allowed"), INTERNAL, ids=lambda v: str(v))
def test_an_internal_rpc_refuses_every_caller_it_does_not_name(
    platform, service, method, args, allowed
):
    config = platform.config
    for context in (
        {},  # a bare client on the bus
        {"caller": "gateway", "actor": ADMIN} if allowed != "gateway" else {"caller": "accounts"},
        {"caller": "somebody", "actor": ADMIN},
    ):
        with pytest.raises(Forbidden):
            call(config, service, method, args, **context)
    with contextlib.suppress(NotFound):  # answered (an unknown record is still an answer)
        call(config, service, method, args, caller=allowed)


# Services calling each other as themselves is proven end to end by the notification tests
# (tests/notifications: emails to reporters and agency staff go through accounts.contacts,
# accounts.agency_staff and complaints.reporter_contact, called by the notifications service).
