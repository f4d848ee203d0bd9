"""The notifications app's manifest (registered in pyproject.toml, group `gawe.apps`).

What each app sends is still in services/notifications/apps/<app>.py; each app names its
module in its manifest (`notifications`).
"""

from servicekit.apps import AppSpec

APP = AppSpec(
    name="notifications",
    service="services.notifications.service:NotificationsService",
    title="Notifikasi dan kotak masuk",
    migrations="services.notifications:migrations",
    gateway=("gateway.notifications.rest",),
    pages={"saya": ("_inbox.html",), "staf": ("_inbox.html",)},
)
