"""The apps of the suite whose events become messages: one module each.

A module here calls `subscribe(...)` for each of its events (see subscriptions.py) and
`add_templates(...)` with their texts (see default_templates.py). Importing this package
registers them all; the service imports it before it binds its event queue.
"""

from services.notifications.apps import accounts, complaints, proposals

__all__ = ["accounts", "complaints", "proposals"]
