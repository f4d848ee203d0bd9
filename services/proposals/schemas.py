"""Moved to the contract (services.proposals.contract.payloads and .replies). This name stays only
for gateway/web/rest.py, which still imports it; delete it once that imports the contract."""

from services.proposals.contract.payloads import *  # noqa: F403
from services.proposals.contract.replies import *  # noqa: F403
