"""The apps of the suite whose events become messages, found through their manifests.

Each app names, in its manifest (`AppSpec.notifications`), the module that calls
`subscribe(...)` for each of its events (see subscriptions.py) and `add_templates(...)` with
their texts (see default_templates.py). Importing this package imports every installed app's
module, so the service knows them all before it binds its event queue; a new app adds its
module and names it in its manifest, nothing here changes.
"""

from __future__ import annotations

import importlib

from servicekit.apps import installed_apps

REGISTERED = tuple(
    importlib.import_module(spec.notifications) for spec in installed_apps() if spec.notifications
)
