"""Moved to the contract (services.proposals.contract.catalogue). This name stays only for the
modules outside the app that still import it (tests/security/authz_world.py, bench/proposals.py,
gateway/web/rest.py); delete it once they import services.proposals.contract."""

from services.proposals.contract.catalogue import *  # noqa: F403
